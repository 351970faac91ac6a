"""The one question of /ask's dialogs with no generic shape: «attach files, then send»."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message

from bot.callbacks import Callback, cb
from bot.dialogs import Dialog, Then, Turn
from bot.keyboards import inline
from services.consultations import FILES_LIMIT, Attachment, TooManyFiles


def files_step(dialog: Dialog, name: str, *, prompt: str, send: str, then: Then) -> None:
    """Documents and photos sent now are kept (by Telegram file id) under `files`; the
    button `send` (a msgid) goes on to `then`."""

    def keyboard(turn: Turn) -> InlineKeyboardMarkup:
        return inline([[(turn.t.plain(send), cb(dialog.name, name, "send"))]])

    async def ask(turn: Turn) -> None:
        await turn.say(turn.t.gettext(prompt), keyboard(turn))

    async def on_file(turn: Turn, message: Message) -> None:
        attachment = _attachment(message)
        if attachment is None:
            await turn.repeat()
            return
        files = [*turn.data.get("files", []), attachment]
        if len(files) > FILES_LIMIT:
            await turn.refuse(TooManyFiles())
            return
        turn.put(files=files)
        text = turn.t.ngettext(
            "📎 {n} file is attached. Send more or press the button.",
            "📎 {n} files are attached. Send more or press the button.",
            len(files),
        )
        await turn.say(text, keyboard(turn))

    async def on_button(turn: Turn, data: Callback) -> None:
        if data.action != name or data.arg(0) != "send":
            await turn.repeat()
            return
        await (turn.goto(then) if isinstance(then, str) else then(turn))

    dialog.step(name, ask=ask, on_file=on_file, on_button=on_button)


def _attachment(message: Message) -> list[object] | None:
    if message.document is not None:
        return [message.document.file_id, False]
    if message.photo:
        return [message.photo[-1].file_id, True]
    return None


def attachments(turn: Turn) -> list[Attachment]:
    """The files kept by a `files_step`."""
    return [Attachment(file_id, bool(photo)) for file_id, photo in turn.data.get("files", [])]
