"""Writing an announcement: the text (with formatting) or a photo or file with a caption →
link buttons (optional) → where → when → a preview exactly as members get it → sent through
the outbox (the author gets a delivery summary, scheduler/announcements.py)."""

from __future__ import annotations

from datetime import datetime

from telegram import Message, Update

from bot.callbacks import Callback, cb
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import zone_title
from bot.keyboards import inline
from handlers.announcements.buttons import cancel_button
from handlers.announcements.notices import copy_text
from scheduler.outbox import keyboard as url_keyboard
from services import announcements, link_buttons
from services.errors import InvalidInput
from services.formatting import format_datetime
from services.texts import N_

DIALOG = register_dialog(Dialog("ann"))


async def start(update: Update, context: BotContext, association_id: int) -> None:
    """Open the dialog for an association the person manages."""
    where = await announcements.destination(
        context.session, actor=context.actor, association_id=association_id
    )
    await DIALOG.start(
        update,
        context,
        "content",
        {
            "association_id": association_id,
            "name": where.name,
            "timezone": where.timezone,
            "has_group": where.has_group,
            "to_group": where.has_group,
            "to_members": not where.has_group,
            "pin": False,
        },
    )


# content ---------------------------------------------------------------------------------------
async def ask_content(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Send the announcement for «{name}»: a text (bold, italics and links are kept), or a "
            "photo or file with a caption.",
            name=turn.data["name"],
        )
    )


async def on_content_text(turn: Turn, text: str) -> None:
    message = turn.update.effective_message
    html = message.text_html if message is not None else text
    try:
        turn.put(text=announcements.clean_text(html, with_file=False), file=None)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await turn.goto("buttons")


def _file_of(message: Message) -> dict[str, str] | None:
    if message.photo:
        return {"id": message.photo[-1].file_id, "kind": "photo", "name": "photo.jpg"}
    if message.document:
        name = message.document.file_name or "file"
        return {"id": message.document.file_id, "kind": "document", "name": name}
    return None


async def on_content_file(turn: Turn, message: Message) -> None:
    file = _file_of(message)
    if file is None:
        await turn.say("⚠️ " + turn.t.gettext("Send a text, a photo or a file."))
        await turn.repeat()
        return
    try:
        text = announcements.clean_text(message.caption_html or "", with_file=True)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(text=text, file=file)
    await turn.goto("buttons")


# where -----------------------------------------------------------------------------------------
def _mark(on: bool) -> str:
    return "✅ " if on else ""


async def ask_where(turn: Turn) -> None:
    t, d = turn.t, turn.data
    rows = []
    if d["has_group"]:
        rows.append([(_mark(d["to_group"]) + t.plain("To the group"), cb("ann", "grp"))])
        rows.append([(_mark(d["pin"]) + t.plain("Pin in the group"), cb("ann", "pin"))])
    rows.append([(_mark(d["to_members"]) + t.plain("Privately to every member"), cb("ann", "mem"))])
    rows.append([(t.plain("Next ➡️"), cb("ann", "next"))])
    text = t.gettext("Where should it go?")
    if not d["has_group"]:
        text += "\n" + t.gettext("(The association has no group chat yet, so only privately.)")
    await turn.show(text, inline(rows))


async def on_where(turn: Turn, data: Callback) -> None:
    d = turn.data
    if data.action == "grp" and d["has_group"]:
        turn.put(to_group=not d["to_group"], pin=d["pin"] and not d["to_group"])
    elif data.action == "pin" and d["has_group"]:
        turn.put(pin=not d["pin"], to_group=d["to_group"] or not d["pin"])
    elif data.action == "mem":
        turn.put(to_members=not d["to_members"])
    elif data.action == "next":
        if not d["to_group"] and not d["to_members"]:
            await turn.refuse(announcements.NowhereToSend())
            return
        await turn.goto("when")
        return
    await ask_where(turn)


# when ------------------------------------------------------------------------------------------
async def ask_when(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "When? Send the date and time (DD.MM.YYYY HH:MM) or press «Now». Time zone: {zone}.",
            zone=zone_title(turn.t, turn.data["timezone"]),
        ),
        inline([[(turn.t.plain("⚡ Now"), cb("ann", "now"))]]),
    )


