"""The annual analytical report of an association, gathered from the database.

The statements are fixed in number (the association, its members, its meetings with
attendance, its plan items, the surveys, the leader's assessments, and the activity
layer's own statements), whatever the number of members or meetings. Everything is
returned as frozen dataclasses (`data.py`); documents/report.py turns them into the PDF.

One module per part: `members` (sections 3 and 6), `meetings` (4 and 5), `bank` (7),
`support` and `surveys` (8 and 9), `goals` (2 and the leader's conclusions of 10),
`network` (the methodists' summary), `access` (who may make it).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from models.association import Association, MemberRole
from services.activity import Period
from services.clock import now
from services.errors import NotFound
from services.report import goals as goal_rules
from services.report.bank import DOWNLOAD, bank
from services.report.data import (
    NORM_OF_MEETINGS,
    Bank,
    Evaluation,
    GoalLine,
    MeetingLine,
    MonthLine,
    Needs,
    NetworkData,
    NetworkLine,
    PlanFulfilment,
    ReportData,
    ScaleLine,
    Share,
    Support,
    academic_year,
)
from services.report.meetings import held_meetings, plan_fulfilment
from services.report.members import (
    ACTIVE_IN_MANY_FORMS,
    CATEGORY_WORDS,
    EXPERIENCE_BANDS,
    active_members,
    experience_band,
    participation,
    shares,
)
from services.report.network import gather_network
from services.report.support import support
from services.report.surveys import Word, evaluation, needs, same

__all__ = [
    "ACTIVE_IN_MANY_FORMS",
    "CATEGORY_WORDS",
    "DOWNLOAD",
    "EXPERIENCE_BANDS",
    "NORM_OF_MEETINGS",
    "Bank",
    "Evaluation",
    "GoalLine",
    "MeetingLine",
    "MonthLine",
    "Needs",
    "NetworkData",
    "NetworkLine",
    "PlanFulfilment",
    "ReportData",
    "ScaleLine",
    "Share",
    "Support",
    "academic_year",
    "default_period",
    "gather",
    "gather_network",
    "year_of",
]


def year_of(period: Period) -> int:
    """The academic year (its September's year) the period's assessments are kept under."""
    return academic_year(period.start)[0].year


def default_period(association: Association) -> Period:
    """The current academic year in the association's time zone."""
    start, end = academic_year(now().astimezone(ZoneInfo(association.timezone)).date())
    return Period(start, end, association.timezone)


async def gather(
    session: AsyncSession,
    association_id: int,
    period: Period | None = None,
    *,
    anonymous: bool = False,
    word: Word = same,
) -> ReportData:
    """Everything the report says about the association for the period (default: this year).

    ``anonymous`` names the most and the least active members by their number in the roster
    («участник № 3») instead of their names, as the leader may choose. ``word`` words the
    built-in survey questions (msgids) in the report's language.
    """
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    if period is None:
        period = default_period(association)
    members = await active_members(session, association_id)
    users = [user for user, _ in members]
    whole = len(users)
    leader = next((u.full_name or "" for u, role in members if role == MemberRole.LEADER), "")
    people = {
        u.id: f"участник № {n}" if anonymous or not u.full_name else u.full_name
        for n, u in enumerate(users, 1)
    }
    forms, many, most, least = await participation(session, association_id, period, people)
    plan = await plan_fulfilment(session, association_id, period)
    meetings = await held_meetings(session, association_id, period, whole)
    year = year_of(period)
    proposed = goal_rules.propose(plan, len(meetings))
    return ReportData(
        association_id=association.id,
        name=association.name,
        kind=association.kind.value,
        topic=association.topic or "",
        goals=association.goals or "",
        organisation=association.organisation or "",
        order_ref=association.order_ref or "",
        leader=leader,
        period=period,
        members=whole,
        by_organisation=shares([u.organisation or "не указана" for u in users], whole),
        by_position=shares([u.position or "не указана" for u in users], whole),
        by_category=shares(
            [CATEGORY_WORDS.get(u.category.value if u.category else "none", "") for u in users],
            whole,
        ),
        by_experience=shares(
            [experience_band(u.experience_years) for u in users],
            whole,
            order=[label for _low, _high, label in EXPERIENCE_BANDS],
        ),
        plan=plan,
        meetings=meetings,
        forms_active=forms,
        active_in_many=many,
        most_active=most,
        least_active=least,
        bank=await bank(session, association_id, period),
        support=await support(session, association_id, period),
        goal_lines=await goal_rules.goal_lines(
            session, association_id, year, association.goals, proposed
        ),
        evaluation=await evaluation(session, association_id, period, word),
        needs=await needs(session, association_id, period, word),
        conclusions=await goal_rules.conclusions_of(session, association_id, year),
    )
