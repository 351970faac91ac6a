"""/events: upcoming network events with the person's associations' meetings, an .ics file
per event, the weekly digest switch; methodists also correct, cancel and publish events."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InputFile, Update

from bot.buttons import ButtonTable, Press
from bot.context import BotContext
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import ack, show
from handlers.events import publishing
from models.newsletters import EventKind
from services import events
from services.access import require_registered
from services.texts import N_, T_

SHOWN = 15
BUTTONS = ButtonTable("ev1", stale=N_("This button is out of date. Open /events again."))

KIND_TITLES = publishing.KIND_TITLES


@dataclass(frozen=True)
class CalendarFile(Press, prefix="ev1", action="ics"):
    event_id: int


@dataclass(frozen=True)
class EditEvent(Press, prefix="ev1", action="edit"):
    event_id: int


@dataclass(frozen=True)
class CancelEvent(Press, prefix="ev1", action="del"):
    event_id: int


@dataclass(frozen=True)
class ToggleDigest(Press, prefix="ev1", action="digest"):
    on: bool


@dataclass(frozen=True)
class PublishEvent(Press, prefix="ev1", action="new"):
    """➕ Publish an event (methodists)."""


MEETING_OF = T_("Meeting of «{association}»")
OTHER_EVENT = T_("Event")  # in the list; as a kind to choose it is «Other»


def _line(t: Translator, item: events.Item) -> str:
    when = events.format_when(item, t.language)
    if item.kind == "meeting":
        label = t.plain(MEETING_OF, association=item.association or "")
    else:
        kind = item.event_kind or EventKind.OTHER
        label = t.plain(OTHER_EVENT if kind is EventKind.OTHER else KIND_TITLES[kind])
    if item.link:
        return t.gettext(
            '• <b>{when}</b> · {label}: <a href="{link}">{title}</a>',
            when=when,
            label=label,
            link=item.link,
            title=item.title,
        )
    return t.gettext("• <b>{when}</b> · {label}: {title}", when=when, label=label, title=item.title)


def _event_row(t: Translator, item: events.Item, methodist: bool) -> list[tuple[str, str]]:
    row = [
        (
            t.plain("📅 To the calendar: {title}", title=item.title[:24]),
            CalendarFile(item.id).data(),
        )
    ]
    if methodist:
        row.append((t.plain("✏️ № {id}", id=item.id), EditEvent(item.id).data()))
        row.append((t.plain("✖ № {id}", id=item.id), CancelEvent(item.id).data()))
    return row


async def events_command(update: Update, context: BotContext) -> None:
    t = context.t
    user = await require_registered(context.session, context.actor)
    items = await events.upcoming(context.session, user)
    methodist = await events.may_publish(context.session, context.actor, user)
    lines = [t.gettext("<b>Upcoming events</b>")]
    buttons = []
    if not items:
        lines.append(t.gettext("Nothing is planned yet."))
    for item in items[:SHOWN]:
        lines.append(_line(t, item))
        if item.kind == "event":
            buttons.append(_event_row(t, item, methodist))
    if len(items) > SHOWN:
        lines.append(t.ngettext("…and {n} more.", "…and {n} more.", len(items) - SHOWN))
    subscribed = await events.wants_digest(context.session, user)
    label = t.plain("🔔 Weekly digest: on") if subscribed else t.plain("🔕 Weekly digest: off")
    buttons.append([(label, ToggleDigest(not subscribed).data())])
    if methodist:
        buttons.append([(t.plain("➕ Publish an event"), PublishEvent().data())])
    await show(update, context, "\n".join(lines), inline(buttons))


@BUTTONS.on(ToggleDigest)
async def toggle_digest(update: Update, context: BotContext, press: ToggleDigest) -> None:
    on = await events.set_digest(context.session, actor=context.actor, on=press.on)
    t = context.t
    await ack(
        update, t.plain("The weekly digest is on.") if on else t.plain("The weekly digest is off.")
    )
    await events_command(update, context)


@BUTTONS.on(PublishEvent)
async def publish_event(update: Update, context: BotContext, press: PublishEvent) -> None:
    await publishing.start(update, context)
    await ack(update)


@BUTTONS.on(EditEvent)
async def edit_event(update: Update, context: BotContext, press: EditEvent) -> None:
    await publishing.start_editing(update, context, press.event_id)
    await ack(update)


@BUTTONS.on(CalendarFile)
async def calendar_file(update: Update, context: BotContext, press: CalendarFile) -> None:
    filename, content = await events.event_ics(context.session, press.event_id)
    await ack(update)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        InputFile(content, filename=filename),
        caption=context.t.gettext("Open the file to add the event to your calendar."),
    )


@BUTTONS.on(CancelEvent)
async def cancel_event(update: Update, context: BotContext, press: CancelEvent) -> None:
    event = await events.cancel_event(context.session, actor=context.actor, event_id=press.event_id)
    await ack(update, context.t.plain("Cancelled: {title}", title=event.title[:100]))
    await events_command(update, context)
