"""Sending, editing and deleting messages; polls, callback answers, reactions."""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .markup import check_reply_markup
from .registry import Context, Params, handles
from .spec import UploadedFile
from .text import check_caption, check_message_text, render_text
from .world import Chat, StoredFile, now

_ENVELOPE = frozenset(
    {
        "message_id",
        "date",
        "chat",
        "from",
        "reply_markup",
        "edit_date",
        "reply_to_message",
        "message_thread_id",
        "is_topic_message",
        "forward_origin",
    }
)
_EDITABLE = ("text", "entities", "caption", "caption_entities", "reply_markup")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


# --- content builders -------------------------------------------------------------------
def text_content(p: Params) -> dict[str, Any]:
    """``text`` + ``entities`` after parse_mode, checked for length like Telegram."""
    text, entities = render_text(str(p.get("text", "")), p.get("parse_mode"), p.get("entities"))
    check_message_text(text)
    return {"text": text, "entities": entities} if entities else {"text": text}


def caption_content(p: Params) -> dict[str, Any]:
    """``caption`` + ``caption_entities`` when a caption was given."""
    if p.get("caption") is None:
        return {}
    caption, entities = render_text(
        str(p["caption"]), p.get("parse_mode"), p.get("caption_entities")
    )
    check_caption(caption)
    content: dict[str, Any] = {"caption": caption} if caption else {}
    if entities:
        content["caption_entities"] = entities
    return content


def stored_file(ctx: Context, value: Any, kind: str) -> StoredFile:
    """The file behind an upload, a known ``file_id`` or an HTTP URL."""
    files = ctx.world.files
    if isinstance(value, UploadedFile):
        return files.add(value.content, value.filename, value.content_type, kind)
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return files.add(b"", value.rsplit("/", 1)[-1] or None, None, kind)
    if isinstance(value, str) and value.startswith("attach://"):  # a part of a media group
        return files.add(b"", None, None, kind)
    return files.get(value)


def photo_sizes(stored: StoredFile) -> list[dict[str, Any]]:
    """A one-size ``PhotoSize`` array."""
    return [{**stored.to_dict(with_name=False), "width": 800, "height": 600}]


def video_dict(stored: StoredFile) -> dict[str, Any]:
    """A ``Video`` (name and mime type when known)."""
    return {**stored.to_dict(), "width": 1280, "height": 720, "duration": 60}


def media_content(stored: StoredFile, kind: str) -> dict[str, Any]:
    """The message field a file of ``kind`` (document, photo, video) is shown as."""
    if kind == "photo":
        return {"photo": photo_sizes(stored)}
    if kind == "video":
        return {"video": video_dict(stored)}
    return {"document": stored.to_dict()}


# --- the common send path ---------------------------------------------------------------
def deliver(ctx: Context, p: Params, content: dict[str, Any]) -> dict[str, Any]:
    """Post a bot message with ``content`` to ``p["chat_id"]`` after Telegram's checks."""
    chat = ctx.world.writable_chat(p.get("chat_id"))
    markup = check_reply_markup(p.get("reply_markup"))
    extra: dict[str, Any] = {
        "reply_to_message": _replied(chat, p),
        "reply_markup": markup,
    }
    thread_id = p.get("message_thread_id")
    if thread_id is not None:
        _check_thread(chat, thread_id)
        extra.update(message_thread_id=thread_id, is_topic_message=True)
    return ctx.world.add_message(chat, ctx.world.bot, content, **extra)


def _check_thread(chat: Chat, thread_id: Any) -> None:
    if chat.is_forum and (thread_id in chat.topics or thread_id == 1):
        return
    raise bad_request("message thread not found")


def _replied(chat: Chat, p: Params) -> dict[str, Any] | None:
    reply = p.get("reply_parameters") or {}
    message_id = reply.get("message_id", p.get("reply_to_message_id"))
    if message_id is None:
        return None
    found = chat.messages.get(message_id)
    if found is None:
        if reply.get("allow_sending_without_reply") or p.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return {k: v for k, v in found.items() if k != "reply_to_message"}


def message_content(message: dict[str, Any]) -> dict[str, Any]:
    """What copyMessage/forwardMessage carry over: everything but the envelope."""
    return {k: v for k, v in message.items() if k not in _ENVELOPE}


# --- send methods -----------------------------------------------------------------------
@handles("sendMessage")
def send_message(ctx: Context, p: Params) -> dict[str, Any]:
    return deliver(ctx, p, text_content(p))


