"""The creation dialog (`asc`) that creating, proposing and editing an association share:
the order of its steps and what its answers make."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.dialogs import Dialog, Then, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import Translator
from models import AssociationKind, JoinPolicy, SubjectScope
from services import associations
from services.errors import InvalidInput
from services.formatting import format_date

CREATE = register_dialog(Dialog("asc"))

ORDER = (
    "kind",
    "name",
    "topic",
    "organisation",
    "goals",
    "period",
    "scope",
    "subjects",
    "policy",
    "cap",
    "parent",
    "order",
    "leader",  # only when a methodist creates it; a proposal is led by its initiator
)


def next_step(current: str) -> Then:
    """Where the dialog goes after `current`: the next question, or back to the summary
    when a single answer is being changed (or everything is answered)."""

    async def go_on(turn: Turn) -> None:
        order = ORDER if turn.data.get("mode") == "create" else ORDER[:-1]
        if turn.data.get("review") or current == order[-1]:
            await turn.goto("summary")
            return
        following = order[order.index(current) + 1]
        if following == "subjects" and turn.data.get("scope") == SubjectScope.MONO.value:
            following = "subject"  # a mono-subject association: exactly one
        await turn.goto(following)

    return go_on


def period_of(data: dict[str, Any]) -> tuple[date, date]:
    """The chosen period, or the current academic year."""
    if data.get("period_start") and data.get("period_end"):
        return date.fromisoformat(data["period_start"]), date.fromisoformat(data["period_end"])
    return associations.default_period()


def period_text(t: Translator, start: date, end: date) -> str:
    return t.plain(
        "{start} – {end}", start=format_date(start, t.language), end=format_date(end, t.language)
    )


def organisation_of(data: dict[str, Any]) -> str | None:
    """The organisation typed in, else the one suggested (the creator's, or as it is)."""
    return data.get("organisation") or data.get("organisation_suggested")


def draft_of(data: dict[str, Any], timezone: str) -> associations.Draft:
    return associations.Draft(
        kind=AssociationKind(data["kind"]),
        name=data["name"],
        topic=data["topic"],
        subject_scope=SubjectScope(data["scope"]),
        subjects=list(data.get("subjects", [])),
        join_policy=JoinPolicy(data["policy"]),
        leader_user_id=data.get("leader_id"),
        member_cap=data.get("cap"),
        parent_id=data.get("parent_id"),
        order_ref=data.get("order"),
        period=period_of(data),
        goals=data.get("goals"),
        timezone=timezone,
        organisation=organisation_of(data),
    )


def details_of(data: dict[str, Any]) -> associations.Details:
    return associations.Details(
        name=data["name"],
        topic=data["topic"],
        goals=data.get("goals"),
        period=period_of(data),
        member_cap=data.get("cap"),
        order_ref=data.get("order"),
        timezone=data["timezone"],
        organisation=organisation_of(data),
    )


# Where a refused draft is corrected (the rest of a refusal repeats the summary).
STEP_OF_ERROR: dict[type, str] = {
    associations.BadGoals: "goals",
    associations.BadOrganisation: "organisation",
    associations.CapBelowMembers: "cap",
    associations.PeriodError: "period",
    associations.UnknownTimeZone: "timezone",
}


async def correct(turn: Turn, error: InvalidInput) -> None:
    """Nothing was written: say what is wrong and ask the question that fixes it."""
    await turn.say(turn.t.error(error))
    step = next((s for kind, s in STEP_OF_ERROR.items() if isinstance(error, kind)), None)
    if step is None:
        await turn.repeat()
        return
    turn.drop("period_typing")
    turn.put(review=True)
    await turn.goto(step)
