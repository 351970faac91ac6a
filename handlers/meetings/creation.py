"""A new meeting (the dialog `meetd`): from an item of the approved plan or from scratch —
topic, form, date and time, duration, link, agenda — then a check and «Schedule and
announce» (the card in the group and the invitations are notices)."""

from __future__ import annotations

from datetime import datetime

from telegram import Update

from bot.callbacks import Callback, cb
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import zone_title
from bot.keyboards import inline
from bot.meeting_forms import FORM_TITLES, form_key
from bot.replies import ack
from handlers.meetings.buttons import MEET, NewMeeting
from handlers.meetings.texts import form_title
from services import meetings as service
from services.errors import InvalidInput
from services.formatting import format_datetime, format_month
from services.texts import N_

NEW = register_dialog(Dialog("meetd"))
DURATIONS = (45, 60, 90, 120)


@MEET.on(NewMeeting)
async def new_meeting(update: Update, context: BotContext, press: NewMeeting) -> None:
    start = await service.start_new_meeting(context.session, context.actor, press.association_id)
    await ack(update)
    data = {"association_id": press.association_id, "zone": start.timezone, "agenda": []}
    await NEW.start(update, context, "plan" if start.plan_items else "topic", data)


def _zone(turn: Turn) -> str:
    return turn.data.get("zone") or turn.context.settings.default_timezone


# from the plan -------------------------------------------------------------------------------
async def ask_plan(turn: Turn) -> None:
    t = turn.t
    items = await service.plan_items_to_schedule(turn.context.session, turn.data["association_id"])
    rows = [
        [
            (
                f"{format_month(item.year, item.month, t.language)} · {item.topic}"[:60],
                cb("meetd", "item", item.id),
            )
        ]
        for item in items[:20]
    ]
    rows.append([(t.plain("✏️ A meeting outside the plan"), cb("meetd", "scratch"))])
    await turn.say(
        t.gettext(
            "New meeting. Which item of the approved plan does it fulfil? The topic and the "
            "form are taken from the plan. /cancel stops."
        ),
        inline(rows),
    )


async def on_plan(turn: Turn, data: Callback) -> None:
    t = turn.t
    if data.action == "scratch":
        await turn.goto("topic")
        return
    try:
        item_id = data.int_arg(0) if data.action == "item" else None
    except ValueError:
        item_id = None
    try:
        item = await service.plan_item_to_schedule(
            turn.context.session, turn.data["association_id"], item_id
        )
    except service.PlanItemUnavailable as error:
        await turn.refuse(error)
        return
    form = form_key(item.form)
    turn.put(topic=" ".join(item.topic.split())[:300], form=form, plan_item_id=item.id)
    await turn.show(
        t.gettext("Topic: {topic}", topic=item.topic)
        + "\n"
        + t.gettext("Form: <b>{form}</b>", form=form_title(t, form))
    )
    await turn.goto("when")


# from scratch --------------------------------------------------------------------------------
def _ask_topic(turn: Turn) -> str:
    return turn.t.gettext(
        "New meeting. What is its topic? For example: "
        "<i>Functional literacy in mathematics lessons</i>. /cancel stops."
    )


def _forms(turn: Turn) -> list[tuple[str, str]]:
    return [(key, turn.t.plain(title)) for key, title in FORM_TITLES.items()]


async def ask_when(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "When? Date and time, for example: <i>12.12 15:00</i>, <i>12.12.2026 15:00</i>, "
            "<i>12 декабря 15:00</i> or <i>завтра 15:00</i>. Time zone: {zone}.",
            zone=zone_title(turn.t, _zone(turn)),
        )
    )


async def on_when(turn: Turn, text: str) -> None:
    association = await service.association_of(turn.context.session, turn.data["association_id"])
    try:
        moment = service.parse_start(association, text, lang=turn.t.language)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(starts_at=moment.isoformat())
    await turn.say(
        turn.t.gettext(
            "Date and time: <b>{when}</b>",
            when=format_datetime(moment, association.timezone, turn.t.language),
        )
    )
    await turn.goto("duration")


async def ask_duration(turn: Turn) -> None:
    t = turn.t
    buttons = [
        (t.nplain("{n} min", "{n} min", minutes), cb("meetd", "dur", minutes))
        for minutes in DURATIONS
    ]
    await turn.say(
        t.gettext("How long will it last? Choose or send the number of minutes."),
        inline([buttons]),
    )


async def on_duration_text(turn: Turn, text: str) -> None:
    try:
        minutes = service.clean_duration(text)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(duration=minutes)
    await turn.goto("link")


async def on_duration_button(turn: Turn, data: Callback) -> None:
    try:
        minutes = service.clean_duration(data.arg(0) or "")
    except InvalidInput:
        await turn.repeat()
        return
    turn.put(duration=minutes)
    await turn.goto("link")