@handles("sendDocument")
def send_document(ctx: Context, p: Params) -> dict[str, Any]:
    content = caption_content(p)
    content["document"] = stored_file(ctx, p.get("document"), "document").to_dict()
    return deliver(ctx, p, content)


@handles("sendPhoto")
def send_photo(ctx: Context, p: Params) -> dict[str, Any]:
    content = caption_content(p)
    content["photo"] = photo_sizes(stored_file(ctx, p.get("photo"), "photo"))
    return deliver(ctx, p, content)


@handles("sendVideo")
def send_video(ctx: Context, p: Params) -> dict[str, Any]:
    content = caption_content(p)
    content["video"] = video_dict(stored_file(ctx, p.get("video"), "video"))
    return deliver(ctx, p, content)


@handles("sendPoll")
def send_poll(ctx: Context, p: Params) -> dict[str, Any]:
    options = p.get("options") or []
    if len(options) < 2:
        raise bad_request("poll must have at least 2 option")
    poll_id = str(5_000_000_000 + len(ctx.polls) + 1)
    poll = {
        "id": poll_id,
        "question": p.get("question", ""),
        "options": [_poll_option(i, option) for i, option in enumerate(options)],
        "total_voter_count": 0,
        "is_closed": bool(p.get("is_closed", False)),
        "is_anonymous": bool(p.get("is_anonymous", True)),
        "type": p.get("type", "regular"),
        "allows_multiple_answers": bool(p.get("allows_multiple_answers", False)),
        "allows_revoting": True,
        "members_only": False,
    }
    message = deliver(ctx, p, {"poll": poll})
    ctx.polls[poll_id] = (message["chat"]["id"], message["message_id"])
    return message


def _poll_option(index: int, option: Any) -> dict[str, Any]:
    text = option.get("text", "") if isinstance(option, dict) else str(option)
    return {"persistent_id": str(index), "text": text, "voter_count": 0}


@handles("stopPoll")
def stop_poll(ctx: Context, p: Params) -> dict[str, Any]:
    chat = ctx.world.chat(p.get("chat_id"))
    message = chat.message(p.get("message_id"), "message with poll to stop not found")
    if "poll" not in message:
        raise bad_request("message with poll to stop not found")
    if message["poll"]["is_closed"]:
        raise bad_request("poll has already been closed")
    poll = {**message["poll"], "is_closed": True}
    chat.messages[message["message_id"]] = {**message, "poll": poll}
    return poll


@handles("sendChatAction")
def send_chat_action(ctx: Context, p: Params) -> bool:
    ctx.world.writable_chat(p.get("chat_id"))
    if p.get("action") not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


@handles("copyMessage")
def copy_message(ctx: Context, p: Params) -> dict[str, Any]:
    source = ctx.world.chat(p.get("from_chat_id"))
    original = source.message(p.get("message_id"), "message to copy not found")
    content = message_content(original)
    if p.get("caption") is not None:
        content = {k: v for k, v in content.items() if not k.startswith("caption")}
        content.update(caption_content(p))
    copy = deliver(ctx, p, content)
    return {"message_id": copy["message_id"]}


@handles("forwardMessage")
def forward_message(ctx: Context, p: Params) -> dict[str, Any]:
    source = ctx.world.chat(p.get("from_chat_id"))
    original = source.message(p.get("message_id"), "message to forward not found")
    origin = {"type": "user", "sender_user": original["from"], "date": original["date"]}
    content = {**message_content(original), "forward_origin": origin}
    return deliver(ctx, {k: v for k, v in p.items() if k != "reply_markup"}, content)


@handles("sendMediaGroup")
def send_media_group(ctx: Context, p: Params) -> list[dict[str, Any]]:
    media = p.get("media") or []
    if not 2 <= len(media) <= 10:
        raise bad_request("wrong number of media in the album")
    kinds = {item.get("type") for item in media}
    if "document" in kinds and kinds != {"document"}:
        raise bad_request("document can't be mixed with other media types")
    group_id = str(10_000_000 + len(ctx.world.chat(p.get("chat_id")).messages))
    sent = []
    for item in media:
        stored = stored_file(ctx, item.get("media"), item.get("type", "document"))
        content = {**caption_content(item), **media_content(stored, item.get("type", ""))}
        sent.append(deliver(ctx, p, {**content, "media_group_id": group_id}))
    return sent


def send_other(ctx: Context, p: Params) -> dict[str, Any]:
    """Any other ``send*`` method: a message with its caption, no media details."""
    return deliver(ctx, p, caption_content(p))


