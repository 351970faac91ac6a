"""The fake Telegram world: users, chats, messages and files the bot can see."""

from __future__ import annotations

import itertools
import mimetypes
import time
from dataclasses import dataclass, field
from typing import Any

from .errors import CHAT_NOT_FOUND, ApiError, bad_request, forbidden

ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
    "can_manage_topics",
)
DEFAULT_BOT_RIGHTS = {right: right != "can_promote_members" for right in ADMIN_RIGHTS}
_GROUP_TYPES = ("group", "supergroup", "channel")


def now() -> int:
    """Unix time, as Telegram stamps messages and updates."""
    return int(time.time())


@dataclass
class User:
    """A Telegram user the bot may talk to."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "ru"
    started: bool = True
    blocked: bool = False
    is_bot: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The ``User`` object."""
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass
class Chat:
    """A private chat, group or supergroup with everything the bot has done in it."""

    id: int
    type: str
    title: str | None = None
    user: User | None = None  # the other side of a private chat
    is_forum: bool = False
    username: str | None = None
    bot_status: str = "administrator"
    bot_rights: dict[str, bool] = field(default_factory=lambda: dict(DEFAULT_BOT_RIGHTS))
    members: dict[int, str] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    bot_log: list[int] = field(default_factory=list)  # ids of messages the bot sent, in order
    activity: list[tuple[int, bool]] = field(default_factory=list)  # (message id, is an edit)
    pinned: list[int] = field(default_factory=list)
    topics: dict[int, dict[str, Any]] = field(default_factory=dict)
    invite_links: dict[str, dict[str, Any]] = field(default_factory=dict)
    join_requests: set[int] = field(default_factory=set)
    menu_button: dict[str, Any] | None = None
    next_message_id: int = 1

    @property
    def is_private(self) -> bool:
        """True for a one-to-one chat with a user."""
        return self.type == "private"

    def to_dict(self) -> dict[str, Any]:
        """The short ``Chat`` object embedded in messages and updates."""
        if self.user is not None:
            user = self.user.to_dict()
            data = {"id": self.id, "type": "private", "first_name": user["first_name"]}
            data.update({k: user[k] for k in ("last_name", "username") if k in user})
            return data
        data: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "title": self.title or str(self.id),
        }
        if self.username:
            data["username"] = self.username
        if self.is_forum:
            data["is_forum"] = True
        return data

    def take_message_id(self) -> int:
        """Message ids grow per chat, shared by the bot and the users."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def message(self, message_id: Any, missing: str) -> dict[str, Any]:
        """A stored message, or 400 ``missing``."""
        found = self.messages.get(message_id) if isinstance(message_id, int) else None
        if found is None:
            raise bad_request(missing)
        return found

    def replace_message(self, message: dict[str, Any]) -> None:
        """Store an edited version of a message (the bot's edits are logged as activity)."""
        self.messages[message["message_id"]] = message
        self.activity.append((message["message_id"], True))

    def require_admin(self, right: str, what: str) -> None:
        """400 ``not enough rights ...`` unless the bot is an admin holding ``right``."""
        if self.is_private:
            return
        if self.bot_status == "creator":
            return
        if self.bot_status != "administrator" or not self.bot_rights.get(right, False):
            raise bad_request(f"not enough rights to {what}")


@dataclass
class StoredFile:
    """A file Telegram holds: sent by a user or uploaded by the bot."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str | None
    mime_type: str | None
    file_path: str
    declared_size: int | None = None  # a big file without holding its bytes

    @property
    def size(self) -> int:
        return len(self.content) if self.declared_size is None else self.declared_size

    def to_dict(self, with_name: bool = True) -> dict[str, Any]:
        """Document-like dict (``file_id``, ``file_unique_id``, ``file_size``, name, mime)."""
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if with_name and self.file_name:
            data["file_name"] = self.file_name
        if with_name and self.mime_type:
            data["mime_type"] = self.mime_type
        return data


class FileStore:
    """Files by ``file_id`` and by download path."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._ids = itertools.count(1)

    def add(
        self,
        content: bytes,
        file_name: str | None,
        mime_type: str | None,
        kind: str,
        size: int | None = None,
    ) -> StoredFile:
        """Store ``content`` and give it fresh ids and a download path (``size``: the size
        Telegram reports, when the test does not hold that many bytes)."""
        number = next(self._ids)
        extension = _extension(file_name, mime_type)
        stored = StoredFile(
            file_id=f"BQACAgIAAx{kind[:3].upper()}{number:08d}",
            file_unique_id=f"AgAD{number:06d}",
            content=content,
            file_name=file_name,
            mime_type=mime_type or (mimetypes.guess_type(file_name or "")[0]),
            file_path=f"{kind}s/file_{number}{extension}",
            declared_size=size,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: Any) -> StoredFile:
        """The file for ``file_id`` or Telegram's 400."""
        stored = self._by_id.get(file_id) if isinstance(file_id, str) else None
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return stored

    def by_path(self, path: str) -> StoredFile | None:
        """The file served at ``/file/bot<token>/<path>``."""
        return self._by_path.get(path)


def _extension(file_name: str | None, mime_type: str | None) -> str:
    if file_name and "." in file_name:
        return "." + file_name.rsplit(".", 1)[1]
    return (mimetypes.guess_extension(mime_type) if mime_type else None) or ""


class World:
    """Users, chats and files, plus the rules for who the bot may write to."""

    def __init__(self, bot: User) -> None:
        self.bot = bot
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.migrated: dict[int, int] = {}
        self.files = FileStore()

    # --- setup -----------------------------------------------------------------------
    def add_user(self, user: User) -> User:
        """Register ``user`` with a private chat of the same id."""
        self.users[user.id] = user
        self.chats.setdefault(
            user.id, Chat(id=user.id, type="private", user=user, bot_status="member")
        )
        return user

    def add_chat(self, chat: Chat) -> Chat:
        """Register a group or supergroup."""
        if chat.type not in _GROUP_TYPES:
            raise ValueError(f"unsupported chat type {chat.type!r}")
        self.chats[chat.id] = chat
        return chat

    def user(self, user_id: int) -> User:
        """A registered user (test helper: KeyError names the missing id)."""
        if user_id not in self.users:
            raise KeyError(f"fake Bot API: unknown user {user_id}; call add_user() first")
        return self.users[user_id]

    # --- lookups used by methods -----------------------------------------------------
    def chat(self, chat_id: Any) -> Chat:
        """Resolve ``chat_id`` (id or @username) as Telegram does, without send checks."""
        if isinstance(chat_id, str):
            chat_id = self._resolve_username(chat_id)
        if chat_id in self.migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrated[chat_id]},
            )
        found = self.chats.get(chat_id)
        if found is None:
            raise bad_request(CHAT_NOT_FOUND)
        return found

    def writable_chat(self, chat_id: Any) -> Chat:
        """Resolve ``chat_id`` and check that the bot may post there (403s like Telegram)."""
        chat = self.chat(chat_id)
        if chat.user is not None:
            if chat.user.blocked:
                raise forbidden("bot was blocked by the user")
            if not chat.user.started:
                raise forbidden("bot can't initiate conversation with a user")
        elif chat.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {_kind_name(chat)} chat")
        elif chat.bot_status == "left":
            raise forbidden(f"bot is not a member of the {_kind_name(chat)} chat")
        return chat

    def _resolve_username(self, chat_id: str) -> Any:
        if chat_id.lstrip("-").isdigit():
            return int(chat_id)
        name = chat_id.removeprefix("@").lower()
        for chat in self.chats.values():
            if chat.username and chat.username.lower() == name:
                return chat.id
        raise bad_request(CHAT_NOT_FOUND)

    # --- messages --------------------------------------------------------------------
    def add_message(
        self, chat: Chat, sender: User, content: dict[str, Any], **extra: Any
    ) -> dict[str, Any]:
        """Store a new message from ``sender`` and return its ``Message`` dict."""
        message: dict[str, Any] = {
            "message_id": chat.take_message_id(),
            "date": now(),
            "chat": chat.to_dict(),
            "from": sender.to_dict(),
        }
        message.update({k: v for k, v in extra.items() if v is not None})
        message.update(content)
        chat.messages[message["message_id"]] = message
        if sender.id == self.bot.id:
            chat.bot_log.append(message["message_id"])
            chat.activity.append((message["message_id"], False))
        return message

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot has (still) in ``chat_id``, oldest first, as edited."""
        chat = self.chats.get(chat_id)
        if chat is None:
            return []
        return [chat.messages[i] for i in chat.bot_log if i in chat.messages]


def _kind_name(chat: Chat) -> str:
    return {"group": "group", "channel": "channel"}.get(chat.type, "supergroup")
