"""The association's group chat: binding, join requests, members, migration, activity."""

from __future__ import annotations

from telegram import ChatMember, ChatMemberAdministrator, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import (
    Application,
    ChatJoinRequestHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.replies import reply
from services import associations, memberships
from services.texts import N_

COMMANDS = [
    CommandSpec(
        "bind",
        N_("Bind this group to an association (leader)"),
        Audience.LEADER,
        private=False,
        group=True,
    ),
]

ACTIVITY_GROUP = 7  # a handler group of its own: counting never steals a message from features


def _rights(member: ChatMember) -> tuple[bool, dict[str, bool]]:
    if member.status == ChatMemberStatus.OWNER:
        return True, {
            key: True for key in (*associations.REQUIRED_RIGHTS, *associations.FORUM_RIGHTS)
        }
    if isinstance(member, ChatMemberAdministrator):
        return True, {
            "can_invite_users": bool(member.can_invite_users),
            "can_pin_messages": bool(member.can_pin_messages),
            "can_delete_messages": bool(member.can_delete_messages),
            "can_restrict_members": bool(member.can_restrict_members),
            "can_manage_topics": bool(member.can_manage_topics),
        }
    return False, {}


def _bind_help(context: BotContext) -> str:
    t = context.t
    needed = [t.plain(title) for title in associations.REQUIRED_RIGHTS.values()]
    return t.gettext(
        "Hello! I keep this group for a methodological association. Its leader binds it by "
        "sending <code>/bind CODE</code> here (the code is on the association's card). Please "
        "make me an administrator with these rights: {rights} (and «manage topics» in a forum).",
        rights=", ".join(needed),
    )


async def bot_membership(update: Update, context: BotContext) -> None:
    """The bot was added to a group (or its rights changed): explain how to bind it."""
    change = update.my_chat_member
    if change is None or change.chat.type not in ("group", "supergroup"):
        return
    old, new = change.old_chat_member.status, change.new_chat_member.status
    if old in ("left", "kicked") and new in ("member", "administrator"):
        await reply(update, context, _bind_help(context))


async def bind(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    assert chat is not None
    t = context.t
    if not context.args:
        await reply(update, context, _bind_help(context))
        return
    member = await context.bot.get_chat_member(chat.id, context.bot.id)
    is_admin, rights = _rights(member)
    is_forum = bool(chat.is_forum)
    # A refusal (not the leader, bound elsewhere) propagates: rolled back and explained.
    check = await associations.bind_chat(
        context.session,
        actor=context.actor,
        code=context.args[0],
        chat_id=chat.id,
        is_forum=is_forum,
        bot_rights=rights,
        bot_is_admin=is_admin,
    )
    if check.missing:
        await reply(
            update,
            context,
            t.gettext(
                "I cannot keep this group yet: please make me an administrator and give me "
                "these rights:\n{missing}\nThen send /bind again.",
                missing="\n".join("• " + t.plain(title) for title in check.missing),
            ),
        )
        return
    association = check.association
    link = await context.bot.create_chat_invite_link(
        chat.id, name=association.name[:32], creates_join_request=True
    )
    await associations.save_chat_link(
        context.session,
        actor=context.actor,
        association_id=association.id,
        chat_id=chat.id,
        invite_link=link.invite_link,
    )
    text = t.gettext(
        "✅ This group now belongs to «{name}». Members get the link {link} (those who "
        "joined already have it from me), and I let in only the association's members.",
        name=association.name,
        link=link.invite_link,
    )
    if is_forum:
        topics = {}
        for purpose, title in associations.FORUM_TOPICS.items():
            if purpose in (association.forum_topics or {}):
                continue
            topic = await context.bot.create_forum_topic(chat.id, t.plain(title))
            topics[purpose] = topic.message_thread_id
        await associations.save_forum_topics(
            context.session, association_id=association.id, topics=topics
        )
        text += "\n" + t.gettext(
            "I created the topics: {topics}.",
            topics=", ".join(t.plain(title) for title in associations.FORUM_TOPICS.values()),
        )
    await reply(update, context, text)


async def join_request(update: Update, context: BotContext) -> None:
    """Let in the association's members; decline others (told privately how to join)."""
    request = update.chat_join_request
    if request is None:
        return
    decision = await memberships.decide_chat_join(
        context.session,
        chat_id=request.chat.id,
        telegram_id=request.from_user.id,
        user_chat_id=request.user_chat_id,
    )
    if decision.verdict == memberships.ChatVerdict.APPROVE:
        await request.approve()
    elif decision.verdict != memberships.ChatVerdict.UNKNOWN_CHAT:
        await request.decline()  # the person is told why through the outbox


async def member_changed(update: Update, context: BotContext) -> None:
    """Track who is in a bound chat; newcomers are greeted there with the rules."""
    change = update.chat_member
    if change is None:
        return
    person = change.new_chat_member.user
    await memberships.chat_member_changed(
        context.session,
        memberships.ChatMemberChange(
            chat_id=change.chat.id,
            telegram_id=person.id,
            name=person.full_name,
            is_bot=person.is_bot,
            old_status=change.old_chat_member.status,
            new_status=change.new_chat_member.status,
        ),
    )


async def migrated(update: Update, context: BotContext) -> None:
    """A group became a supergroup: adopt the new chat id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    await memberships.adopt_migrated(context.session, old_chat_id=old, new_chat_id=new)


async def count_activity(update: Update, context: BotContext) -> None:
    """A member wrote in the group: one activity event, the text is not kept."""
    message = update.effective_message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return
    await memberships.group_message(
        context.session, chat_id=message.chat.id, telegram_id=message.from_user.id
    )


def register(app: Application) -> None:
    groups = filters.ChatType.GROUPS
    app.add_handler(ChatMemberHandler(bot_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(ChatMemberHandler(member_changed, ChatMemberHandler.CHAT_MEMBER))
    app.add_handler(ChatJoinRequestHandler(join_request))
    app.add_handler(CommandHandler("bind", bind, filters=groups))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migrated))
    app.add_handler(
        MessageHandler(
            groups & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL & ~filters.COMMAND,
            count_activity,
        ),
        group=ACTIVITY_GROUP,
    )
