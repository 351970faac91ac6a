"""What users do: each helper changes the world and queues the resulting update."""

from __future__ import annotations

import itertools
from typing import Any

from .limits import FloodControl
from .markup import callback_datas
from .methods_chats import join_request_update, member_dict
from .methods_messages import message_content
from .registry import Context
from .text import command_entities
from .updates import UpdateQueue
from .world import Chat, User, World, now

Update = dict[str, Any]


class UserActions:
    """Mixin for :class:`FakeBotApi`: users write, press buttons, join and leave chats."""

    world: World
    ctx: Context
    updates: UpdateQueue
    flood: FloodControl
    _answers_seen: dict[int, int]
    _query_ids = itertools.count(1)

    def push_update(self, raw: Update) -> Update:
        """Queue a raw update dict (``update_id`` is filled in) and return it."""
        return self.updates.push(raw)

    def redeliver(self, update: Update) -> None:
        """Offer an already delivered update again with the same ``update_id``."""
        self.updates.redeliver(update)

    def _user_message(
        self, user_id: int, chat_id: int | None, content: dict[str, Any], **extra: Any
    ) -> Update:
        user = self.world.user(user_id)
        chat = self._chat_for(user, chat_id)
        self._person_acts(chat)
        message = self.world.add_message(chat, user, content, **extra)
        return self.push_update({"message": message})

    def _person_acts(self, chat: Chat) -> None:
        """Someone who got an answer since their last step read it before this one."""
        if chat.type != "private":
            return
        answered = len(chat.activity)
        if answered > self._answers_seen.get(chat.id, 0):
            self.flood.person_read(chat.id)
        self._answers_seen[chat.id] = answered

    def _chat_for(self, user: User, chat_id: int | None) -> Chat:
        if chat_id is None or chat_id == user.id:
            user.started, user.blocked = True, False  # writing to a bot starts/unblocks it
            return self.world.chats[user.id]
        return self.world.chat(chat_id)

    def user_sends(
        self, user_id: int, text: str, chat_id: int | None = None, reply_to: int | None = None
    ) -> Update:
        """User ``user_id`` writes ``text`` (private chat unless ``chat_id``); commands get
        a ``bot_command`` entity."""
        content: dict[str, Any] = {"text": text}
        entities = command_entities(text)
        if entities:
            content["entities"] = entities
        return self._user_message(
            user_id, chat_id, content, **self._reply_extra(user_id, chat_id, reply_to)
        )

    def _reply_extra(
        self, user_id: int, chat_id: int | None, reply_to: int | None
    ) -> dict[str, Any]:
        if reply_to is None:
            return {}
        chat = self._chat_for(self.world.user(user_id), chat_id)
        return {"reply_to_message": chat.message(reply_to, "no such message")}

    def user_sends_document(
        self,
        user_id: int,
        file_name: str,
        content: bytes,
        mime_type: str | None = None,
        caption: str | None = None,
        chat_id: int | None = None,
        *,
        size: int | None = None,
        album: str | None = None,
    ) -> Update:
        """User sends a file; the bot can ``getFile`` and download it. ``size`` is the size
        Telegram reports (a big file without its bytes); ``album`` its ``media_group_id``."""
        stored = self.world.files.add(content, file_name, mime_type, "document", size)
        return self._user_file(user_id, chat_id, {"document": stored.to_dict()}, caption, album)

    def user_sends_photo(
        self,
        user_id: int,
        content: bytes = b"\xff\xd8\xff\xe0fake-jpeg",
        caption: str | None = None,
        chat_id: int | None = None,
        *,
        album: str | None = None,
    ) -> Update:
        """User sends a photo (one size)."""
        stored = self.world.files.add(content, None, "image/jpeg", "photo")
        body: dict[str, Any] = {
            "photo": [{**stored.to_dict(with_name=False), "width": 800, "height": 600}]
        }
        return self._user_file(user_id, chat_id, body, caption, album)

    def user_sends_video(
        self,
        user_id: int,
        file_name: str | None = "video.mp4",
        content: bytes = b"\x00\x00\x00\x18ftypmp42",
        caption: str | None = None,
        chat_id: int | None = None,
        *,
        size: int | None = None,
        album: str | None = None,
    ) -> Update:
        """User sends a video (``size``, ``album`` as for documents)."""
        stored = self.world.files.add(content, file_name, "video/mp4", "video", size)
        video = {**stored.to_dict(), "width": 1280, "height": 720, "duration": 60}
        return self._user_file(user_id, chat_id, {"video": video}, caption, album)

    def user_resends(self, user_id: int, message: dict[str, Any]) -> Update:
        """User sends the content of an earlier ``message`` again (the same file, with the
        same ``file_unique_id``)."""
        content = {k: v for k, v in message_content(message).items() if k != "media_group_id"}
        return self._user_message(user_id, message["chat"]["id"], content)

    def user_sends_voice(self, user_id: int, chat_id: int | None = None) -> Update:
        """User sends a voice message."""
        stored = self.world.files.add(b"OggS-voice", None, "audio/ogg", "voice")
        voice = {**stored.to_dict(with_name=False), "duration": 3, "mime_type": "audio/ogg"}
        return self._user_message(user_id, chat_id, {"voice": voice})

    def _user_file(
        self,
        user_id: int,
        chat_id: int | None,
        body: dict[str, Any],
        caption: str | None,
        album: str | None,
    ) -> Update:
        if caption:
            body["caption"] = caption
        if album:
            body["media_group_id"] = album
        return self._user_message(user_id, chat_id, body)

    def user_sends_sticker(
        self, user_id: int, emoji: str = "👍", chat_id: int | None = None
    ) -> Update:
        """User sends a regular static sticker."""
        stored = self.world.files.add(b"RIFF-webp", "sticker.webp", "image/webp", "sticker")
        sticker = {
            **stored.to_dict(with_name=False),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._user_message(user_id, chat_id, {"sticker": sticker})

    def user_edits(self, user_id: int, message: dict[str, Any], new_text: str) -> Update:
        """User edits their own earlier ``message``; queues ``edited_message``."""
        chat = self.world.chat(message["chat"]["id"])
        current = chat.message(message["message_id"], "no such message")
        if current["from"]["id"] != user_id:
            raise AssertionError(f"user {user_id} can't edit message {message['message_id']}")
        edited = {**current, "text": new_text, "edit_date": now()}
        edited.pop("entities", None)
        if command_entities(new_text):
            edited["entities"] = command_entities(new_text)
        chat.messages[current["message_id"]] = edited
        return self.push_update({"edited_message": edited})

    def user_presses(self, user_id: int, message: dict[str, Any], callback_data: str) -> Update:
        """User presses the inline button with ``callback_data`` under ``message``.

        The button must exist on the message as it is now (edits included), like in a real
        client; otherwise AssertionError lists the buttons that do exist."""
        user = self.world.user(user_id)
        chat = self.world.chat(message["chat"]["id"])
        current = chat.messages.get(message["message_id"])
        if current is None:
            raise AssertionError(f"message {message['message_id']} is gone (deleted?)")
        available = callback_datas(current.get("reply_markup"))
        if callback_data not in available:
            raise AssertionError(
                f"no button with callback_data={callback_data!r}; available: {sorted(available)}"
            )
        query = {
            "id": str(4_000_000_000_000 + next(self._query_ids)),
            "from": user.to_dict(),
            "message": current,
            "chat_instance": str(abs(chat.id) * 7 + 1),
            "data": callback_data,
        }
        self.ctx.callback_queries[query["id"]] = query
        self._person_acts(chat)
        return self.push_update({"callback_query": query})

    def user_answers_poll(
        self, user_id: int, poll_message: dict[str, Any], option_ids: list[int]
    ) -> Update:
        """User votes in a non-anonymous poll the bot sent; queues ``poll_answer``."""
        poll = poll_message["poll"]
        answer = {
            "poll_id": poll["id"],
            "user": self.world.user(user_id).to_dict(),
            "option_ids": option_ids,
            "option_persistent_ids": [str(i) for i in option_ids],
        }
        return self.push_update({"poll_answer": answer})

    def join_request(
        self, user_id: int, chat_id: int, invite_link: str | dict[str, Any] | None = None
    ) -> Update:
        """User asks to join ``chat_id`` (through ``invite_link``, a URL the bot created)."""
        chat = self.world.chat(chat_id)
        if isinstance(invite_link, str):
            invite_link = chat.invite_links.get(invite_link) or {
                "invite_link": invite_link,
                "creator": self.world.bot.to_dict(),
                "creates_join_request": True,
                "is_primary": False,
                "is_revoked": False,
            }
        return self.push_update(join_request_update(chat, self.world.user(user_id), invite_link))

    def chat_member_update(
        self,
        chat_id: int,
        user_id: int,
        old_status: str,
        new_status: str,
        by_user_id: int | None = None,
    ) -> Update:
        """A member's status changes (``member``, ``left``, ``kicked``, ``administrator`` ...)."""
        chat = self.world.chat(chat_id)
        user = self.world.user(user_id)
        chat.members[user_id] = new_status
        by = self.world.user(by_user_id) if by_user_id is not None else user
        return self.push_update(
            {
                "chat_member": self._member_updated(
                    chat, by, member_dict(user, old_status), member_dict(user, new_status)
                )
            }
        )

    def my_chat_member_update(self, chat_id: int, new_status: str, by_user_id: int) -> Update:
        """The bot's own status changes; in a private chat ``kicked`` means blocked."""
        chat = self.world.chat(chat_id)
        bot = self.world.bot
        old = member_dict(bot, chat.bot_status, chat.bot_rights)
        if chat.user is not None:
            chat.user.blocked = new_status == "kicked"
            chat.bot_status = new_status
        else:
            chat.bot_status = new_status
        new = member_dict(bot, new_status, chat.bot_rights)
        by = self.world.user(by_user_id)
        return self.push_update({"my_chat_member": self._member_updated(chat, by, old, new)})

    @staticmethod
    def _member_updated(
        chat: Chat, by: User, old: dict[str, Any], new: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "chat": chat.to_dict(),
            "from": by.to_dict(),
            "date": now(),
            "old_chat_member": old,
            "new_chat_member": new,
        }
