"""The activity ranking of an association (/members → «📊 Activity»): who may see it, the
period it covers, its pages, and the least active members.

Every count comes from services/activity.py (`tally`, `held_meetings`, `ranked`): this
module only chooses the people (the active members), the period and the page.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, MemberRole, Membership, MembershipStatus, NetworkRole, User
from models.plans import PlanRoute, RouteStep
from models.user import NetworkRoleGrant
from services.access import (
    ASSOCIATION_ROLE_TITLES,
    Actor,
    network_roles,
    require_registered,
)
from services.activity import DEFAULT_WEIGHTS, Counts, Form, Period, held_meetings, ranked, tally
from services.clock import academic_year_bounds, academic_year_start, now
from services.errors import NotFound, PermissionDenied
from services.texts import T_

TOP = 10  # people on one page of the ranking
LEAST = 5  # the least active shown under it

# The forms as the compact breakdown names them: «встречи 5 · опросы 3 · материалы 1».
FORM_SHORT: dict[Form, str] = {
    Form.MEETINGS: T_("meetings"),
    Form.GROUP_MESSAGES: T_("group messages"),
    Form.POLLS: T_("polls"),
    Form.SURVEYS: T_("surveys"),
    Form.QUESTIONS: T_("questions"),
    Form.ANSWERS: T_("answers"),
    Form.MATERIALS: T_("materials"),
    Form.DOWNLOADS: T_("downloads"),
    Form.TASKS: T_("tasks"),
    Form.MESSAGES: T_("letters"),
    Form.CONTESTS: T_("contests"),
}


class Span(enum.StrEnum):
    """The periods the ranking offers."""

    MONTH = "month"  # this calendar month
    YEAR = "year"  # this academic year (the default)
    LAST_YEAR = "last"  # the previous academic year


def period_of(span: Span, today: date, timezone: str) -> Period:
    """The period a button names, as seen on `today` in the association's zone."""
    if span is Span.MONTH:
        return Period(today.replace(day=1), today, timezone)
    start_year = academic_year_start(today) - (1 if span is Span.LAST_YEAR else 0)
    start, end = academic_year_bounds(start_year)
    return Period(start, end, timezone)


def today_in(association: Association) -> date:
    return now().astimezone(ZoneInfo(association.timezone)).date()


async def approvers(session: AsyncSession, association_id: int) -> list[User]:
    """Who approves the association's plan: the route's approver when set, else every
    holder of the network's «approver» role; reachable people only, once each."""
    routed = await session.scalars(
        select(User)
        .join(PlanRoute, PlanRoute.user_id == User.id)
        .where(
            PlanRoute.association_id == association_id,
            PlanRoute.step == RouteStep.APPROVAL,
            User.telegram_id.is_not(None),
            User.forgotten_at.is_(None),
        )
    )
    people = list(routed.all())
    if people:
        return people
    granted = await session.scalars(
        select(User)
        .join(NetworkRoleGrant, NetworkRoleGrant.user_id == User.id)
        .where(
            NetworkRoleGrant.role == NetworkRole.APPROVER,
            User.telegram_id.is_not(None),
            User.forgotten_at.is_(None),
        )
        .order_by(User.id)
    )
    return list({user.id: user for user in granted.all()}.values())


