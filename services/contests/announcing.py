"""Announcing a contest: who may, what it needs (rules, nominations, criteria, dates, jury),
and the lists the organiser sees."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, MemberRole, Membership, MembershipStatus, User
from models.contests import (
    Contest,
    ContestAudience,
    ContestCriterion,
    ContestEntry,
    ContestJuror,
    ContestNomination,
    ContestStatus,
)
from services import dateparse
from services.access import Actor, require_association_role, require_registered
from services.audit import audit
from services.clock import now
from services.contests.common import ORGANISERS, is_methodist, today_in
from services.errors import InvalidInput, NotFound
from services.names import short_name
from services.notices import Notice, tell
from services.texts import N_

MAX_TITLE = 200
MAX_RULES = 3500
MAX_NOMINATIONS = 10
MAX_CRITERIA = 10
MAX_SCORE = 100
MAX_JURORS = 30


class BadTitle(InvalidInput):
    message = N_("The title should be 3 to {limit} characters long.")


class BadRules(InvalidInput):
    message = N_("The rules should be 10 to {limit} characters long.")


class BadNominations(InvalidInput):
    message = N_("Write 1 to {limit} nominations, one per line, each 2 to 200 characters long.")


class BadCriteria(InvalidInput):
    message = N_(
        "Write 1 to {limit} criteria, one per line, each with its maximum score at the end: "
        "<i>Originality — 10</i>. A maximum is 1 to 100."
    )


class BadDate(InvalidInput):
    message = N_(
        "I could not read the date. Write it like this: <i>20.12</i>, <i>20.12.2026</i> "
        "or <i>20 декабря</i>."
    )


class DateInPast(InvalidInput):
    message = N_("This date has already passed. Choose today or a later date.")


class DateTooEarly(InvalidInput):
    message = N_("This date should come after {day}.")


class BadJury(InvalidInput):
    message = N_("Choose 1 to {limit} jurors.")


@dataclass(frozen=True)
class CriterionDraft:
    name: str
    max_score: int


@dataclass(frozen=True)
class ContestDraft:
    title: str
    rules: str
    nominations: tuple[str, ...]
    criteria: tuple[CriterionDraft, ...]
    opens_on: date
    closes_on: date
    judging_until: date
    results_on: date
    jurors: tuple[int, ...]  # user ids
    audience: ContestAudience = ContestAudience.MEMBERS
    audience_vote: bool = False
    rules_file_id: str | None = None
    rules_file_name: str | None = None


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
    timezone: str = "Europe/Moscow"
    extra: dict[str, int] = field(default_factory=dict)


# cleaning the answers ----------------------------------------------------------------------


def clean_title(text: str) -> str:
    value = " ".join(text.split())
    if not 3 <= len(value) <= MAX_TITLE:
        raise BadTitle(limit=MAX_TITLE)
    return value


def clean_rules(text: str) -> str:
    value = text.strip()
    if not 10 <= len(value) <= MAX_RULES:
        raise BadRules(limit=MAX_RULES)
    return value


def clean_nominations(text: str) -> tuple[str, ...]:
    names: list[str] = []
    for line in text.splitlines():
        name = " ".join(line.strip(" \t-•*").split())
        if not name:
            continue
        if not 2 <= len(name) <= 200:
            raise BadNominations(limit=MAX_NOMINATIONS)
        if name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    if not 1 <= len(names) <= MAX_NOMINATIONS:
        raise BadNominations(limit=MAX_NOMINATIONS)
    return tuple(names)


_CRITERION = re.compile(r"^(?P<name>.+?)[\s:—–\-]+(?P<max>\d{1,3})\s*(баллов|балла|балл)?\.?$")


def clean_criteria(text: str) -> tuple[CriterionDraft, ...]:
    found: list[CriterionDraft] = []
    for line in text.splitlines():
        line = " ".join(line.strip(" \t•*").split())
        if not line:
            continue
        match = _CRITERION.match(line)
        if match is None:
            raise BadCriteria(limit=MAX_CRITERIA)
        name, top = match["name"].strip(" -—–:"), int(match["max"])
        if not 2 <= len(name) <= 200 or not 1 <= top <= MAX_SCORE:
            raise BadCriteria(limit=MAX_CRITERIA)
        found.append(CriterionDraft(name, top))
    if not 1 <= len(found) <= MAX_CRITERIA:
        raise BadCriteria(limit=MAX_CRITERIA)
    return tuple(found)


def parse_day(text: str, zone: str, *, after: date | None = None) -> date:
    """A date as typed («20.12», «20 декабря») in the contest's zone: not in the past, after
    `after` when given, within a year."""
    try:
        day = dateparse.parse_local(f"{text.strip()} 12:00", zone, now()).date()
    except InvalidInput:
        raise BadDate() from None
    today = today_in(zone)
    if day < today:
        raise DateInPast()
    if after is not None and day <= after:
        raise DateTooEarly(day=after.strftime("%d.%m.%Y"))
    if day > today + timedelta(days=400):
        raise BadDate()
    return day


# who may announce ------------------------------------------------------------------------


async def organised_associations(session: AsyncSession, actor: Actor) -> list[Association]:
    """Where the actor may announce a contest: associations they lead (all, for a methodist)."""
    user = await require_registered(session, actor)
    query = select(Association).order_by(Association.name)
    if not await is_methodist(session, actor, user):
        query = query.join(Membership, Membership.association_id == Association.id).where(
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role.in_(ORGANISERS),
        )
    return list((await session.scalars(query.limit(50))).all())


async def jury_candidates(
    session: AsyncSession, actor: Actor, association_id: int
) -> list[tuple[int, str]]:
    """The association's active members who may sit on the jury: (user id, short name)."""
    await require_association_role(session, actor, association_id, *ORGANISERS)
    rows = await session.execute(
        select(User.id, User.full_name)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.telegram_id.is_not(None),
        )
        .order_by(User.full_name)
        .limit(60)
    )
    return [(user_id, short_name(name)) for user_id, name in rows.all()]


