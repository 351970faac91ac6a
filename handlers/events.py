"""/events: upcoming network events with your associations' meetings; .ics per event; the
weekly digest switch; methodists publish and cancel events."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import Callback, cb, parse, pattern
from bot.commands import Audience as CommandAudience
from bot.commands import CommandSpec
from bot.context import BotContext
from bot.dialogs import Dialog, Turn, cleaned_answer
from bot.dialogs import register as register_dialog
from bot.i18n import Translator, zone_title
from bot.keyboards import columns, inline
from bot.replies import ack, alert, show
from models import NetworkRole
from models.newsletters import EventKind, NetworkEvent
from services import dateparse, events, formatting
from services.access import network_roles, require_network_role, require_registered
from services.clock import now
from services.errors import DomainError
from services.texts import N_, T_

COMMANDS = [CommandSpec("events", N_("Upcoming events and meetings"), CommandAudience.REGISTERED)]

DIALOG = register_dialog(Dialog("evn"))
SHOWN = 15

KIND_TITLES = {
    EventKind.CONFERENCE: T_("Conference"),
    EventKind.OLYMPIAD: T_("Olympiad"),
    EventKind.CONTEST: T_("Contest"),
    EventKind.WEBINAR: T_("Webinar"),
    EventKind.OTHER: T_("Event"),
}


def _line(t: Translator, item: events.Item) -> str:
    when = events.format_when(item, t.language)
    if item.kind == "meeting":
        label = t.plain("Meeting of «{association}»", association=item.association or "")
    else:
        label = t.plain(KIND_TITLES[item.event_kind or EventKind.OTHER])
    if item.link:
        return t.gettext(
            '• <b>{when}</b> · {label}: <a href="{link}">{title}</a>',
            when=when,
            label=label,
            link=item.link,
            title=item.title,
        )
    return t.gettext("• <b>{when}</b> · {label}: {title}", when=when, label=label, title=item.title)


async def events_command(update: Update, context: BotContext) -> None:
    t = context.t
    user = await require_registered(context.session, context.actor)
    items = await events.upcoming(context.session, user)
    is_methodist = context.actor.is_platform_admin or NetworkRole.METHODIST in await network_roles(
        context.session, user.id
    )
    lines = [t.gettext("<b>Upcoming events</b>")]
    buttons: list[list[tuple[str, str]]] = []
    if not items:
        lines.append(t.gettext("Nothing is planned yet."))
    for item in items[:SHOWN]:
        lines.append(_line(t, item))
        if item.kind == "event":
            row = [(t.plain("📅 .ics: {title}", title=item.title[:30]), cb("ev", "ics", item.id))]
            if is_methodist:
                row.append((t.plain("✏️ #{id}", id=item.id), cb("ev", "edit", item.id)))
                row.append((t.plain("✖ #{id}", id=item.id), cb("ev", "del", item.id)))
            buttons.append(row)
    if len(items) > SHOWN:
        lines.append(t.ngettext("…and {n} more.", "…and {n} more.", len(items) - SHOWN))
    subscribed = await events.wants_digest(context.session, user)
    buttons.append(
        [
            (
                t.plain("🔔 Weekly digest: on") if subscribed else t.plain("🔕 Weekly digest: off"),
                cb("ev", "digest", "off" if subscribed else "on"),
            )
        ]
    )
    if is_methodist:
        buttons.append([(t.plain("➕ Publish an event"), cb("ev", "new"))])
    await show(update, context, "\n".join(lines), inline(buttons))


async def events_button(update: Update, context: BotContext) -> None:
    t = context.t
    data = parse(update.callback_query.data if update.callback_query else None)
    if data is None:
        await alert(update, t.plain("This button is out of date."))
        return
    if data.action == "digest" and data.arg(0) in ("on", "off"):
        on = await events.set_digest(context.session, actor=context.actor, on=data.arg(0) == "on")
        await ack(
            update,
            t.plain("The weekly digest is on.") if on else t.plain("The weekly digest is off."),
        )
        await events_command(update, context)
    elif data.action == "new":
        await require_network_role(context.session, context.actor, NetworkRole.METHODIST)
        await ack(update)
        await DIALOG.start(update, context, "kind")
    elif data.action == "edit":
        await _start_editing(update, context, data)
    elif data.action in ("ics", "del"):
        await _with_event(update, context, data)
    else:
        await alert(update, t.plain("This button is out of date."))


async def _with_event(update: Update, context: BotContext, data: Callback) -> None:
    t = context.t
    try:
        event_id = data.int_arg(0)
        if data.action == "ics":
            filename, content = await events.event_ics(context.session, event_id)
        else:
            event = await events.cancel_event(
                context.session, actor=context.actor, event_id=event_id
            )
    except ValueError:
        await alert(update, t.plain("This button is out of date."))
        return
    except DomainError as error:
        await alert(update, t.plain(error.message, **error.params))
        return
    if data.action == "ics":
        await ack(update)
        chat = update.effective_chat
        assert chat is not None
        await context.bot.send_document(
            chat.id,
            InputFile(content, filename=filename),
            caption=t.gettext("Add it to your calendar."),
        )
        return
    await ack(update, t.plain("Cancelled: {title}", title=event.title[:100]))
    await events_command(update, context)


async def _start_editing(update: Update, context: BotContext, data: Callback) -> None:
    await require_network_role(context.session, context.actor, NetworkRole.METHODIST)
    try:
        event = await context.session.get(NetworkEvent, data.int_arg(0))
    except ValueError:
        event = None
    if event is None or event.cancelled_at is not None:
        await alert(update, context.t.plain("This button is out of date."))
        return
    await ack(update)
    fields = {
        "edit_id": event.id,
        "kind": event.kind.value,
        "title": event.title,
        "starts_at": event.starts_at.isoformat(),
        "link": event.link,
    }
    await DIALOG.start(update, context, "summary", fields)


# publishing ----------------------------------------------------------------------------------
def _then(step: str):  # type: ignore[no-untyped-def]
    """Go on to `step` when publishing; back to the summary when editing."""

    async def go(turn: Turn) -> None:
        await turn.goto("summary" if turn.data.get("edit_id") else step)

    return go


async def ask_kind(turn: Turn) -> None:
    t = turn.t
    buttons = [
        (t.plain(title), cb("evn", "kind", kind.value)) for kind, title in KIND_TITLES.items()
    ]
    await turn.say(t.gettext("What kind of event is it?"), inline(columns(buttons, 2)))


async def on_kind(turn: Turn, data: Callback) -> None:
    try:
        kind = EventKind(data.arg(0) or "")
    except ValueError:
        await turn.repeat()
        return
    turn.put(kind=kind.value)
    await turn.goto("title")


async def ask_title(turn: Turn) -> None:
    await turn.say(turn.t.gettext("Its title?"))


on_title = cleaned_answer("title", events.clean_title, _then("when"))


async def ask_when(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "When does it start? For example <i>12.12 15:00</i> or <i>12 декабря 10:00</i>. "
            "Time zone: {zone}.",
            zone=zone_title(turn.t, turn.context.settings.default_timezone),
        )
    )


async def on_when(turn: Turn, text: str) -> None:
    try:
        zone = turn.context.settings.default_timezone
        moment = dateparse.parse_local(text, zone, now()).astimezone(UTC)
        if moment <= now():
            raise events.EventInPast()
    except DomainError as error:
        await turn.refuse(error)
        return
    turn.put(starts_at=moment.isoformat())
    await _then("link")(turn)


async def ask_link(turn: Turn) -> None:
    t = turn.t
    await turn.say(
        t.gettext("The link to the event's page or registration?"),
        inline([[(t.plain("No link"), cb("evn", "nolink"))]]),
    )


async def on_link(turn: Turn, text: str) -> None:
    try:
        link = events.clean_link(text)
    except DomainError as error:
        await turn.refuse(error)
        return
    await _link_chosen(turn, link)


async def on_nolink(turn: Turn, data: Callback) -> None:
    if data.action != "nolink":
        await turn.repeat()
        return
    await _link_chosen(turn, None)


async def _link_chosen(turn: Turn, link: str | None) -> None:
    if turn.data.get("edit_id"):
        turn.put(link=link)
        await turn.goto("summary")
    else:
        await _publish(turn, link)


# editing: a summary with a button per field -------------------------------------------------
async def ask_summary(turn: Turn) -> None:
    t, d = turn.t, turn.data
    when = formatting.format_datetime(
        datetime.fromisoformat(d["starts_at"]), turn.context.settings.default_timezone, t.language
    )
    text = t.gettext(
        "<b>Event #{id}</b>\n{title}\nStarts: {when}\nLink: {link}",
        id=d["edit_id"],
        title=d["title"],
        when=when,
        link=d.get("link") or t.plain("none"),
    )
    buttons = [
        [
            (t.plain("✏️ Title"), cb("evn", "edit", "title")),
            (t.plain("✏️ Time"), cb("evn", "edit", "when")),
        ],
        [(t.plain("✏️ Link"), cb("evn", "edit", "link"))],
        [(t.plain("💾 Save changes"), cb("evn", "save"))],
    ]
    await turn.say(text, inline(buttons))


async def on_summary(turn: Turn, data: Callback) -> None:
    if data.action == "edit" and data.arg(0) in ("title", "when", "link"):
        await turn.goto(data.arg(0) or "title")
        return
    if data.action != "save":
        await turn.repeat()
        return
    t, d = turn.t, turn.data
    try:
        event = await events.update_event(
            turn.context.session,
            actor=turn.context.actor,
            event_id=d["edit_id"],
            title=d["title"],
            starts_at=datetime.fromisoformat(d["starts_at"]),
            link=d.get("link"),
        )
    except DomainError as error:
        await turn.refuse(error)
        return
    await turn.finish()
    await turn.show(
        t.gettext(
            "Saved: {title}, {when}.",
            title=event.title,
            when=formatting.format_datetime(event.starts_at, event.timezone, t.language),
        )
    )


async def _publish(turn: Turn, link: str | None) -> None:
    t = turn.t
    try:
        event = await events.create_event(
            turn.context.session,
            actor=turn.context.actor,
            kind=EventKind(turn.data["kind"]),
            title=turn.data["title"],
            starts_at=datetime.fromisoformat(turn.data["starts_at"]),
            link=link,
            timezone=turn.context.settings.default_timezone,
        )
    except DomainError as error:
        await turn.finish()
        await turn.say(t.error(error))
        return
    await turn.finish()
    await turn.say(
        t.gettext(
            "Published: {title}, {when}. It is in /events and in the weekly digest.",
            title=event.title,
            when=formatting.format_datetime(event.starts_at, event.timezone, t.language),
        )
    )


DIALOG.step("kind", ask=ask_kind, on_button=on_kind)
DIALOG.step("title", ask=ask_title, on_text=on_title)
DIALOG.step("when", ask=ask_when, on_text=on_when)
DIALOG.step("link", ask=ask_link, on_text=on_link, on_button=on_nolink)
DIALOG.step("summary", ask=ask_summary, on_button=on_summary)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("events", events_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(events_button, pattern=pattern("ev")))
