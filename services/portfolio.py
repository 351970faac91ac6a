"""/portfolio: what a member did in each of their associations in an academic year, and the
portfolio extract PDF (выписка об участии для портфолио).

The counts come from services/activity.py (`tally` for the person, `held_meetings`, the
`present_pairs` of the meetings); only the lists the extract names (which meetings, which
materials) are read here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from documents.data import AssociationInfo, Person
from documents.portfolio import PortfolioData, PortfolioSection, build_portfolio
from models import Association, MemberRole, Membership, MembershipStatus, User
from models.meetings import Meeting
from models.resources import Material
from services.access import Actor, require_registered, role_holder
from services.activity import (
    FORM_TITLES,
    Counts,
    Form,
    Period,
    held_meetings,
    present_pairs,
    tally,
)
from services.catalogs import position_title
from services.clock import academic_year_bounds, academic_year_start, now
from services.offload import offload

YEARS_BACK = (0, 1)
DEFAULT_ZONE = "Europe/Moscow"  # this academic year, the previous one
Words = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Attended:
    starts_at: datetime  # in the association's zone
    topic: str


@dataclass(frozen=True, slots=True)
class Published:
    title: str
    approved_at: datetime  # in the association's zone


@dataclass(frozen=True, slots=True)
class Part:
    """The person's year in one association."""

    association: Association
    role: MemberRole
    period: Period  # of participation: the year, from joining, up to today
    held: int
    counts: Counts
    meetings: list[Attended]
    materials: list[Published]
    leader: User | None


@dataclass(frozen=True, slots=True)
class Portfolio:
    user: User
    academic_year: int  # its September's year
    years_back: int
    parts: list[Part]


def _zone(user: User) -> ZoneInfo:
    """The person's own time zone (the network's usual one when they have not chosen)."""
    return ZoneInfo(user.timezone or DEFAULT_ZONE)


def _period(
    association: Association, membership: Membership, first: date, last: date, today: date
) -> Period:
    joined = (
        membership.joined_at.astimezone(ZoneInfo(association.timezone)).date()
        if (membership.joined_at)
        else first
    )
    return Period(max(first, joined), min(last, today), association.timezone)


async def _attended(
    session: AsyncSession, association: Association, user_id: int, period: Period
) -> list[Attended]:
    start, end = period.bounds()
    present = present_pairs([association.id], start, end)
    rows = await session.execute(
        select(Meeting.starts_at, Meeting.topic)
        .join(present, present.c.meeting_id == Meeting.id)
        .where(present.c.user_id == user_id)
        .order_by(Meeting.starts_at)
    )
    zone = ZoneInfo(association.timezone)
    return [Attended(at.astimezone(zone), topic) for at, topic in rows.all()]


async def _published(
    session: AsyncSession, association: Association, user_id: int, period: Period
) -> list[Published]:
    start, end = period.bounds()
    rows = await session.execute(
        select(Material.title, Material.approved_at)
        .where(
            Material.association_id == association.id,
            Material.author_user_id == user_id,
            Material.approved_at >= start,
            Material.approved_at < end,
        )
        .order_by(Material.approved_at)
    )
    zone = ZoneInfo(association.timezone)
    return [Published(title, at.astimezone(zone)) for title, at in rows.all()]


async def portfolio(session: AsyncSession, *, actor: Actor, years_back: int = 0) -> Portfolio:
    """The registered actor's year (this one, or `years_back` = 1: the previous one) in every
    association they are an active member of."""
    user = await require_registered(session, actor)
    years_back = years_back if years_back in YEARS_BACK else 0
    rows = await session.execute(
        select(Association, Membership)
        .join(Membership, Membership.association_id == Association.id)
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Association.name, Association.id)
    )
    moment = now()
    year = academic_year_start(moment.astimezone(_zone(user)).date()) - years_back
    first, last = academic_year_bounds(year)
    parts = []
    for association, membership in rows.all():
        today = moment.astimezone(ZoneInfo(association.timezone)).date()
        period = _period(association, membership, first, last, today)
        if period.start > period.end:  # joined after the year
            continue
        start, end = period.bounds()
        activity = await tally(
            session, start=start, end=end, association_ids=[association.id], user_id=user.id
        )
        held = await held_meetings(session, start=start, end=end, association_ids=[association.id])
        parts.append(
            Part(
                association=association,
                role=membership.role,
                period=period,
                held=held[association.id],
                counts=activity.of_person(user.id).get(association.id, Counts()),
                meetings=await _attended(session, association, user.id, period),
                materials=await _published(session, association, user.id, period),
                leader=await role_holder(session, association.id, MemberRole.LEADER),
            )
        )
    return Portfolio(user, year, years_back, parts)


def forms_of(counts: Counts, held: int, words: Words, of: str) -> list[tuple[str, str]]:
    """(form title, count) of the forms used, in order; meetings as «5 of 6»."""
    rows = []
    for form in Form:
        n = counts.by_form.get(form, 0)
        if n:
            amount = f"{n} {of} {held}" if form is Form.MEETINGS and held else str(n)
            rows.append((words(FORM_TITLES[form]), amount))
    return rows


def _section(part: Part, words: Words) -> PortfolioSection:
    association = part.association
    return PortfolioSection(
        association=AssociationInfo(
            name=association.name,
            kind=association.kind.value,
            organisation=association.organisation or "",
        ),
        period_start=part.period.start,
        period_end=part.period.end,
        role=part.role.value,
        held=part.held,
        forms=forms_of(part.counts, part.held, words, "из"),
        meetings=[(m.starts_at.date(), m.topic) for m in part.meetings],
        materials=[(m.title, m.approved_at.date()) for m in part.materials],
        leader=Person(full_name=part.leader.full_name or "") if part.leader else None,
    )


async def extract(
    session: AsyncSession, *, actor: Actor, years_back: int = 0, words: Words
) -> tuple[str, bytes]:
    """The portfolio extract PDF: (file name, bytes), built off the update path."""
    found = await portfolio(session, actor=actor, years_back=years_back)
    user = found.user
    data = PortfolioData(
        person=Person(
            full_name=user.full_name or "",
            position=words(position_title(user.position or "")),
            organisation=user.organisation or "",
        ),
        academic_year=found.academic_year,
        issued_on=now().astimezone(_zone(user)).date(),
        sections=[_section(part, words) for part in found.parts],
    )
    content = await offload(build_portfolio, data)
    return f"vypiska-portfolio-{found.academic_year}-{found.academic_year + 1}.pdf", content


__all__ = ["Part", "Portfolio", "extract", "forms_of", "portfolio"]
