"""/members: the roster with paging and search, PDF and CSV export, roles, removal."""

from __future__ import annotations

import re
from io import BytesIO

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import Callback, cb, pattern
from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import alert, reply, show
from handlers.associations import (
    notify,
    offer_places,
    remove_from_chat,
    route_button,
)
from models import MemberRole
from services import associations, memberships
from services.errors import InvalidInput
from services.formatting import format_date_short
from services.texts import N_

COMMANDS = [CommandSpec("members", N_("Members of your association"), Audience.LEADER)]
PER_PAGE = 10
ROLE_BUTTONS = (
    MemberRole.SECRETARY,
    MemberRole.ADMINISTRATOR,
    MemberRole.EXPERT,
    MemberRole.MEMBER,
)


def _slug(name: str) -> str:
    return re.sub(r"[^0-9A-Za-zА-Яа-яЁё]+", "_", name).strip("_")[:40] or "roster"


async def members_command(update: Update, context: BotContext) -> None:
    user = context.user
    t = context.t
    if user is None or not user.is_registered:
        await reply(update, context, t.gettext("Please register first: send /start."))
        return
    managed = await associations.held_in_roles(
        context.session, user.id, (*associations.MANAGERS, MemberRole.SECRETARY)
    )
    if not managed:
        await reply(
            update,
            context,
            t.gettext(
                "The roster is open to the leader, administrator and secretary of an association."
            ),
        )
        return
    if len(managed) == 1:
        await show_roster(update, context, managed[0].id, 0)
        return
    rows = [[(a.name[:60], cb("mb", "ls", a.id, 0))] for a in managed]
    await reply(update, context, t.gettext("Which association?"), inline(rows))


