"""The form's first question: the files (documents, photos, videos, by Telegram file id)
and/or a link. An album arrives as several messages: one message answers it, edited as
each file comes in."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.callbacks import Callback, cb
from bot.dialogs import Turn
from bot.i18n import Html, Translator
from bot.keyboards import inline
from bot.replies import send_text
from handlers.uploads.form import FORM, after, draft_of
from handlers.uploads.wording import files_line
from models.resources import FileKind
from services.errors import InvalidInput
from services.resources import drafts
from services.resources.drafts import DraftFile, MaterialDraft
from services.texts import T_, LazyText

log = logging.getLogger(__name__)

# What people send that is not a file of the bank, by the Message attribute that holds it.
_UNSUPPORTED: tuple[tuple[str, LazyText], ...] = (
    ("sticker", T_("A sticker")),
    ("voice", T_("A voice message")),
    ("video_note", T_("A round video message")),
    ("audio", T_("An audio file")),
    ("contact", T_("A contact")),
    ("location", T_("A location")),
    ("poll", T_("A poll")),
    ("dice", T_("A dice")),
)
_SOMETHING = T_("This kind of message")


def draft_file(message: Message) -> DraftFile:
    """The file a message carries, as the bank keeps it; Unsupported for anything else."""
    if message.document is not None:  # animations (GIF) come as documents too
        d = message.document
        return DraftFile(
            FileKind.DOCUMENT, d.file_id, d.file_unique_id, d.file_name, d.mime_type, d.file_size
        )
    if message.photo:
        p = message.photo[-1]  # the largest size
        return DraftFile(
            FileKind.PHOTO, p.file_id, p.file_unique_id, None, "image/jpeg", p.file_size
        )
    if message.video is not None:
        v = message.video
        return DraftFile(
            FileKind.VIDEO, v.file_id, v.file_unique_id, v.file_name, v.mime_type, v.file_size
        )
    what = next((title for name, title in _UNSUPPORTED if getattr(message, name, None)), None)
    raise drafts.unsupported(what or _SOMETHING)


def attached(t: Translator, draft: MaterialDraft) -> Html:
    """What the form holds so far."""
    lines = [files_line(t, draft.files)] if draft.files else []
    if draft.url:
        lines.append(t.gettext("🔗 {url}", url=draft.url))
    return Html("\n".join(lines))


def _keyboard(turn: Turn, draft: MaterialDraft) -> InlineKeyboardMarkup | None:
    t = turn.t
    rows = [[(t.plain("Done ➡️"), cb(FORM.name, "files", "done"))]]
    if draft.files or draft.url:
        rows.append([(t.plain("🗑 Start the files over"), cb(FORM.name, "files", "clear"))])
    return inline(rows)


async def ask_files(turn: Turn) -> None:
    t, draft = turn.t, draft_of(turn)
    turn.drop("status")
    if draft.files or draft.url:
        text = t.gettext(
            "{attached}\n\nSend more files or a link, or press «Done».",
            attached=attached(t, draft),
        )
    else:
        text = t.gettext(
            "Send the material: files — documents, photos, videos (up to {count}, each up to "
            "{limit} MB; an album is fine) — or a link that starts with http:// or https://. "
            "Then press «Done».",
            count=drafts.MAX_FILES,
            limit=turn.context.settings.max_upload_mb,
        )
    await turn.say(text, _keyboard(turn, draft))


async def on_file(turn: Turn, message: Message) -> None:
    try:
        new = draft_file(message)
        files = drafts.with_file(
            draft_of(turn).files, new, limit_mb=turn.context.settings.max_upload_mb
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(files=[file.as_data() for file in files])
    await _report(turn, message.media_group_id)


async def on_link(turn: Turn, text: str) -> None:
    try:
        url = drafts.clean_url(text)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(url=url)
    await _report(turn, None)


async def on_button(turn: Turn, data: Callback) -> None:
    choice = data.arg(0)
    if data.action != "files" or choice not in ("done", "clear"):
        await turn.repeat()
    elif choice == "clear":
        turn.put(files=[], url=None)
        await turn.repeat()
    elif not (turn.data.get("files") or turn.data.get("url")):
        await turn.refuse(drafts.NothingAttached())
    else:
        turn.drop("status")
        await after("files")(turn)


async def _report(turn: Turn, album: str | None) -> None:
    """Say what the form holds now: by editing the answer to the same album, else anew."""
    t, draft = turn.t, draft_of(turn)
    text = t.gettext(
        "{attached}\n\nSend more files or a link, or press «Done».", attached=attached(t, draft)
    )
    keyboard = _keyboard(turn, draft)
    status = turn.data.get("status") or {}
    if album is not None and status.get("album") == album and status.get("id"):
        try:
            await turn.context.bot.edit_message_text(
                text,
                turn.state.chat_id,
                status["id"],
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
            )
            return
        except BadRequest as error:
            log.info("could not edit the album's answer (%s); sending anew", error.message)
    sent = await send_text(turn.update, turn.context, turn.state.chat_id, text, keyboard)
    turn.put(status={"id": sent, "album": album})


FORM.step("files", ask=ask_files, on_text=on_link, on_file=on_file, on_button=on_button)
