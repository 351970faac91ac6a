"""Methodists publish an event (kind → title → start → link) and correct one (a summary with
a button per field, then «Save changes»)."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update

from bot.callbacks import Callback, cb
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import zone_title
from bot.keyboards import inline
from models import NetworkRole
from models.newsletters import EventKind
from services import dateparse, events, formatting
from services.access import require_network_role
from services.clock import now
from services.errors import DomainError
from services.texts import N_, T_

DIALOG = register_dialog(Dialog("evn"))

KIND_TITLES = {
    EventKind.CONFERENCE: T_("Conference"),
    EventKind.OLYMPIAD: T_("Olympiad"),
    EventKind.CONTEST: T_("Contest"),
    EventKind.WEBINAR: T_("Webinar"),
    EventKind.OTHER: T_("Other"),
}


async def start(update: Update, context: BotContext) -> None:
    await require_network_role(context.session, context.actor, NetworkRole.METHODIST)
    await DIALOG.start(update, context, "kind")


async def start_editing(update: Update, context: BotContext, event_id: int) -> None:
    event = await events.editable_event(context.session, actor=context.actor, event_id=event_id)
    fields = {
        "edit_id": event.id,
        "kind": event.kind.value,
        "title": event.title,
        "starts_at": event.starts_at.isoformat(),
        "link": event.link,
    }
    await DIALOG.start(update, context, "summary", fields)


def _then(step: str):  # type: ignore[no-untyped-def]
    """Go on to `step` when publishing; back to the summary when editing."""

    async def go(turn: Turn) -> None:
        await turn.goto("summary" if turn.data.get("edit_id") else step)

    return go


def _kinds(turn: Turn) -> list[tuple[str, str]]:
    return [(kind.value, turn.t.plain(title)) for kind, title in KIND_TITLES.items()]


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


async def _link_chosen(turn: Turn) -> None:
    if turn.data.get("edit_id"):
        await turn.goto("summary")
    else:
        await _publish(turn)


async def _publish(turn: Turn) -> None:
    t = turn.t
    event = await events.create_event(
        turn.context.session,
        actor=turn.context.actor,
        kind=EventKind(turn.data["kind"]),
        title=turn.data["title"],
        starts_at=datetime.fromisoformat(turn.data["starts_at"]),
        link=turn.data.get("link"),
        timezone=turn.context.settings.default_timezone,
    )
    await turn.finish()
    await turn.say(
        t.gettext(
            "Published: {title}, {when}. It will appear in /events and in the weekly digest.",
            title=event.title,
            when=formatting.format_datetime(event.starts_at, event.timezone, t.language),
        )
    )


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
    elif data.action == "save":
        await _save(turn)
    else:
        await turn.repeat()


async def _save(turn: Turn) -> None:
    t, d = turn.t, turn.data
    event = await events.update_event(
        turn.context.session,
        actor=turn.context.actor,
        event_id=d["edit_id"],
        title=d["title"],
        starts_at=datetime.fromisoformat(d["starts_at"]),
        link=d.get("link"),
    )
    await turn.finish()
    await turn.show(
        t.gettext(
            "Saved: {title}, {when}.",
            title=event.title,
            when=formatting.format_datetime(event.starts_at, event.timezone, t.language),
        )
    )


DIALOG.choice_step(
    "kind",
    prompt=N_("Choose the kind of event:"),
    options=_kinds,
    key="kind",
    then="title",
    width=2,
)
DIALOG.text_step(
    "title",
    prompt=N_("Write the event's title."),
    key="title",
    clean=events.clean_title,
    then=_then("when"),
)
DIALOG.step("when", ask=ask_when, on_text=on_when)
DIALOG.text_step(
    "link",
    prompt=N_("Send the link to the event's page or its registration."),
    key="link",
    clean=events.clean_link,
    then=_link_chosen,
    skip=N_("No link"),
)
DIALOG.step("summary", ask=ask_summary, on_button=on_summary)
