"""Chats and members: getChat, members, invite links, join requests, bans, topics."""

from __future__ import annotations

import secrets
from typing import Any

from .errors import bad_request
from .registry import Context, Params, handles
from .world import ADMIN_RIGHTS, Chat, User, now

_RESTRICTED_RIGHTS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_edit_tag",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)
_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


def member_dict(
    user: User,
    status: str,
    rights: dict[str, bool] | None = None,
    permissions: Params | None = None,
) -> dict[str, Any]:
    """A ``ChatMember`` of the right subtype with every field PTB and the spec require."""
    member: dict[str, Any] = {"status": status, "user": user.to_dict()}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        rights = rights or {}
        member.update(can_be_edited=False, is_anonymous=False)
        member.update({right: bool(rights.get(right, False)) for right in ADMIN_RIGHTS})
    elif status == "restricted":
        permissions = permissions or {}
        member.update({right: bool(permissions.get(right, False)) for right in _RESTRICTED_RIGHTS})
        member.update(is_member=True, until_date=0)
    elif status == "kicked":
        member["until_date"] = 0
    return member


def _member_of(ctx: Context, chat: Chat, user_id: Any) -> dict[str, Any]:
    world = ctx.world
    if user_id == world.bot.id:
        return member_dict(world.bot, chat.bot_status, chat.bot_rights)
    user = world.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    if chat.is_private:
        return member_dict(user, "member" if user.id == chat.id else "left")
    return member_dict(user, chat.members.get(user.id, "left"))


def _group(ctx: Context, p: Params) -> Chat:
    chat = ctx.world.chat(p.get("chat_id"))
    if chat.is_private:
        raise bad_request("method is available for supergroup and channel chats only")
    return chat


