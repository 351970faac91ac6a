"""The jury: each juror's queue (without conflicts of interest), scoring an entry per
criterion with a comment, and the progress the organiser sees.

A conflict of interest: the juror's own work, or work from the juror's own school (the
organisation as typed in the profiles, compared without case, quotes and extra spaces).
Such entries are neither in the juror's queue nor accepted from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import User
from models.contests import (
    Contest,
    ContestCriterion,
    ContestEntry,
    ContestJuror,
    ContestScore,
    ContestStatus,
)
from services.access import Actor, require_registered
from services.audit import audit
from services.clock import now
from services.contests.common import (
    AlreadyPublished,
    NotAJuror,
    NotJudgingNow,
    contest_today,
    is_juror,
    judging_open,
    load,
    require_organiser,
    same_school,
)
from services.contests.entries import EntryView, entry_view
from services.errors import DomainError, InvalidInput, NotFound
from services.names import short_name
from services.texts import N_

MAX_COMMENT = 1000


class ScoreOutOfRange(InvalidInput):
    message = N_("Give a whole number from 0 to {top}.")


class MissingScores(InvalidInput):
    message = N_("Every criterion needs a score.")


class BadComment(InvalidInput):
    message = N_("The comment should be at most {limit} characters long.")


class Conflict(DomainError):
    message = N_(
        "You cannot score this work: it is your own or from your school (a conflict of interest)."
    )


@dataclass(frozen=True)
class Criterion:
    criterion_id: int
    name: str
    max_score: int


@dataclass(frozen=True)
class JurorProgress:
    name: str
    scored: int
    assigned: int  # entries without a conflict


@dataclass(frozen=True)
class Progress:
    contest_id: int
    title: str
    entries: int
    judged: int  # scored by at least one juror
    jurors: tuple[JurorProgress, ...]


def parse_score(text: str, top: int) -> int:
    value = text.strip().replace(",", ".")
    if not value.isdigit() or not 0 <= int(value) <= top:
        raise ScoreOutOfRange(top=top)
    return int(value)


def clean_comment(text: str | None) -> str | None:
    value = (text or "").strip()
    if len(value) > MAX_COMMENT:
        raise BadComment(limit=MAX_COMMENT)
    return value or None


async def criteria_of(session: AsyncSession, contest_id: int) -> list[Criterion]:
    rows = await session.execute(
        select(ContestCriterion.id, ContestCriterion.name, ContestCriterion.max_score)
        .where(ContestCriterion.contest_id == contest_id)
        .order_by(ContestCriterion.position)
    )
    return [Criterion(*row) for row in rows.all()]


async def _juror(session: AsyncSession, actor: Actor, contest_id: int) -> tuple[User, Contest]:
    user = await require_registered(session, actor)
    contest = await load(session, contest_id)
    if not await is_juror(session, user.id, contest.id):
        raise NotAJuror()
    return user, contest


def _conflict(juror: User, entry: ContestEntry) -> bool:
    return entry.user_id == juror.id or same_school(juror.organisation, entry.organisation)


async def _fully_scored(session: AsyncSession, juror_id: int, contest_id: int) -> set[int]:
    """The entries this juror has scored on every criterion."""
    wanted = (
        select(func.count())
        .select_from(ContestCriterion)
        .where(ContestCriterion.contest_id == contest_id)
        .scalar_subquery()
    )
    rows = await session.scalars(
        select(ContestScore.entry_id)
        .join(ContestEntry, ContestEntry.id == ContestScore.entry_id)
        .where(ContestEntry.contest_id == contest_id, ContestScore.juror_user_id == juror_id)
        .group_by(ContestScore.entry_id)
        .having(func.count() >= wanted)
    )
    return set(rows.all())


async def _assignable(session: AsyncSession, juror: User, contest_id: int) -> list[ContestEntry]:
    rows = await session.scalars(
        select(ContestEntry)
        .where(ContestEntry.contest_id == contest_id)
        .order_by(ContestEntry.nomination_id, ContestEntry.id)
    )
    return [entry for entry in rows.all() if not _conflict(juror, entry)]


async def queue(session: AsyncSession, actor: Actor, contest_id: int) -> tuple[list[int], int]:
    """The entries left for the juror to score (conflicts excluded), and how many they
    have scored."""
    juror, contest = await _juror(session, actor, contest_id)
    entries = await _assignable(session, juror, contest.id)
    done = await _fully_scored(session, juror.id, contest.id)
    left = [entry.id for entry in entries if entry.id not in done]
    return left, len(entries) - len(left)


async def juror_contests(session: AsyncSession, actor: Actor) -> list[tuple[int, str, int]]:
    """The contests where the actor is a juror and scoring is open: (id, title, left)."""
    user = await require_registered(session, actor)
    rows = await session.scalars(
        select(Contest)
        .join(ContestJuror, ContestJuror.contest_id == Contest.id)
        .where(ContestJuror.user_id == user.id, Contest.status != ContestStatus.PUBLISHED)
        .order_by(Contest.judging_until)
    )
    found = []
    for contest in rows.all():
        if judging_open(contest, await contest_today(session, contest)):
            left, _ = await queue(session, actor, contest.id)
            found.append((contest.id, contest.title, len(left)))
    return found


async def scorable(
    session: AsyncSession, actor: Actor, entry_id: int
) -> tuple[EntryView, list[Criterion]]:
    """The entry and its criteria, if the actor may score it now."""
    _, contest = await _may_score(session, actor, entry_id)
    return await entry_view(session, entry_id), await criteria_of(session, contest.id)


async def _may_score(session: AsyncSession, actor: Actor, entry_id: int) -> tuple[User, Contest]:
    entry = await session.get(ContestEntry, entry_id)
    if entry is None:
        raise NotFound()
    juror, contest = await _juror(session, actor, entry.contest_id)
    if contest.status is ContestStatus.PUBLISHED:
        raise AlreadyPublished()
    if not judging_open(contest, await contest_today(session, contest)):
        raise NotJudgingNow()
    if _conflict(juror, entry):
        raise Conflict()
    return juror, contest


async def score(
    session: AsyncSession,
    actor: Actor,
    *,
    entry_id: int,
    values: Mapping[int, int],
    comment: str | None = None,
) -> int:
    """Record (or correct) the juror's scores of the entry, one per criterion, each within
    its maximum; returns the total."""
    juror, contest = await _may_score(session, actor, entry_id)
    criteria = await criteria_of(session, contest.id)
    if set(values) != {criterion.criterion_id for criterion in criteria}:
        raise MissingScores()
    for criterion in criteria:
        value = values[criterion.criterion_id]
        if not isinstance(value, int) or not 0 <= value <= criterion.max_score:
            raise ScoreOutOfRange(top=criterion.max_score)
    note = clean_comment(comment)
    await session.execute(
        delete(ContestScore).where(
            ContestScore.entry_id == entry_id, ContestScore.juror_user_id == juror.id
        )
    )
    moment = now()
    for criterion in criteria:
        session.add(
            ContestScore(
                entry_id=entry_id,
                juror_user_id=juror.id,
                criterion_id=criterion.criterion_id,
                value=values[criterion.criterion_id],
                comment=note,
                scored_at=moment,
            )
        )
    await session.flush()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="contest.score",
        target_type="contest_entry",
        target_id=entry_id,
    )
    return sum(values.values())


async def progress(session: AsyncSession, actor: Actor, contest_id: int) -> Progress:
    contest = await load(session, contest_id)
    await require_organiser(session, actor, contest)
    return await progress_of(session, contest)


async def progress_of(session: AsyncSession, contest: Contest) -> Progress:
    jurors = (
        await session.scalars(
            select(User)
            .join(ContestJuror, ContestJuror.user_id == User.id)
            .where(ContestJuror.contest_id == contest.id)
            .order_by(User.full_name)
        )
    ).all()
    entries = (
        await session.scalars(select(ContestEntry).where(ContestEntry.contest_id == contest.id))
    ).all()
    judged: set[int] = set()
    lines = []
    for juror in jurors:
        done = await _fully_scored(session, juror.id, contest.id)
        judged |= done
        assigned = [entry for entry in entries if not _conflict(juror, entry)]
        scored = sum(1 for entry in assigned if entry.id in done)
        lines.append(JurorProgress(short_name(juror.full_name), scored, len(assigned)))
    return Progress(contest.id, contest.title, len(entries), len(judged), tuple(lines))


async def remaining_by_juror(session: AsyncSession, contest: Contest) -> list[tuple[User, int]]:
    """Each juror with the number of entries still to score (for the reminder)."""
    jurors = (
        await session.scalars(
            select(User)
            .join(ContestJuror, ContestJuror.user_id == User.id)
            .where(ContestJuror.contest_id == contest.id, User.telegram_id.is_not(None))
            .order_by(User.id)
        )
    ).all()
    found = []
    for juror in jurors:
        entries = await _assignable(session, juror, contest.id)
        done = await _fully_scored(session, juror.id, contest.id)
        found.append((juror, sum(1 for entry in entries if entry.id not in done)))
    return found
