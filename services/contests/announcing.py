"""Announcing a contest: who may, what it needs (rules, nominations, criteria, dates, jury),
and the lists the organiser sees."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Association,
    Membership,
    MembershipStatus,
    NetworkRole,
    NetworkRoleGrant,
    User,
)
from models.contests import (
    Contest,
    ContestAudience,
    ContestCriterion,
    ContestJuror,
    ContestNomination,
    ContestStatus,
)
from services import dateparse
from services.access import (
    Actor,
    require_association_role,
    require_network_role,
    require_registered,
)
from services.audit import audit
from services.clock import now
from services.contests.cards import contest_card
from services.contests.common import NETWORK_ZONE, ORGANISERS, is_methodist, today_in
from services.errors import InvalidInput
from services.names import short_name
from services.notices import Notice, tell
from services.texts import N_

MAX_TITLE = 200
MAX_NAME = 100  # a nomination's or a criterion's
MAX_RULES = 2500  # with the card and the criteria, within one message (4096)
MAX_NOMINATIONS = 10
MAX_CRITERIA = 10
MAX_SCORE = 100
MAX_JURORS = 30


class BadTitle(InvalidInput):
    message = N_("The title should be 3 to {limit} characters long.")


class BadRules(InvalidInput):
    message = N_("The rules should be 10 to {limit} characters long.")


class BadNominations(InvalidInput):
    message = N_(
        "Write 1 to {limit} nominations, one per line, each 2 to {length} characters long."
    )


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
        if not 2 <= len(name) <= MAX_NAME:
            raise BadNominations(limit=MAX_NOMINATIONS, length=MAX_NAME)
        if name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    if not 1 <= len(names) <= MAX_NOMINATIONS:
        raise BadNominations(limit=MAX_NOMINATIONS, length=MAX_NAME)
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
        if not 2 <= len(name) <= MAX_NAME or not 1 <= top <= MAX_SCORE:
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
    session: AsyncSession, actor: Actor, association_id: int | None
) -> list[tuple[int, str]]:
    """Who may sit on the jury: the association's active members, or for a network-wide
    contest the network's methodists and experts: (user id, short name)."""
    if association_id is None:
        await require_network_role(session, actor, NetworkRole.METHODIST)
        query = (
            select(User.id, User.full_name)
            .join(NetworkRoleGrant, NetworkRoleGrant.user_id == User.id)
            .where(NetworkRoleGrant.role.in_([NetworkRole.METHODIST, NetworkRole.EXPERT]))
            .distinct()
        )
    else:
        await require_association_role(session, actor, association_id, *ORGANISERS)
        query = (
            select(User.id, User.full_name)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.association_id == association_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
    rows = await session.execute(
        query.where(User.telegram_id.is_not(None)).order_by(User.full_name).limit(60)
    )
    return [(user_id, short_name(name)) for user_id, name in rows.all()]


async def check_organiser(session: AsyncSession, actor: Actor, association_id: int | None) -> str:
    """The time zone the contest's dates are typed in, if the actor may announce one there
    (None: network-wide, for a methodist)."""
    if association_id is None:
        await require_network_role(session, actor, NetworkRole.METHODIST)
        return NETWORK_ZONE
    await require_association_role(session, actor, association_id, *ORGANISERS)
    return (await session.get_one(Association, association_id)).timezone


async def may_announce_network(session: AsyncSession, actor: Actor) -> bool:
    user = await require_registered(session, actor)
    return await is_methodist(session, actor, user)


def _check_dates(draft: ContestDraft) -> None:
    if not draft.opens_on <= draft.closes_on <= draft.judging_until <= draft.results_on:
        raise DateTooEarly(day=draft.opens_on.strftime("%d.%m.%Y"))


async def announce(
    session: AsyncSession, actor: Actor, *, association_id: int | None, draft: ContestDraft
) -> Contest:
    """Create the contest with its nominations, criteria and jury; the jurors and the
    association's group are told. `association_id` None: a network-wide contest (a
    methodist's), open to every teacher, judged by the network's people."""
    zone = await check_organiser(session, actor, association_id)
    organiser = await require_registered(session, actor)
    association = await session.get(Association, association_id) if association_id else None
    _check_dates(draft)
    if draft.opens_on < today_in(zone):
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
        audience=ContestAudience.NETWORK if association is None else draft.audience,
        audience_vote=draft.audience_vote,
        status=ContestStatus.ANNOUNCED,
        created_at=now(),
    )
    if draft.opens_on <= today_in(zone):
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
    allowed = {user_id for user_id, _ in await jury_candidates(session, actor, association_id)}
    jurors = await _people(session, [i for i in draft.jurors if i in allowed])
    if not jurors:
        raise BadJury(limit=MAX_JURORS)
    for juror in jurors:
        session.add(ContestJuror(contest_id=contest.id, user_id=juror.id))
    await session.flush()
    card = await contest_card(session, contest)
    for juror in jurors:
        key = f"contest:{contest.id}:juror:{juror.id}"
        tell(session, Notice("contests.jury", {"card": card}, user=juror, dedupe_key=key))
    if association is not None and association.chat_id is not None:
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


async def _people(session: AsyncSession, ids: Sequence[int]) -> list[User]:
    rows = await session.scalars(select(User).where(User.id.in_(list(ids))).order_by(User.id))
    return list(rows.all())
