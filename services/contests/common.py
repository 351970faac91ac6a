"""What the parts of contests share: refusals, the contest's calendar, loading with checks."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, MemberRole, Membership, MembershipStatus, NetworkRole, User
from models.contests import Contest, ContestAudience, ContestJuror, ContestStatus
from services.access import (
    Actor,
    network_roles,
    require_association_role,
    require_network_role,
    require_registered,
)
from services.clock import now
from services.errors import DomainError, NotFound
from services.texts import N_

NETWORK_ZONE = "Europe/Moscow"
ORGANISERS = (MemberRole.LEADER,)


class NotOpenYet(DomainError):
    message = N_("Submissions to this contest open on {day}.")


class SubmissionsClosed(DomainError):
    message = N_("Submissions to this contest are closed: the deadline has passed.")


class NotForYou(DomainError):
    message = N_("This contest is only for the members of its association.")


class NotAJuror(DomainError):
    message = N_("You are not on the jury of this contest.")


class NotJudgingNow(DomainError):
    message = N_("Entries are scored after submissions close and until the results are out.")


class AlreadyPublished(DomainError):
    message = N_("The results of this contest are already published.")


class NotTheOrganiser(DomainError):
    message = N_(
        "Only the contest's organiser, the association's leader or a methodist can do this."
    )


async def zone_of(session: AsyncSession, contest: Contest) -> str:
    if contest.association_id is None:
        return NETWORK_ZONE
    association = await session.get(Association, contest.association_id)
    return association.timezone if association is not None else NETWORK_ZONE


def today_in(zone: str) -> date:
    return now().astimezone(ZoneInfo(zone)).date()


async def contest_today(session: AsyncSession, contest: Contest) -> date:
    return today_in(await zone_of(session, contest))


async def load(session: AsyncSession, contest_id: int) -> Contest:
    contest = await session.get(Contest, contest_id)
    if contest is None:
        raise NotFound()
    return contest


async def require_organiser(session: AsyncSession, actor: Actor, contest: Contest) -> User:
    """The actor, if they organise the contest: its organiser, the association's leader,
    a methodist or a platform admin."""
    try:
        if contest.association_id is None:
            return await require_network_role(session, actor, NetworkRole.METHODIST)
        user = await require_association_role(session, actor, contest.association_id, *ORGANISERS)
    except DomainError:
        user = await require_registered(session, actor)
        if contest.organiser_user_id != user.id:
            raise NotTheOrganiser() from None
    return user


async def may_take_part(session: AsyncSession, user: User, contest: Contest) -> bool:
    if contest.audience is ContestAudience.NETWORK or contest.association_id is None:
        return True
    found = await session.scalar(
        select(Membership.id).where(
            Membership.user_id == user.id,
            Membership.association_id == contest.association_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    return found is not None


async def is_juror(session: AsyncSession, user_id: int, contest_id: int) -> bool:
    found = await session.scalar(
        select(ContestJuror.id).where(
            ContestJuror.contest_id == contest_id, ContestJuror.user_id == user_id
        )
    )
    return found is not None


async def is_methodist(session: AsyncSession, actor: Actor, user: User) -> bool:
    return actor.is_platform_admin or NetworkRole.METHODIST in await network_roles(session, user.id)


def judging_open(contest: Contest, today: date) -> bool:
    return contest.status is not ContestStatus.PUBLISHED and today > contest.closes_on


_SPACES = re.compile(r"[\s«»\"'“”„]+")


def same_school(first: str | None, second: str | None) -> bool:
    """Whether two organisations as typed are the same school (case, quotes, spaces aside)."""
    if not first or not second:
        return False
    return _SPACES.sub(" ", first).strip().casefold() == _SPACES.sub(" ", second).strip().casefold()