# --- edits ------------------------------------------------------------------------------
def _message_to_edit(ctx: Context, p: Params) -> tuple[Chat, dict[str, Any]] | None:
    if p.get("inline_message_id"):
        return None
    chat = ctx.world.chat(p.get("chat_id"))
    message = chat.message(p.get("message_id"), "message to edit not found")
    if message["from"]["id"] != ctx.world.bot.id:
        raise bad_request("message can't be edited")
    return chat, message


def _apply_edit(
    ctx: Context, p: Params, changes: dict[str, Any], drop: tuple[str, ...]
) -> dict[str, Any] | bool:
    found = _message_to_edit(ctx, p)
    if found is None:
        check_reply_markup(p.get("reply_markup"))
        return True
    chat, message = found
    edited = {k: v for k, v in message.items() if k not in drop and k != "reply_markup"}
    edited.update(changes)
    markup = check_reply_markup(p.get("reply_markup"))
    if markup:
        edited["reply_markup"] = markup
    if all(edited.get(key) == message.get(key) for key in _EDITABLE):
        raise bad_request(NOT_MODIFIED)
    edited["edit_date"] = now()
    chat.replace_message(edited)
    return edited


@handles("editMessageText")
def edit_message_text(ctx: Context, p: Params) -> dict[str, Any] | bool:
    found = _message_to_edit(ctx, p)
    if found is not None and "text" not in found[1]:
        raise bad_request("there is no text in the message to edit")
    return _apply_edit(ctx, p, text_content(p), ("text", "entities"))


@handles("editMessageCaption")
def edit_message_caption(ctx: Context, p: Params) -> dict[str, Any] | bool:
    found = _message_to_edit(ctx, p)
    if found is not None and "text" in found[1]:
        raise bad_request("there is no caption in the message to edit")
    return _apply_edit(ctx, p, caption_content(p), ("caption", "caption_entities"))


@handles("editMessageReplyMarkup")
def edit_message_reply_markup(ctx: Context, p: Params) -> dict[str, Any] | bool:
    return _apply_edit(ctx, p, {}, ())


# --- deleting and pinning ---------------------------------------------------------------
@handles("deleteMessage")
def delete_message(ctx: Context, p: Params) -> bool:
    chat = ctx.world.chat(p.get("chat_id"))
    message = chat.message(p.get("message_id"), "message to delete not found")
    if message["from"]["id"] != ctx.world.bot.id:
        chat.require_admin("can_delete_messages", "delete the message")
    _forget(chat, message["message_id"])
    return True


@handles("deleteMessages")
def delete_messages(ctx: Context, p: Params) -> bool:
    chat = ctx.world.chat(p.get("chat_id"))
    ids = p.get("message_ids") or []
    if not 1 <= len(ids) <= 100:
        raise bad_request("message_ids must contain 1-100 identifiers")
    for message_id in ids:
        if message_id in chat.messages:
            _forget(chat, message_id)
    return True


def _forget(chat: Chat, message_id: int) -> None:
    del chat.messages[message_id]
    if message_id in chat.pinned:
        chat.pinned.remove(message_id)


@handles("pinChatMessage")
def pin_chat_message(ctx: Context, p: Params) -> bool:
    chat = ctx.world.writable_chat(p.get("chat_id"))
    chat.require_admin("can_pin_messages", "manage pinned messages in the chat")
    message = chat.message(p.get("message_id"), "message to pin not found")
    chat.pinned.append(message["message_id"])
    return True


@handles("unpinChatMessage")
def unpin_chat_message(ctx: Context, p: Params) -> bool:
    chat = ctx.world.chat(p.get("chat_id"))
    chat.require_admin("can_pin_messages", "manage pinned messages in the chat")
    message_id = p.get("message_id", chat.pinned[-1] if chat.pinned else None)
    if message_id not in chat.pinned:
        raise bad_request("message to unpin not found")
    chat.pinned.remove(message_id)
    return True


@handles("unpinAllChatMessages")
def unpin_all(ctx: Context, p: Params) -> bool:
    chat = ctx.world.chat(p.get("chat_id"))
    chat.require_admin("can_pin_messages", "manage pinned messages in the chat")
    chat.pinned.clear()
    return True


# --- reactions to users -----------------------------------------------------------------
@handles("answerCallbackQuery")
def answer_callback_query(ctx: Context, p: Params) -> bool:
    query_id = p.get("callback_query_id")
    if query_id not in ctx.callback_queries or query_id in ctx.callback_answers:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    ctx.callback_answers[query_id] = p
    return True


@handles("setMessageReaction")
def set_message_reaction(ctx: Context, p: Params) -> bool:
    chat = ctx.world.chat(p.get("chat_id"))
    chat.message(p.get("message_id"), "message to react not found")
    return True