async def _role_in(session: AsyncSession, user_id: int, association_id: int) -> MemberRole | None:
    return await session.scalar(
        select(Membership.role).where(
            Membership.user_id == user_id,
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )


async def leads(session: AsyncSession, *, actor: Actor, association_id: int) -> bool:
    """Whether the actor leads the association (the roster offers them «📊 Activity»)."""
    user = await require_registered(session, actor)
    return await _role_in(session, user.id, association_id) == MemberRole.LEADER


async def require_viewer(
    session: AsyncSession, *, actor: Actor, association_id: int
) -> tuple[Association, User, bool]:
    """The association, the actor and whether they lead it: its leader, its approver, a
    network methodist or a platform admin may see the ranking; anyone else is refused."""
    user = await require_registered(session, actor)
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    if await _role_in(session, user.id, association_id) == MemberRole.LEADER:
        return association, user, True
    if actor.is_platform_admin or NetworkRole.METHODIST in await network_roles(session, user.id):
        return association, user, False
    if any(person.id == user.id for person in await approvers(session, association_id)):
        return association, user, False
    raise PermissionDenied(role=ASSOCIATION_ROLE_TITLES[MemberRole.LEADER])


async def require_leader(
    session: AsyncSession, *, actor: Actor, association_id: int
) -> tuple[Association, User]:
    """The association and its leader acting (platform admins may act for the leader)."""
    association, user, leads = await require_viewer(
        session, actor=actor, association_id=association_id
    )
    if not leads and not actor.is_platform_admin:
        raise PermissionDenied(role=ASSOCIATION_ROLE_TITLES[MemberRole.LEADER])
    return association, user


@dataclass(frozen=True, slots=True)
class Place:
    """One person in the ranking."""

    number: int  # 1 for the most active
    user: User
    score: float
    counts: Counts


@dataclass(frozen=True, slots=True)
class Ranking:
    association: Association
    span: Span
    period: Period
    held: int  # meetings held in the period
    members: int
    places: list[Place]  # everyone, most active first
    page: int
    pages: int
    leads: bool  # the viewer leads the association (may nominate)

    @property
    def shown(self) -> list[Place]:
        """The page's places: among those who did anything."""
        active = [p for p in self.places if p.score > 0]
        return active[self.page * TOP : (self.page + 1) * TOP]

    @property
    def least(self) -> list[Place]:
        """The least active, lowest first: nobody from the top ten, score 0 first."""
        active_top = {p.user.id for p in self.places if p.score > 0 and p.number <= TOP}
        rest = [p for p in self.places if p.user.id not in active_top]
        return list(reversed(rest))[:LEAST]


async def member_counts(
    session: AsyncSession,
    association_id: int,
    period: Period,
    weights: Mapping[Form, float] = DEFAULT_WEIGHTS,
) -> list[Place]:
    """Every active member with their counts and score for the period, best first."""
    start, end = period.bounds()
    rows = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.forgotten_at.is_(None),
        )
    )
    people = {user.id: user for user in rows.all()}
    activity = await tally(session, start=start, end=end, association_ids=[association_id])
    found = activity.of_association(association_id)
    counts = {person: found.get(person, Counts()) for person in people}
    return [
        Place(number, people[person], score, counts[person])
        for number, (person, score) in enumerate(ranked(counts, weights), 1)
    ]


async def ranking(
    session: AsyncSession,
    *,
    actor: Actor,
    association_id: int,
    span: Span = Span.YEAR,
    page: int = 0,
    weights: Mapping[Form, float] = DEFAULT_WEIGHTS,
) -> Ranking:
    """The ranking for the period `span` names, on page `page` (clamped)."""
    association, _user, leads = await require_viewer(
        session, actor=actor, association_id=association_id
    )
    period = period_of(span, today_in(association), association.timezone)
    places = await member_counts(session, association_id, period, weights)
    start, end = period.bounds()
    held = await held_meetings(session, start=start, end=end, association_ids=[association_id])
    active = sum(1 for p in places if p.score > 0)
    pages = max(1, -(-active // TOP))
    return Ranking(
        association=association,
        span=span,
        period=period,
        held=held.get(association_id, 0),
        members=len(places),
        places=places,
        page=min(max(page, 0), pages - 1),
        pages=pages,
        leads=leads,
    )


def breakdown(counts: Counts, titles: Mapping[Form, str] = FORM_SHORT) -> list[tuple[str, int]]:
    """(title msgid, count) of the forms used, in the order of the forms."""
    return [(titles[form], counts.by_form[form]) for form in Form if counts.by_form.get(form)]


__all__ = [
    "FORM_SHORT",
    "LEAST",
    "TOP",
    "Place",
    "Ranking",
    "Span",
    "approvers",
    "breakdown",
    "leads",
    "member_counts",
    "period_of",
    "ranking",
    "require_leader",
    "require_viewer",
]
