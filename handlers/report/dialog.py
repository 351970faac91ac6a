"""The /report dialog `repd`: period → the goals, each confirmed or corrected (with a
reason for «partly» and «not done») → the conclusions → the PDF, sent privately.

Every answer is kept in the dialog's state (bot/dialogs.py), so a restart resumes the
dialog at the question it stopped at. A person who does not lead the association (an
approver, a methodist) goes from the period straight to the PDF, with the leader's
stored values; the network summary too.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from markupsafe import escape
from telegram import Update

from bot.buttons import settle
from bot.callbacks import Callback, cb
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import translations
from bot.keyboards import inline
from models.report import Fulfilment
from services import dateparse
from services.activity import Period
from services.clock import now
from services.errors import InvalidInput
from services.formatting import format_date
from services.report import academic_year, access, goals
from services.texts import N_

REPORT = register_dialog(Dialog("repd"))
KEEP_ALL = "all"


def fulfilment_title(turn: Turn, value: Fulfilment) -> str:
    """As said of a goal: «выполнена частично»."""
    t = turn.t
    titles = {
        Fulfilment.FULLY: t.plain("fulfilled fully"),
        Fulfilment.PARTLY: t.plain("fulfilled partly"),
        Fulfilment.NOT_DONE: t.plain("not fulfilled"),
    }
    return titles[value]


def fulfilment_button(turn: Turn, value: Fulfilment) -> str:
    t = turn.t
    labels = {
        Fulfilment.FULLY: t.plain("✅ Fully"),
        Fulfilment.PARTLY: t.plain("◐ Partly"),
        Fulfilment.NOT_DONE: t.plain("✖ Not done"),
    }
    return labels[value]


def document_words(text: str) -> str:
    """Built-in survey texts in the report's language (documents are Russian)."""
    return translations("ru").gettext(text)


async def start_for_association(update: Update, context: BotContext, association_id: int) -> None:
    association, leads = await access.check_reporter(context.session, context.actor, association_id)
    data = {"association_id": association.id, "tz": association.timezone, "leads": leads}
    await REPORT.start(update, context, "period", data)


async def start_for_network(update: Update, context: BotContext) -> None:
    await access.check_network(context.session, context.actor)
    await REPORT.start(update, context, "period", {"tz": context.settings.default_timezone})


# the period ------------------------------------------------------------------------------


def _periods(turn: Turn) -> list[tuple[str, str]]:
    t = turn.t
    this = academic_year(now().astimezone(ZoneInfo(turn.data["tz"])).date())
    return [
        ("this", t.plain("This academic year ({year})", year=f"{this[0].year}/{this[1].year}")),
        ("prev", t.plain("Previous year ({year})", year=f"{this[0].year - 1}/{this[0].year}")),
        ("custom", t.plain("Another period (two dates)…")),
    ]


async def _after_period(turn: Turn) -> None:
    choice = turn.data["which"]
    if choice == "custom":
        await turn.goto("custom")
        return
    start, end = academic_year(now().astimezone(ZoneInfo(turn.data["tz"])).date())
    if choice == "prev":
        start, end = date(start.year - 1, 9, 1), date(end.year - 1, 8, 31)
    turn.put(period=[start.isoformat(), end.isoformat()])
    await _period_chosen(turn)


async def _ask_custom(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Write the period: two dates, e.g. <i>01.09.2026 – 31.05.2027</i> or "
            "<i>1 сентября 2026 – 31 мая 2027</i>."
        )
    )


async def _on_custom(turn: Turn, text: str) -> None:
    try:
        start, end = dateparse.parse_period(text)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(period=[start.isoformat(), end.isoformat()])
    await _period_chosen(turn)


def _period(turn: Turn) -> Period:
    start, end = turn.data["period"]
    return Period(date.fromisoformat(start), date.fromisoformat(end), turn.data["tz"])


async def _period_chosen(turn: Turn) -> None:
    context = turn.context
    if turn.data.get("association_id") is None:
        await access.make_network_summary(context.session, context.actor, period=_period(turn))
        await _done(turn)
        return
    if not turn.data["leads"]:
        await _build(turn)
        return
    found = await access.proposal(
        context.session,
        context.actor,
        association_id=turn.data["association_id"],
        period=_period(turn),
    )
    plan = found.plan
    turn.put(
        goals=list(found.goals),
        proposed=found.proposed.value,
        done=plan.done,
        whole=plan.planned - plan.cancelled,
        held=found.held,
        kept=found.kept,
        earlier={goal: value.value for goal, value in found.earlier.items()},
        values=[],
    )
    if not found.goals:
        await turn.say(
            turn.t.gettext(
                "The association's goals and tasks are not recorded, so section 2 will say so. "
                "They can be written in the association's card (/associations)."
            )
        )
        await turn.goto("conclusions")
        return
    await turn.goto("goal")


# the goals -------------------------------------------------------------------------------


def _basis(turn: Turn) -> str:
    t, d = turn.t, turn.data
    meetings = t.ngettext(
        "{n} meeting held of the norm of 4", "{n} meetings held of the norm of 4", d["held"]
    )
    if not d["whole"]:
        return t.gettext("no plan for the year; {meetings}", meetings=meetings)
    return t.gettext(
        "{done} of {whole} plan items done; {meetings}",
        done=d["done"],
        whole=d["whole"],
        meetings=meetings,
    )