async def show_roster(
    update: Update, context: BotContext, association_id: int, page: int, search: str | None = None
) -> None:
    t = context.t
    entries = await memberships.roster(
        context.session, actor=context.actor, association_id=association_id, search=search
    )
    association = await associations.get(context.session, association_id)
    pages = max(1, -(-len(entries) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    chosen = entries[page * PER_PAGE : (page + 1) * PER_PAGE]
    lines = [
        t.gettext("<b>Members of «{name}»</b>", name=association.name),
        t.ngettext("{n} member", "{n} members", len(entries)),
    ]
    if search:
        lines.append(t.gettext("Search: {text}", text=search))
    if pages > 1:
        lines.append(t.gettext("Page {page} of {pages}", page=page + 1, pages=pages))
    rows = []
    for number, entry in enumerate(chosen, page * PER_PAGE + 1):
        role = t.plain(associations.ROLE_TITLES[entry.membership.role])
        lines.append(
            t.gettext(
                "{number}. {name} — {role}",
                number=number,
                name=entry.user.full_name or "",
                role=role,
            )
        )
        rows.append(
            [
                (
                    f"{number}. {entry.user.full_name}"[:60],
                    cb("mb", "who", association_id, entry.user.id),
                )
            ]
        )
    pager = []
    if page > 0:
        pager.append((t.plain("⬅️"), cb("mb", "ls", association_id, page - 1)))
    if page + 1 < pages:
        pager.append((t.plain("➡️"), cb("mb", "ls", association_id, page + 1)))
    if pager:
        rows.append(pager)
    rows.append(
        [
            (t.plain("🔍 Search"), cb("mb", "find", association_id)),
            (t.plain("📄 PDF"), cb("mb", "pdf", association_id)),
            (t.plain("📊 CSV"), cb("mb", "csv", association_id)),
        ]
    )
    await show(update, context, "\n".join(lines), inline(rows))


async def show_member(
    update: Update, context: BotContext, association_id: int, user_id: int
) -> None:
    t = context.t
    entries = await memberships.roster(
        context.session, actor=context.actor, association_id=association_id
    )
    entry = next((e for e in entries if e.user.id == user_id), None)
    if entry is None:
        await alert(update, t.plain("This person is no longer a member."))
        return
    user, membership = entry.user, entry.membership
    text = t.gettext(
        "<b>{name}</b>\n{organisation}\nRole: {role}\nJoined: {joined}",
        name=user.full_name or "",
        organisation=user.organisation or "",
        role=t.plain(associations.ROLE_TITLES[membership.role]),
        joined=format_date_short(membership.joined_at) if membership.joined_at else "—",
    )
    rows = []
    if membership.role != MemberRole.LEADER:
        rows.append(
            [
                (
                    ("✅ " if membership.role == role else "")
                    + t.plain(associations.ROLE_TITLES[role]),
                    cb("mb", "role", association_id, user_id, role.value),
                )
                for role in ROLE_BUTTONS[:2]
            ]
        )
        rows.append(
            [
                (
                    ("✅ " if membership.role == role else "")
                    + t.plain(associations.ROLE_TITLES[role]),
                    cb("mb", "role", association_id, user_id, role.value),
                )
                for role in ROLE_BUTTONS[2:]
            ]
        )
        rows.append(
            [(t.plain("👑 Hand over the leadership"), cb("mb", "lead", association_id, user_id))]
        )
        rows.append(
            [(t.plain("✖ Remove from the association"), cb("mb", "rm", association_id, user_id))]
        )
    rows.append([(t.plain("⬅️ Back"), cb("mb", "ls", association_id, 0))])
    await show(update, context, text, inline(rows))


async def send_export(update: Update, context: BotContext, association_id: int, kind: str) -> None:
    entries = await memberships.roster(
        context.session, actor=context.actor, association_id=association_id
    )
    association = await associations.get(context.session, association_id)
    russian = Translator("ru").plain
    if kind == "pdf":
        content = memberships.roster_document(association, entries, russian)
        filename = f"kartoteka_{_slug(association.name)}.pdf"
    else:
        content = memberships.roster_csv(entries, russian)
        filename = f"kartoteka_{_slug(association.name)}.csv"
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        InputFile(BytesIO(content), filename=filename),
        caption=context.t.gettext(
            "The card file of «{name}»: {members}",
            name=association.name,
            members=context.t.nplain("{n} member", "{n} members", len(entries)),
        ),
    )


async def members_button(update: Update, context: BotContext) -> None:
    await route_button(update, context, _route)


async def _route(update: Update, context: BotContext, data: Callback) -> None:
    association_id = data.int_arg(0)
    action = data.action
    if action == "ls":
        await show_roster(update, context, association_id, data.int_arg(1))
    elif action == "who":
        await show_member(update, context, association_id, data.int_arg(1))
    elif action in ("pdf", "csv"):
        await send_export(update, context, association_id, action)
    elif action == "find":
        await memberships.roster(
            context.session, actor=context.actor, association_id=association_id
        )
        await SEARCH.start(update, context, "text", {"association_id": association_id})
    elif action == "role":
        role = MemberRole(data.arg(2) or "")
        association, user = await memberships.set_role(
            context.session,
            actor=context.actor,
            association_id=association_id,
            user_id=data.int_arg(1),
            role=role,
        )
        await notify(
            context,
            user,
            N_("Your role in «{name}» is now: {role}."),
            name=association.name,
            role=associations.ROLE_TITLES[role],
        )
        await show_member(update, context, association_id, user.id)
    elif action == "lead":
        association, user = await memberships.hand_over(
            context.session,
            actor=context.actor,
            association_id=association_id,
            user_id=data.int_arg(1),
        )
        await notify(
            context, user, N_("You are now the leader of «{name}»."), name=association.name
        )
        await show(
            update,
            context,
            context.t.gettext(
                "{person} is now the leader of «{name}».",
                person=user.full_name or "",
                name=association.name,
            ),
        )
    elif action == "rm":
        user_id = data.int_arg(1)
        await associations.require_leader(
            context.session, actor=context.actor, association_id=association_id
        )
        await REMOVE.start(
            update, context, "reason", {"association_id": association_id, "user_id": user_id}
        )
    else:
        raise ValueError(action)


# search dialog ---------------------------------------------------------------------------------
SEARCH = register_dialog(Dialog("mbs"))


async def ask_search(turn: Turn) -> None:
    await turn.say(turn.t.gettext("Send a part of the name or organisation to look for."))


async def on_search(turn: Turn, text: str) -> None:
    await turn.finish()
    await show_roster(
        turn.update, turn.context, turn.data["association_id"], 0, search=text.strip()
    )


SEARCH.step("text", ask=ask_search, on_text=on_search)


# removal dialog ---------------------------------------------------------------------------------
REMOVE = register_dialog(Dialog("mbr"))


async def ask_reason(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Why is this member removed? The reason will be sent to them. /cancel keeps them."
        )
    )


async def on_reason(turn: Turn, text: str) -> None:
    context = turn.context
    try:
        departure = await memberships.remove_member(
            context.session,
            actor=context.actor,
            association_id=turn.data["association_id"],
            user_id=turn.data["user_id"],
            reason=text,
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await turn.finish()
    association, user = departure.association, departure.user
    await remove_from_chat(context, association, user)
    await notify(
        context,
        user,
        N_("You have been removed from «{name}». The leader's reason: {reason}"),
        name=association.name,
        reason=memberships.clean_reason(text),
    )
    await offer_places(context, departure.offers)
    await turn.say(
        turn.t.gettext(
            "{person} is removed from «{name}» and told the reason.",
            person=user.full_name or "",
            name=association.name,
        )
    )


REMOVE.step("reason", ask=ask_reason, on_text=on_reason)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("members", members_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(members_button, pattern=pattern("mb")))