@handles("getChat")
def get_chat(ctx: Context, p: Params) -> dict[str, Any]:
    chat = ctx.world.chat(p.get("chat_id"))
    full = {
        **chat.to_dict(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": _NO_GIFTS,
    }
    if chat.pinned:
        full["pinned_message"] = chat.messages[chat.pinned[-1]]
    if chat.user and chat.user.username:
        full["active_usernames"] = [chat.user.username]
    return full


@handles("getChatMember")
def get_chat_member(ctx: Context, p: Params) -> dict[str, Any]:
    return _member_of(ctx, ctx.world.chat(p.get("chat_id")), p.get("user_id"))


@handles("getChatAdministrators")
def get_chat_administrators(ctx: Context, p: Params) -> list[dict[str, Any]]:
    chat = _group(ctx, p)
    admins = [
        member_dict(ctx.world.users[user_id], status)
        for user_id, status in chat.members.items()
        if status in ("creator", "administrator") and user_id in ctx.world.users
    ]
    if chat.bot_status == "administrator":
        admins.append(member_dict(ctx.world.bot, "administrator", chat.bot_rights))
    return admins


@handles("getChatMemberCount")
def get_chat_member_count(ctx: Context, p: Params) -> int:
    chat = ctx.world.chat(p.get("chat_id"))
    if chat.is_private:
        return 2
    present = sum(1 for s in chat.members.values() if s not in ("left", "kicked"))
    return present + (chat.bot_status not in ("left", "kicked"))


@handles("leaveChat")
def leave_chat(ctx: Context, p: Params) -> bool:
    chat = _group(ctx, p)
    chat.bot_status = "left"
    return True


# --- invite links and join requests -----------------------------------------------------
def _link_dict(ctx: Context, p: Params, url: str) -> dict[str, Any]:
    creates = bool(p.get("creates_join_request", False))
    if creates and p.get("member_limit"):
        raise bad_request("member_limit can't be specified for links requiring approval")
    link: dict[str, Any] = {
        "invite_link": url,
        "creator": ctx.world.bot.to_dict(),
        "creates_join_request": creates,
        "is_primary": False,
        "is_revoked": False,
    }
    for key in ("name", "expire_date", "member_limit"):
        if p.get(key) is not None:
            link[key] = p[key]
    return link


def _link_chat(ctx: Context, p: Params) -> Chat:
    chat = _group(ctx, p)
    chat.require_admin("can_invite_users", "manage chat invite link")
    return chat


@handles("createChatInviteLink")
def create_chat_invite_link(ctx: Context, p: Params) -> dict[str, Any]:
    chat = _link_chat(ctx, p)
    link = _link_dict(ctx, p, f"https://t.me/+{secrets.token_urlsafe(12)}")
    chat.invite_links[link["invite_link"]] = link
    return link


@handles("editChatInviteLink")
def edit_chat_invite_link(ctx: Context, p: Params) -> dict[str, Any]:
    chat = _link_chat(ctx, p)
    url = p.get("invite_link")
    if url not in chat.invite_links or chat.invite_links[url]["is_revoked"]:
        raise bad_request("INVITE_HASH_EXPIRED")
    link = _link_dict(ctx, p, url)
    chat.invite_links[url] = link
    return link


@handles("revokeChatInviteLink")
def revoke_chat_invite_link(ctx: Context, p: Params) -> dict[str, Any]:
    chat = _link_chat(ctx, p)
    url = p.get("invite_link")
    if url not in chat.invite_links:
        raise bad_request("INVITE_HASH_EXPIRED")
    chat.invite_links[url] = {**chat.invite_links[url], "is_revoked": True}
    return chat.invite_links[url]


@handles("exportChatInviteLink")
def export_chat_invite_link(ctx: Context, p: Params) -> str:
    chat = _link_chat(ctx, p)
    url = f"https://t.me/+{secrets.token_urlsafe(12)}"
    primary = {**_link_dict(ctx, {}, url), "is_primary": True}
    chat.invite_links = {
        k: ({**v, "is_revoked": True} if v["is_primary"] else v)
        for k, v in chat.invite_links.items()
    }
    chat.invite_links[url] = primary
    return url


def _take_join_request(ctx: Context, p: Params) -> tuple[Chat, int]:
    chat = _link_chat(ctx, p)
    user_id = p.get("user_id")
    if user_id not in chat.join_requests:
        raise bad_request("HIDE_REQUESTER_MISSING")
    chat.join_requests.discard(user_id)
    return chat, user_id


@handles("approveChatJoinRequest")
def approve_chat_join_request(ctx: Context, p: Params) -> bool:
    chat, user_id = _take_join_request(ctx, p)
    chat.members[user_id] = "member"
    return True


@handles("declineChatJoinRequest")
def decline_chat_join_request(ctx: Context, p: Params) -> bool:
    _take_join_request(ctx, p)
    return True


# --- moderation -------------------------------------------------------------------------
def _moderated_user(ctx: Context, p: Params) -> tuple[Chat, int]:
    chat = _group(ctx, p)
    chat.require_admin("can_restrict_members", "restrict/unrestrict chat member")
    user_id = p.get("user_id")
    if user_id not in ctx.world.users:
        raise bad_request("user not found")
    if chat.members.get(user_id) == "creator":
        raise bad_request("can't remove chat owner")
    return chat, user_id


@handles("banChatMember")
def ban_chat_member(ctx: Context, p: Params) -> bool:
    chat, user_id = _moderated_user(ctx, p)
    chat.members[user_id] = "kicked"
    return True


@handles("unbanChatMember")
def unban_chat_member(ctx: Context, p: Params) -> bool:
    chat, user_id = _moderated_user(ctx, p)
    status = chat.members.get(user_id, "left")
    if status == "kicked":
        chat.members[user_id] = "left"
    elif not p.get("only_if_banned") and status not in ("left",):
        chat.members[user_id] = "left"  # Telegram kicks a present member on unban
    return True


@handles("restrictChatMember")
def restrict_chat_member(ctx: Context, p: Params) -> bool:
    chat, user_id = _moderated_user(ctx, p)
    if chat.type != "supergroup":
        raise bad_request("method is available only for supergroups")
    chat.members[user_id] = "restricted"
    return True


# --- forum topics -----------------------------------------------------------------------
def _forum(ctx: Context, p: Params) -> Chat:
    chat = _group(ctx, p)
    if not chat.is_forum:
        raise bad_request("the chat is not a forum")
    chat.require_admin("can_manage_topics", "create topic")
    return chat


@handles("createForumTopic")
def create_forum_topic(ctx: Context, p: Params) -> dict[str, Any]:
    chat = _forum(ctx, p)
    name = p.get("name") or ""
    if not 1 <= len(name) <= 128:
        raise bad_request("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_INVALID")
    topic = {
        "message_thread_id": chat.take_message_id(),  # id of the service message
        "name": name,
        "icon_color": p.get("icon_color", 7322096),
    }
    if p.get("icon_custom_emoji_id"):
        topic["icon_custom_emoji_id"] = p["icon_custom_emoji_id"]
    chat.topics[topic["message_thread_id"]] = topic
    return topic


@handles("editForumTopic")
def edit_forum_topic(ctx: Context, p: Params) -> bool:
    chat = _forum(ctx, p)
    topic = chat.topics.get(p.get("message_thread_id"))
    if topic is None:
        raise bad_request("message thread not found")
    if p.get("name") == topic["name"] and "icon_custom_emoji_id" not in p:
        raise bad_request("TOPIC_NOT_MODIFIED")
    topic.update({k: p[k] for k in ("name", "icon_custom_emoji_id") if k in p})
    return True


def join_request_update(chat: Chat, user: User, invite_link: dict[str, Any] | None) -> Params:
    """A ``chat_join_request`` update body (the request is remembered on the chat)."""
    chat.join_requests.add(user.id)
    request: dict[str, Any] = {
        "chat": chat.to_dict(),
        "from": user.to_dict(),
        "user_chat_id": user.id,
        "date": now(),
    }
    if invite_link:
        request["invite_link"] = invite_link
    return {"chat_join_request": request}