async def check_organiser(session: AsyncSession, actor: Actor, association_id: int) -> Association:
    await require_association_role(session, actor, association_id, *ORGANISERS)
    return await session.get_one(Association, association_id)


def _check_dates(draft: ContestDraft) -> None:
    if not draft.opens_on <= draft.closes_on <= draft.judging_until <= draft.results_on:
        raise DateTooEarly(day=draft.opens_on.strftime("%d.%m.%Y"))


async def announce(
    session: AsyncSession, actor: Actor, *, association_id: int, draft: ContestDraft
) -> Contest:
    """Create the contest with its nominations, criteria and jury; the jurors and the
    association's group are told."""
    organiser = await require_association_role(session, actor, association_id, *ORGANISERS)
    association = await session.get_one(Association, association_id)
    _check_dates(draft)
    if draft.opens_on < today_in(association.timezone):
        raise DateInPast()
    if not 1 <= len(set(draft.jurors)) <= MAX_JURORS:
        raise BadJury(limit=MAX_JURORS)
    contest = Contest(
        association_id=association_id,
        organiser_user_id=organiser.id,
        title=clean_title(draft.title),
        rules=clean_rules(draft.rules),
        rules_file_id=draft.rules_file_id,
        rules_file_name=(draft.rules_file_name or None) and draft.rules_file_name[:255],
        opens_on=draft.opens_on,
        closes_on=draft.closes_on,
        judging_until=draft.judging_until,
        results_on=draft.results_on,
        audience=draft.audience,
        audience_vote=draft.audience_vote,
        status=ContestStatus.ANNOUNCED,
        created_at=now(),
    )
    if draft.opens_on <= today_in(association.timezone):
        contest.status = ContestStatus.OPEN
    session.add(contest)
    await session.flush()
    for position, name in enumerate(draft.nominations, 1):
        session.add(ContestNomination(contest_id=contest.id, position=position, name=name))
    for position, criterion in enumerate(draft.criteria, 1):
        session.add(
            ContestCriterion(
                contest_id=contest.id,
                position=position,
                name=criterion.name,
                max_score=criterion.max_score,
            )
        )
    jurors = await _members(session, association_id, draft.jurors)
    if not jurors:
        raise BadJury(limit=MAX_JURORS)
    for juror in jurors:
        session.add(ContestJuror(contest_id=contest.id, user_id=juror.id))
    await session.flush()
    card = await contest_card(session, contest)
    for juror in jurors:
        key = f"contest:{contest.id}:juror:{juror.id}"
        tell(session, Notice("contests.jury", {"card": card}, user=juror, dedupe_key=key))
    if association.chat_id is not None:
        tell(
            session,
            Notice(
                "contests.announced",
                {"card": card},
                chat_id=association.chat_id,
                dedupe_key=f"contest:{contest.id}:announced",
            ),
        )
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="contest.announce",
        target_type="contest",
        target_id=contest.id,
    )
    return contest


async def _members(session: AsyncSession, association_id: int, ids: Sequence[int]) -> list[User]:
    rows = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.id.in_(list(ids)),
        )
        .order_by(User.id)
    )
    return list(rows.all())


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
        timezone=association.timezone if association else "Europe/Moscow",
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
