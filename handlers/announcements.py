"""/announce: text (with formatting) and an optional photo or file → link buttons (optional) →
where → when → preview → sent through the outbox; the author gets a delivery summary."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import Callback, cb, parse, pattern
from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import Translator, person_translator, zone_title
from bot.keyboards import inline
from bot.replies import ack, alert, reply, show
from handlers.associations import STALE, explain
from models import Association
from scheduler import jobs
from scheduler.outbox import keyboard as url_keyboard
from services import announcements, associations, link_buttons
from services import outbox as outbox_service
from services.errors import DomainError, InvalidInput
from services.formatting import format_datetime
from services.texts import N_

COMMANDS = [
    CommandSpec("announce", N_("Send an announcement to your association"), Audience.LEADER)
]

DIALOG = register_dialog(Dialog("ann"))


async def announce_command(update: Update, context: BotContext) -> None:
    user = context.user
    t = context.t
    if user is None or not user.is_registered:
        await reply(update, context, t.gettext("Please register first: send /start."))
        return
    managed = await associations.held_in_roles(context.session, user.id, associations.MANAGERS)
    if not managed:
        await reply(
            update,
            context,
            t.gettext("Announcements are sent by the leader or administrator of an association."),
        )
        return
    await _list_upcoming(update, context, managed)
    if len(managed) == 1:
        await start(update, context, managed[0].id)
        return
    rows = [[(a.name[:60], cb("an", "new", a.id))] for a in managed]
    await reply(
        update, context, t.gettext("Which association is the announcement for?"), inline(rows)
    )


async def _list_upcoming(update: Update, context: BotContext, managed: list[Association]) -> None:
    """Announcements still waiting for their time, each with a button to cancel it."""
    t = context.t
    zones = {a.id: a.timezone for a in managed}
    waiting = await announcements.upcoming(context.session, list(zones))
    if not waiting:
        return
    lines, rows = [t.gettext("<b>Scheduled announcements</b>")], []
    for item in waiting:
        when = format_datetime(item.send_at, zones[item.association_id], t.language)
        lines.append(t.gettext("📅 {when}: {text}", when=when, text=_excerpt(item.text)))
        rows.append([(t.plain("✖ Cancel: {when}", when=when), cb("an", "cancel", item.id))])
    await reply(update, context, "\n".join(lines), inline(rows))


def cancel_button_of(t: Translator, announcement_id: int) -> tuple[str, str]:
    return t.plain("✖ Cancel the announcement"), cb("an", "cancel", announcement_id)


def _excerpt(html_text: str, limit: int = 60) -> str:
    """The start of an announcement (stored as Telegram HTML) as plain text."""
    flat = " ".join(html.unescape(re.sub(r"<[^>]+>", "", html_text)).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


async def cancel_button(update: Update, context: BotContext, announcement_id: int) -> None:
    announcement = await announcements.cancel(
        context.session, actor=context.actor, announcement_id=announcement_id
    )
    association = await associations.get(context.session, announcement.association_id)
    when = format_datetime(announcement.send_at, association.timezone, context.t.language)
    await show(
        update,
        context,
        context.t.gettext(
            "✖ The announcement to «{name}» scheduled for {when} is cancelled; nothing was sent.",
            name=association.name,
            when=when,
        ),
    )
    await ack(update)


async def start(update: Update, context: BotContext, association_id: int) -> None:
    await announcements.check_author(
        context.session, actor=context.actor, association_id=association_id
    )
    association = await associations.get(context.session, association_id)
    await DIALOG.start(
        update,
        context,
        "content",
        {
            "association_id": association_id,
            "name": association.name,
            "has_group": association.chat_id is not None,
            "to_group": association.chat_id is not None,
            "to_members": association.chat_id is None,
            "pin": False,
        },
    )


async def announce_button(update: Update, context: BotContext) -> None:
    data = parse(update.callback_query.data if update.callback_query else None)
    try:
        target = data.int_arg(0) if data and data.action in ("new", "cancel") else None
    except ValueError:
        target = None
    if data is None or target is None:
        await alert(update, context.t.plain(STALE))
        return
    try:
        if data.action == "cancel":
            await cancel_button(update, context, target)
            return
        await start(update, context, target)
    except DomainError as error:
        await explain(update, context, error)
        return
    await ack(update)


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


async def on_content_file(turn: Turn, message: Message) -> None:
    if message.photo:
        file_id, kind, name = message.photo[-1].file_id, "photo", "photo.jpg"
    elif message.document:
        file_id, kind = message.document.file_id, "document"
        name = message.document.file_name or "file"
    else:
        await turn.say("⚠️ " + turn.t.gettext("Please send a text, a photo or a file."))
        await turn.repeat()
        return
    caption = message.caption_html or ""
    try:
        text = announcements.clean_text(caption, with_file=True)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(text=text, file={"id": file_id, "kind": kind, "name": name})
    await turn.goto("buttons")


# where -----------------------------------------------------------------------------------------
def _mark(on: bool) -> str:
    return "✅ " if on else "▫️ "


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
    association = await associations.get(turn.context.session, turn.data["association_id"])
    await turn.say(
        turn.t.gettext(
            "When? Send the date and time (DD.MM.YYYY HH:MM) or press «Now». Time zone: {zone}.",
            zone=zone_title(turn.t, association.timezone),
        ),
        inline([[(turn.t.plain("⚡ Now"), cb("ann", "now"))]]),
    )


async def on_when_text(turn: Turn, text: str) -> None:
    association = await associations.get(turn.context.session, turn.data["association_id"])
    try:
        moment = announcements.parse_when(text, association.timezone)
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
async def ask_preview(turn: Turn) -> None:
    t, d = turn.t, turn.data
    bot, chat_id = turn.context.bot, turn.state.chat_id
    await turn.say(t.gettext("Preview:"))
    file = d.get("file")
    markup = url_keyboard(link_buttons.one_per_row(d.get("buttons", [])))
    if file and file["kind"] == "photo":
        await bot.send_photo(chat_id, file["id"], caption=d["text"], reply_markup=markup)
    elif file:
        await bot.send_document(chat_id, file["id"], caption=d["text"], reply_markup=markup)
    else:
        await turn.say(d["text"], markup)
    association = await associations.get(turn.context.session, d["association_id"])
    where = []
    if d["to_group"]:
        where.append(t.plain("the group, pinned") if d["pin"] else t.plain("the group"))
    if d["to_members"]:
        where.append(t.plain("every member privately"))
    when = (
        format_datetime(datetime.fromisoformat(d["send_at"]), association.timezone, t.language)
        if d.get("send_at")
        else t.plain("now")
    )
    await turn.say(
        t.gettext("Where: {where}\nWhen: {when}", where=", ".join(where), when=when),
        inline(
            [
                [(t.plain("📣 Send"), cb("ann", "send"))],
                [(t.plain("✏️ Change the text"), cb("ann", "redo"))],
            ]
        ),
    )


async def on_preview(turn: Turn, data: Callback) -> None:
    if data.action == "redo":
        await turn.goto("content")
        return
    if data.action != "send":
        await turn.repeat()
        return
    d = turn.data
    file = d.get("file") or {}
    draft = announcements.Draft(
        text=d["text"],
        to_group=d["to_group"],
        to_members=d["to_members"],
        pin=d["pin"],
        send_at=datetime.fromisoformat(d["send_at"]) if d.get("send_at") else None,
        telegram_file_id=file.get("id"),
        file_kind=file.get("kind"),
        file_name=file.get("name"),
        buttons=tuple(d.get("buttons", [])),
    )
    try:
        announcement, count = await announcements.publish(
            turn.context.session,
            actor=turn.context.actor,
            association_id=d["association_id"],
            draft=draft,
        )
    except DomainError as error:
        await turn.finish()
        await turn.show(turn.t.error(error))
        return
    await turn.finish()
    if draft.send_at is None:
        await turn.show(
            turn.t.ngettext(
                "📣 The announcement is on its way: {n} message. "
                "I will send you a delivery summary.",
                "📣 The announcement is on its way: {n} messages. "
                "I will send you a delivery summary.",
                count,
            )
        )
        return
    association = await associations.get(turn.context.session, d["association_id"])
    when = format_datetime(draft.send_at, association.timezone, turn.t.language)
    await turn.show(
        turn.t.ngettext(
            "📅 The announcement will go out {when}: {n} message. Until then you can cancel it "
            "here or in /announce.",
            "📅 The announcement will go out {when}: {n} messages. Until then you can cancel it "
            "here or in /announce.",
            count,
            when=when,
        ),
        inline([[cancel_button_of(turn.t, announcement.id)]]),
    )


DIALOG.step("content", ask=ask_content, on_text=on_content_text, on_file=on_content_file)
DIALOG.link_buttons_step(
    "buttons",
    prompt=N_(
        "Add link buttons under the announcement (registration, a document, a meeting room)? "
        "Send one per line as <i>Label - https://link</i>, or press «No buttons»."
    ),
    then="where",
)
DIALOG.step("where", ask=ask_where, on_button=on_where)
DIALOG.step("when", ask=ask_when, on_text=on_when_text, on_button=on_when_now)
DIALOG.step("preview", ask=ask_preview, on_button=on_preview)


# delivery summaries ----------------------------------------------------------------------------
async def summary_sweep(context: BotContext) -> None:
    """Periodic: tell authors how their finished announcements were delivered."""
    default = context.bot_data["settings"].default_language

    async def report(session: AsyncSession) -> None:
        messages = []
        for summary in await announcements.finished_unreported(session):
            author = summary.author
            if author is None or author.telegram_id is None:
                continue
            t = person_translator(author, default)
            p = summary.progress
            messages.append(
                outbox_service.Outgoing(
                    chat_id=author.telegram_id,
                    text=t.gettext(
                        "📊 The announcement to «{name}» is delivered: {sent} of {total}. "
                        "Blocked the bot: {blocked}. Not delivered: {failed}.",
                        name=summary.association_name,
                        sent=p.sent,
                        total=p.total,
                        blocked=p.blocked,
                        failed=p.failed + p.unconfirmed + p.cancelled,
                    ),
                    dedupe_key=f"ann-summary:{summary.announcement.id}",
                )
            )
        await outbox_service.enqueue(session, messages)

    await jobs.sweep_into_outbox(context, report)


_scheduled: list[bool] = []


def register(app: Application) -> None:
    app.add_handler(CommandHandler("announce", announce_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(announce_button, pattern=pattern("an")))
    if not _scheduled:
        _scheduled.append(True)
        jobs.add_sweep(summary_sweep, every=timedelta(seconds=30), name="announcement-summaries")