async def _ask_goal(turn: Turn) -> None:
    t, d = turn.t, turn.data
    index = len(d["values"])
    proposed = Fulfilment(d["proposed"])
    text = t.gettext(
        "🎯 Goal {i} of {n}:\n<b>{goal}</b>\n\nThe bot proposes: <b>{value}</b> ({basis}).\n"
        "Confirm or correct it:",
        i=index + 1,
        n=len(d["goals"]),
        goal=d["goals"][index],
        value=fulfilment_title(turn, proposed),
        basis=_basis(turn),
    )
    earlier = (d.get("earlier") or {}).get(d["goals"][index])
    if earlier:
        text = t.gettext(
            "{text}\n\nYour earlier assessment: {value}.",
            text=text,
            value=fulfilment_title(turn, Fulfilment(earlier)),
        )
    # The goal's number is in the data: a press under an earlier goal's question is stale.
    buttons = [
        (fulfilment_button(turn, value), cb(REPORT.name, "goal", value.value, index))
        for value in Fulfilment
    ]
    keep = [(t.plain("Keep all as proposed"), cb(REPORT.name, "goal", KEEP_ALL, index))]
    await turn.say(text, inline([buttons, keep]))


async def _on_goal(turn: Turn, data: Callback) -> None:
    value, index = data.arg(0), data.arg(1)
    values = list(turn.data["values"])
    known = {*(f.value for f in Fulfilment), KEEP_ALL}
    if data.action != "goal" or value not in known or index != str(len(values)):
        await turn.repeat()
        return
    await _settle_goal(turn, data)
    if value == KEEP_ALL:
        proposed = turn.data["proposed"]
        values += [[proposed, None] for _ in turn.data["goals"][len(values) :]]
        turn.put(values=values)
        await turn.goto("conclusions")
        return
    turn.put(values=[*values, [value, None]])
    if value == Fulfilment.FULLY.value:
        await _next_goal(turn)
    else:
        await turn.goto("reason")


async def _settle_goal(turn: Turn, data: Callback) -> None:
    """The answered goal's question shows the choice and loses its buttons (the next goal
    is the same step, so the dialog would not settle it by itself)."""
    value = data.arg(0)
    label = (
        turn.t.plain("Keep all as proposed")
        if value == KEEP_ALL
        else fulfilment_button(turn, Fulfilment(value))
    )
    await settle(turn.update, f"➡️ {escape(label)}")
    turn.edited_pressed = True


async def _next_goal(turn: Turn) -> None:
    if len(turn.data["values"]) < len(turn.data["goals"]):
        await turn.goto("goal")
    else:
        await turn.goto("conclusions")


async def _ask_reason(turn: Turn) -> None:
    t = turn.t
    value = Fulfilment(turn.data["values"][-1][0])
    await turn.say(
        t.gettext(
            "The goal is {value}: why? Write the reason briefly (it goes into the table), or skip.",
            value=fulfilment_title(turn, value),
        ),
        inline([[(t.plain("Skip ➡️"), cb(REPORT.name, "reason"))]]),
    )


async def _on_reason(turn: Turn, text: str) -> None:
    try:
        reason = goals.clean_reason(text)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    values = list(turn.data["values"])
    values[-1] = [values[-1][0], reason]
    turn.put(values=values)
    await _next_goal(turn)


async def _on_no_reason(turn: Turn, data: Callback) -> None:
    if data.action != "reason":
        await turn.repeat()
        return
    await _next_goal(turn)


# the conclusions -------------------------------------------------------------------------


async def _ask_conclusions(turn: Turn) -> None:
    t, kept = turn.t, turn.data.get("kept") or ""
    if kept:
        text = t.gettext(
            "📝 Write your conclusions and the tasks for next year (section 10 of the report). "
            "Or keep the ones written before:\n\n<i>{kept}</i>",
            kept=kept[:1500],
        )
        label = t.plain("Keep these ➡️")
    else:
        text = t.gettext(
            "📝 Write your conclusions and the tasks for next year (section 10 of the report), "
            "or skip."
        )
        label = t.plain("Skip ➡️")
    await turn.say(text, inline([[(label, cb(REPORT.name, "conclusions"))]]))


async def _on_conclusions(turn: Turn, text: str) -> None:
    try:
        turn.put(conclusions=goals.clean_conclusions(text))
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await _build(turn)


async def _on_keep(turn: Turn, data: Callback) -> None:
    if data.action != "conclusions":
        await turn.repeat()
        return
    turn.put(conclusions=None)
    await _build(turn)


# the report ------------------------------------------------------------------------------


async def _build(turn: Turn) -> None:
    d, context = turn.data, turn.context
    assessments = None
    if d["leads"]:
        assessments = [
            goals.Assessment(goal, Fulfilment(d["proposed"]), Fulfilment(value), reason)
            for goal, (value, reason) in zip(d["goals"], d["values"], strict=True)
        ]
    await access.make_report(
        context.session,
        context.actor,
        association_id=d["association_id"],
        period=_period(turn),
        assessments=assessments,
        conclusions=d.get("conclusions") if d["leads"] else None,
        word=document_words,
    )
    await _done(turn)


async def _done(turn: Turn) -> None:
    start, end = _period(turn).start, _period(turn).end
    await turn.finish()
    await turn.say(
        turn.t.gettext(
            "⏳ The report for {start} – {end} is being prepared; the PDF will arrive here in a "
            "moment.",
            start=format_date(start, turn.t.language),
            end=format_date(end, turn.t.language),
        )
    )


REPORT.choice_step(
    "period", prompt=N_("📅 For which period?"), options=_periods, key="which", then=_after_period
)
REPORT.step("custom", ask=_ask_custom, on_text=_on_custom)
REPORT.step("goal", ask=_ask_goal, on_button=_on_goal)
REPORT.step("reason", ask=_ask_reason, on_text=_on_reason, on_button=_on_no_reason)
REPORT.step("conclusions", ask=_ask_conclusions, on_text=_on_conclusions, on_button=_on_keep)
