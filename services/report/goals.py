"""Section 2 and the leader's part of section 10: the goals and tasks with their
fulfilment, and the leader's own conclusions and tasks for next year.

The goals are the association's own text (`Association.goals`), one per line or a
numbered list («1. …», «2) …», «– …»); a single line is split at «;». Headings alone
(«Цель:», «Задачи:») are not goals.

The rule the bot proposes by, the same for every goal (the bot cannot tell which plan
items serve which goal), from the year's plan and the meetings held:

* **fully** — at least 80 % of the plan's items done (cancelled ones left out of the
  whole) and the norm of four meetings met; without a plan, the norm met;
* **not done** — less than 30 % of the items done and at most one meeting held; without
  a plan, no meeting held;
* **partly** — anything in between.

The leader confirms or corrects each value, with an optional reason for «partly» and
«not done»; the stored values are kept per association and academic year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.report import Fulfilment, ReportConclusions, ReportGoalAssessment
from services.clock import now
from services.errors import InvalidInput
from services.report.data import NORM_OF_MEETINGS, GoalLine, PlanFulfilment
from services.texts import N_

MAX_GOALS = 12
MAX_GOAL = 500
MAX_REASON = 500
MAX_CONCLUSIONS = 3000
FULLY_SHARE, NOT_DONE_SHARE = 0.8, 0.3

_MARKER = re.compile(r"^\s*(?:\d{1,2}\s*[.)]|[-–—•*·])\s*")
_HEADING = re.compile(r"(?i)^(?:цел[ьи]|задач[аи]|goals?|tasks?|цели и задачи)\s*:?$")


class ReasonTooLong(InvalidInput):
    message = N_("Please keep the reason within {limit} characters.")


class ConclusionsTooLong(InvalidInput):
    message = N_("Please keep the conclusions within {limit} characters.")


class EmptyText(InvalidInput):
    message = N_("Please write a few words.")


def split_goals(text: str | None) -> list[str]:
    """The goals and tasks as separate items, in their order."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) == 1 and ";" in lines[0]:
        lines = [part.strip() for part in lines[0].split(";") if part.strip()]
    items: list[str] = []
    for line in lines:
        item = _MARKER.sub("", line).strip().rstrip(";").strip()
        if item and not _HEADING.match(item):
            items.append(item[:MAX_GOAL])
    return items[:MAX_GOALS]


def propose(plan: PlanFulfilment, held: int) -> Fulfilment:
    """The value the bot proposes for every goal (the rule in this module's docstring)."""
    whole = plan.planned - plan.cancelled
    if whole <= 0:
        if held >= NORM_OF_MEETINGS:
            return Fulfilment.FULLY
        return Fulfilment.PARTLY if held else Fulfilment.NOT_DONE
    share = plan.done / whole
    if share >= FULLY_SHARE and held >= NORM_OF_MEETINGS:
        return Fulfilment.FULLY
    if share < NOT_DONE_SHARE and held <= 1:
        return Fulfilment.NOT_DONE
    return Fulfilment.PARTLY


def clean_reason(text: str) -> str:
    reason = " ".join(text.split())
    if not reason:
        raise EmptyText()
    if len(reason) > MAX_REASON:
        raise ReasonTooLong(limit=MAX_REASON)
    return reason


def clean_conclusions(text: str) -> str:
    cleaned = "\n".join(line.strip() for line in text.strip().splitlines())
    if not cleaned:
        raise EmptyText()
    if len(cleaned) > MAX_CONCLUSIONS:
        raise ConclusionsTooLong(limit=MAX_CONCLUSIONS)
    return cleaned


async def goal_lines(
    session: AsyncSession, association_id: int, year: int, goals: str | None, proposed: Fulfilment
) -> tuple[GoalLine, ...]:
    """The goals as the report prints them: the leader's values where stored (matched by
    the goal's text, so a reworded goal is proposed anew), the bot's proposal otherwise."""
    stored = {
        row.goal: row
        for row in await session.scalars(
            select(ReportGoalAssessment).where(
                ReportGoalAssessment.association_id == association_id,
                ReportGoalAssessment.academic_year == year,
            )
        )
    }
    lines = []
    for number, text in enumerate(split_goals(goals), 1):
        row = stored.get(text)
        confirmed = row.confirmed if row else None
        lines.append(GoalLine(number, text, proposed, confirmed, (row.reason or "") if row else ""))
    return tuple(lines)


@dataclass(frozen=True)
class Assessment:
    goal: str
    proposed: Fulfilment
    confirmed: Fulfilment
    reason: str | None = None


async def save_assessments(
    session: AsyncSession,
    *,
    association_id: int,
    year: int,
    user_id: int | None,
    assessments: Sequence[Assessment],
) -> None:
    """Replace the year's assessments with these (the caller checked the leader)."""
    await session.execute(
        delete(ReportGoalAssessment).where(
            ReportGoalAssessment.association_id == association_id,
            ReportGoalAssessment.academic_year == year,
        )
    )
    session.add_all(
        ReportGoalAssessment(
            association_id=association_id,
            academic_year=year,
            position=position,
            goal=item.goal,
            proposed=item.proposed,
            confirmed=item.confirmed,
            reason=item.reason if item.confirmed is not Fulfilment.FULLY else None,
            assessed_by_user_id=user_id,
            assessed_at=now(),
        )
        for position, item in enumerate(assessments, 1)
    )
    await session.flush()


async def conclusions_of(session: AsyncSession, association_id: int, year: int) -> str:
    row = await session.scalar(
        select(ReportConclusions).where(
            ReportConclusions.association_id == association_id,
            ReportConclusions.academic_year == year,
        )
    )
    return row.text if row else ""


async def kept_conclusions(session: AsyncSession, association_id: int, year: int) -> str:
    """What skipping keeps: this year's conclusions if written, else last year's."""
    return await conclusions_of(session, association_id, year) or await conclusions_of(
        session, association_id, year - 1
    )


async def save_conclusions(
    session: AsyncSession, *, association_id: int, year: int, user_id: int | None, text: str
) -> None:
    row = await session.scalar(
        select(ReportConclusions).where(
            ReportConclusions.association_id == association_id,
            ReportConclusions.academic_year == year,
        )
    )
    if row is None:
        row = ReportConclusions(association_id=association_id, academic_year=year, text=text)
        session.add(row)
    row.text, row.written_by_user_id, row.written_at = text, user_id, now()
    await session.flush()