async def on_when_text(turn: Turn, text: str) -> None:
    try:
        moment = announcements.parse_when(text, turn.data["timezone"])
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(send_at=moment.isoformat())
    await turn.goto("preview")


async def on_when_now(turn: Turn, data: Callback) -> None:
    if data.action != "now":
        await turn.repeat()
        return
    turn.put(send_at=None)
    await turn.goto("preview")


# preview ---------------------------------------------------------------------------------------
def _send_at(turn: Turn) -> datetime | None:
    return datetime.fromisoformat(turn.data["send_at"]) if turn.data.get("send_at") else None


async def _send_copy(turn: Turn) -> None:
    """The announcement exactly as members get it, header included."""
    d, bot, chat_id = turn.data, turn.context.bot, turn.state.chat_id
    user = turn.context.user
    text = copy_text(turn.t, d["text"], d["name"], user.full_name if user else "")
    file = d.get("file")
    markup = url_keyboard(link_buttons.one_per_row(d.get("buttons", [])))
    if file and file["kind"] == "photo":
        await bot.send_photo(chat_id, file["id"], caption=text, reply_markup=markup)
    elif file:
        await bot.send_document(chat_id, file["id"], caption=text, reply_markup=markup)
    else:
        await turn.say(text, markup)


async def ask_preview(turn: Turn) -> None:
    t, d = turn.t, turn.data
    await turn.say(t.gettext("Preview:"))
    await _send_copy(turn)
    where = []
    if d["to_group"]:
        where.append(t.plain("the group, pinned") if d["pin"] else t.plain("the group"))
    if d["to_members"]:
        where.append(t.plain("every member privately"))
    send_at = _send_at(turn)
    when = format_datetime(send_at, d["timezone"], t.language) if send_at else t.plain("now")
    await turn.say(
        t.gettext("Where: {where}\nWhen: {when}", where=", ".join(where), when=when),
        inline(
            [
                [(t.plain("📤 Send"), cb("ann", "send"))],
                [(t.plain("✏️ Change the text"), cb("ann", "redo"))],
            ]
        ),
    )


def _draft(turn: Turn) -> announcements.Draft:
    d = turn.data
    file = d.get("file") or {}
    return announcements.Draft(
        text=d["text"],
        to_group=d["to_group"],
        to_members=d["to_members"],
        pin=d["pin"],
        send_at=_send_at(turn),
        telegram_file_id=file.get("id"),
        file_kind=file.get("kind"),
        file_name=file.get("name"),
        buttons=tuple(d.get("buttons", [])),
    )


async def on_preview(turn: Turn, data: Callback) -> None:
    if data.action == "redo":
        await turn.goto("content")
    elif data.action == "send":
        await _publish(turn)
    else:
        await turn.repeat()


async def _publish(turn: Turn) -> None:
    t, draft = turn.t, _draft(turn)
    announcement, count = await announcements.publish(
        turn.context.session,
        actor=turn.context.actor,
        association_id=turn.data["association_id"],
        draft=draft,
    )
    await turn.finish()
    if draft.send_at is None:
        await turn.show(
            t.ngettext(
                "📣 The announcement is on its way: {n} message. "
                "I will send you a delivery summary.",
                "📣 The announcement is on its way: {n} messages. "
                "I will send you a delivery summary.",
                count,
            )
        )
        return
    when = format_datetime(draft.send_at, turn.data["timezone"], t.language)
    await turn.show(
        t.ngettext(
            "📅 The announcement will go out {when}: {n} message. Until then you can cancel it "
            "here or in /announce.",
            "📅 The announcement will go out {when}: {n} messages. Until then you can cancel it "
            "here or in /announce.",
            count,
            when=when,
        ),
        inline([[cancel_button(t, announcement.id)]]),
    )


DIALOG.step("content", ask=ask_content, on_text=on_content_text, on_file=on_content_file)
DIALOG.link_buttons_step(
    "buttons",
    prompt=N_(
        "Add link buttons under the announcement (registration, a document, a link to the "
        "video meeting)? Send one per line as <i>Label - https://link</i>, or press "
        "«No buttons»."
    ),
    then="where",
)
DIALOG.step("where", ask=ask_where, on_button=on_where)
DIALOG.step("when", ask=ask_when, on_text=on_when_text, on_button=on_when_now)
DIALOG.step("preview", ask=ask_preview, on_button=on_preview)
