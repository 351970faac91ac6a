"""A contest as people read it: its card (dates, nominations, criteria, rules), the
contests someone organises, the rules with their file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, MemberRole, Membership, MembershipStatus
from models.contests import (
    Contest,
    ContestAudience,
    ContestCriterion,
    ContestEntry,
    ContestNomination,
    ContestStatus,
)
from services.access import Actor, require_registered
from services.contests.common import NETWORK_ZONE, is_methodist, today_in
from services.errors import NotFound


@dataclass(frozen=True)
class ContestCard:
    contest_id: int
    title: str
    rules: str
    issuer: str  # the association, or the network
    status: ContestStatus
    opens_on: date
    closes_on: date
    judging_until: date
    results_on: date
    audience: ContestAudience
    audience_vote: bool
    nominations: tuple[tuple[int, str], ...] = ()
    criteria: tuple[tuple[int, str, int], ...] = ()
    entries: int = 0
    has_rules_file: bool = False
    timezone: str = NETWORK_ZONE
    accepting: bool = False  # works are taken today (by the dates, whatever the sweeps did)


async def contest_card(session: AsyncSession, contest: Contest) -> ContestCard:
    association = (
        await session.get(Association, contest.association_id) if contest.association_id else None
    )
    nominations = (
        await session.execute(
            select(ContestNomination.id, ContestNomination.name)
            .where(ContestNomination.contest_id == contest.id)
            .order_by(ContestNomination.position)
        )
    ).all()
    criteria = (
        await session.execute(
            select(ContestCriterion.id, ContestCriterion.name, ContestCriterion.max_score)
            .where(ContestCriterion.contest_id == contest.id)
            .order_by(ContestCriterion.position)
        )
    ).all()
    entries = await session.scalar(
        select(func.count()).select_from(ContestEntry).where(ContestEntry.contest_id == contest.id)
    )
    zone = association.timezone if association else NETWORK_ZONE
    return ContestCard(
        contest_id=contest.id,
        title=contest.title,
        rules=contest.rules,
        issuer=association.name if association else "",
        status=contest.status,
        opens_on=contest.opens_on,
        closes_on=contest.closes_on,
        judging_until=contest.judging_until,
        results_on=contest.results_on,
        audience=contest.audience,
        audience_vote=contest.audience_vote,
        nominations=tuple((row[0], row[1]) for row in nominations),
        criteria=tuple((row[0], row[1], row[2]) for row in criteria),
        entries=entries or 0,
        has_rules_file=contest.rules_file_id is not None,
        accepting=contest.status is not ContestStatus.PUBLISHED
        and contest.opens_on <= today_in(zone) <= contest.closes_on,
        timezone=zone,
    )


async def organised_contests(session: AsyncSession, actor: Actor) -> list[ContestCard]:
    """The contests the actor runs (organiser, or leader of the association), newest first."""
    user = await require_registered(session, actor)
    query = select(Contest).order_by(Contest.id.desc()).limit(10)
    if not await is_methodist(session, actor, user):
        led = select(Membership.association_id).where(
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role == MemberRole.LEADER,
        )
        query = query.where(
            (Contest.organiser_user_id == user.id) | Contest.association_id.in_(led)
        )
    return [await contest_card(session, contest) for contest in (await session.scalars(query))]


async def rules_of(
    session: AsyncSession, actor: Actor, contest_id: int
) -> tuple[ContestCard, str | None]:
    """A contest's card with its rules, and the rules file's Telegram id if there is one."""
    await require_registered(session, actor)
    contest = await session.get(Contest, contest_id)
    if contest is None:
        raise NotFound()
    return await contest_card(session, contest), contest.rules_file_id