def _ask_link(turn: Turn) -> str:
    return turn.t.gettext(
        "The link to the on-line platform (https://…), for example: "
        "<i>https://meet.example.ru/vmo</i>."
    )


async def ask_agenda(turn: Turn) -> None:
    t = turn.t
    agenda = turn.data.get("agenda", [])
    lines = [t.gettext("<b>Agenda</b>")]
    lines += [
        t.gettext("{index}. {title} — {speaker}", index=i, title=title, speaker=speaker or "—")
        for i, (title, speaker) in enumerate(agenda, 1)
    ]
    lines.append(
        t.gettext(
            "Send an agenda item, one per message, with the speaker after a dash: "
            "<i>On the results of the diagnostics — Smirnova E. V.</i>"
        )
    )
    buttons = [[(t.plain("✅ Agenda is complete"), cb("meetd", "done"))]] if agenda else []
    await turn.say("\n".join(lines), inline(buttons) if buttons else None)


async def on_agenda_text(turn: Turn, text: str) -> None:
    try:
        agenda = service.add_agenda_item(turn.data.get("agenda", []), text)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(agenda=[list(item) for item in agenda])
    await turn.repeat()


async def on_agenda_button(turn: Turn, data: Callback) -> None:
    if data.action != "done" or not turn.data.get("agenda"):
        await turn.repeat()
        return
    await turn.goto("confirm")


# the check and the announcement --------------------------------------------------------------
def _summary(turn: Turn) -> str:
    t, data = turn.t, turn.data
    moment = datetime.fromisoformat(data["starts_at"])
    lines = [
        t.gettext("<b>Check the meeting</b>"),
        t.gettext("Topic: {topic}", topic=data["topic"]),
        t.gettext("Form: <b>{form}</b>", form=form_title(t, data["form"])),
        t.gettext(
            "Date and time: <b>{when}</b>", when=format_datetime(moment, _zone(turn), t.language)
        ),
        t.ngettext("Duration: {n} minute", "Duration: {n} minutes", data["duration"]),
        t.gettext("Link: {link}", link=data["link"]),
        t.ngettext("{n} agenda item", "{n} agenda items", len(data["agenda"])),
    ]
    if data.get("plan_item_id"):
        lines.append(t.gettext("Fulfils an item of the approved plan."))
    return "\n".join(lines)


async def discard(turn: Turn) -> None:
    await turn.finish()
    await turn.say(turn.t.gettext("Discarded; nothing was scheduled."))


async def announce(turn: Turn) -> None:
    t, data = turn.t, turn.data
    try:
        meeting = await service.schedule_meeting(
            turn.context.session,
            turn.context.actor,
            association_id=data["association_id"],
            topic=data["topic"],
            form=data["form"],
            starts_at=datetime.fromisoformat(data["starts_at"]),
            duration_minutes=data["duration"],
            link=data["link"],
            agenda=[tuple(item) for item in data["agenda"]],
            plan_item_id=data.get("plan_item_id"),
        )
    except service.PlanItemUnavailable as error:
        # Another meeting took the item meanwhile: keep everything, schedule it outside the
        # plan. Nothing was written before this refusal (the service checks first).
        turn.drop("plan_item_id")
        await turn.say(t.error(error))
        await turn.repeat()
        return
    except InvalidInput as error:
        # The time passed while the leader was typing: ask for it again, keep the rest.
        await turn.say(t.error(error))
        await turn.goto("when")
        return
    association = await service.association_of(turn.context.session, data["association_id"])
    await turn.finish()
    note = (
        t.gettext("The card is posted in the group.")
        if association.chat_id is not None
        else t.gettext("The association has no group yet, so there is no card in a group.")
    )
    await turn.say(
        t.gettext(
            "📣 Meeting No. {number} is scheduled. Members are being invited privately "
            "with a calendar file.",
            number=meeting.number,
        )
        + "\n"
        + note
    )


NEW.step("plan", ask=ask_plan, on_button=on_plan)
NEW.text_step("topic", prompt=_ask_topic, key="topic", clean=service.clean_topic, then="form")
NEW.choice_step(
    "form",
    prompt=N_("Choose the form of the meeting:"),
    options=_forms,
    key="form",
    then="when",
    width=2,
)
NEW.step("when", ask=ask_when, on_text=on_when)
NEW.step("duration", ask=ask_duration, on_text=on_duration_text, on_button=on_duration_button)
NEW.text_step("link", prompt=_ask_link, key="link", clean=service.clean_link, then="agenda")
NEW.step("agenda", ask=ask_agenda, on_text=on_agenda_text, on_button=on_agenda_button)
NEW.confirm_step(
    "confirm",
    prompt=_summary,
    yes=N_("📣 Schedule and announce"),
    on_yes=announce,
    no=N_("✖ Discard"),
    on_no=discard,
)
