"""Materials of a meeting (the dialog `meetf`): the leader sends files one by one; members
get them under the invitation and the reminders (handlers/meetings/rsvp.py sends them)."""

from __future__ import annotations

from telegram import Message, Update

from bot.callbacks import Callback, cb
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.keyboards import inline
from bot.replies import ack
from handlers.meetings.buttons import MEET, EditMaterials
from services import meetings as service
from services.errors import DomainError

FILES = register_dialog(Dialog("meetf"))


@MEET.on(EditMaterials)
async def edit_materials(update: Update, context: BotContext, press: EditMaterials) -> None:
    await service.require_open_meeting(context.session, context.actor, press.meeting_id)
    await ack(update)
    await FILES.start(update, context, "files", {"meeting_id": press.meeting_id})


async def ask_files(turn: Turn) -> None:
    t = turn.t
    found = await service.materials_of(turn.context.session, turn.data["meeting_id"])
    lines = [t.gettext("<b>Materials</b>")]
    lines += [
        t.gettext("{index}. {name}", index=i, name=m.file_name) for i, m in enumerate(found, 1)
    ]
    lines.append(
        t.gettext(
            "Send files (as documents) one by one; members get them with the reminders and "
            "by the button under the invitation."
        )
    )
    rows = [[(t.plain("Done ➡️"), cb("meetf", "done"))]]
    if found:
        rows.append([(t.plain("🗑 Remove all files"), cb("meetf", "clear"))])
    await turn.say("\n".join(lines), inline(rows))


async def on_file(turn: Turn, message: Message) -> None:
    document = message.document
    if document is None:
        await _ask_for_a_document(turn)
        return
    try:
        added = await service.add_material(
            turn.context.session,
            turn.context.actor,
            meeting_id=turn.data["meeting_id"],
            telegram_file_id=document.file_id,
            file_unique_id=document.file_unique_id,
            file_name=document.file_name or "file",
        )
    except DomainError as error:
        await turn.refuse(error)
        return
    if not added:
        await turn.say(turn.t.gettext("This file is already attached."))
    await turn.repeat()


async def on_button(turn: Turn, data: Callback) -> None:
    t, session = turn.t, turn.context.session
    if data.action == "clear":
        await service.remove_materials(
            session, turn.context.actor, meeting_id=turn.data["meeting_id"]
        )
        await turn.repeat()
        return
    if data.action != "done":
        await turn.repeat()
        return
    count = len(await service.materials_of(session, turn.data["meeting_id"]))
    await turn.finish()
    await turn.show(t.ngettext("Materials saved: {n} file.", "Materials saved: {n} files.", count))


async def on_text(turn: Turn, text: str) -> None:
    await _ask_for_a_document(turn)


async def _ask_for_a_document(turn: Turn) -> None:
    await turn.say("⚠️ " + turn.t.gettext("Please send the material as a file (a document)."))
    await turn.repeat()


FILES.step("files", ask=ask_files, on_text=on_text, on_button=on_button, on_file=on_file)
