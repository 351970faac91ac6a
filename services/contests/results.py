"""Results: the ranking per nomination, publishing them, the audience award.

The ranking rule. A juror's total for an entry is the sum of their scores over all the
criteria; only a juror who scored every criterion counts. An entry's result is the
average of the counted jurors' totals, rounded to hundredths. Entries are ranked per
nomination by that result, highest first; equal results share a place and the next place
is skipped (1, 1, 3: «competition ranking»), so two entries tied for first are both
winners and the next one is third. Places 1–3 get diplomas of the I, II and III degree;
an entry no juror has fully scored gets no place. The audience award goes to the entry
with the most votes (ties: every entry with that many).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, User
from models.contests import (
    Contest,
    ContestCriterion,
    ContestEntry,
    ContestJuror,
    ContestNomination,
    ContestScore,
    ContestStatus,
    ContestVote,
)
from services.access import Actor
from services.audit import audit
from services.clock import now
from services.contests.common import (
    AlreadyPublished,
    contest_today,
    load,
    require_organiser,
)
from services.contests.entries import own_entry
from services.errors import DomainError
from services.locks import lock
from services.names import clean_name, short_name
from services.notices import Notice, tell
from services.texts import N_

PRIZE_PLACES = 3
HUNDREDTH = Decimal("0.01")


class TooEarly(DomainError):
    message = N_("The results can be published once submissions are closed (after {day}).")


class NothingJudged(DomainError):
    message = N_("No entry has been scored yet: there are no results to publish.")


@dataclass(frozen=True)
class RankedEntry:
    entry_id: int
    user_id: int
    author: str  # short name
    full_name: str
    organisation: str
    title: str
    result: Decimal | None  # the jurors' average total
    by_criterion: tuple[Decimal | None, ...]  # the jurors' average per criterion
    jurors: int
    place: int | None
    votes: int = 0


@dataclass(frozen=True)
class NominationResult:
    nomination_id: int
    name: str
    entries: tuple[RankedEntry, ...]


@dataclass(frozen=True)
class Results:
    contest_id: int
    title: str
    issuer: str
    criteria: tuple[tuple[str, int], ...]
    nominations: tuple[NominationResult, ...]
    jury: tuple[str, ...]  # full names
    audience_award: tuple[RankedEntry, ...]
    audience_vote: bool
    published: bool


def _average(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(HUNDREDTH, ROUND_HALF_UP)


def places(results: list[Decimal | None]) -> list[int | None]:
    """Competition ranking of results already sorted highest first (None: no place)."""
    found: list[int | None] = []
    for index, result in enumerate(results):
        if result is None:
            found.append(None)
        elif index and results[index - 1] == result:
            found.append(found[-1])
        else:
            found.append(index + 1)
    return found


async def compute(session: AsyncSession, contest: Contest) -> Results:
    criteria = (
        await session.execute(
            select(ContestCriterion.id, ContestCriterion.name, ContestCriterion.max_score)
            .where(ContestCriterion.contest_id == contest.id)
            .order_by(ContestCriterion.position)
        )
    ).all()
    criterion_ids = [row[0] for row in criteria]
    scores: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    rows = await session.execute(
        select(
            ContestScore.entry_id,
            ContestScore.juror_user_id,
            ContestScore.criterion_id,
            ContestScore.value,
        )
        .join(ContestEntry, ContestEntry.id == ContestScore.entry_id)
        .where(ContestEntry.contest_id == contest.id)
    )
    for entry_id, juror_id, criterion_id, value in rows.all():
        scores[(entry_id, juror_id)][criterion_id] = value
    complete: dict[int, list[dict[int, int]]] = defaultdict(list)
    for (entry_id, _), values in scores.items():
        if all(criterion in values for criterion in criterion_ids):
            complete[entry_id].append(values)
    votes = dict(
        (
            await session.execute(
                select(ContestVote.entry_id, func.count())
                .where(ContestVote.contest_id == contest.id)
                .group_by(ContestVote.entry_id)
            )
        ).all()
    )
    entries = (
        await session.execute(
            select(ContestEntry, User)
            .join(User, User.id == ContestEntry.user_id)
            .where(ContestEntry.contest_id == contest.id)
            .order_by(ContestEntry.id)
        )
    ).all()
    per_nomination: dict[int, list[RankedEntry]] = defaultdict(list)
    for entry, person in entries:
        sheets = complete.get(entry.id, [])
        result = _average([sum(sheet.values()) for sheet in sheets]) if sheets else None
        by_criterion = tuple(
            _average([sheet[c] for sheet in sheets]) if sheets else None for c in criterion_ids
        )
        per_nomination[entry.nomination_id].append(
            RankedEntry(
                entry_id=entry.id,
                user_id=person.id,
                author=short_name(person.full_name),
                full_name=clean_name(person.full_name),
                organisation=entry.organisation or "",
                title=entry.title,
                result=result,
                by_criterion=by_criterion,
                jurors=len(sheets),
                place=None,
                votes=votes.get(entry.id, 0),
            )
        )
    nominations = []
    for nomination_id, name in (
        await session.execute(
            select(ContestNomination.id, ContestNomination.name)
            .where(ContestNomination.contest_id == contest.id)
            .order_by(ContestNomination.position)
        )
    ).all():
        ranked = sorted(
            per_nomination.get(nomination_id, []),
            key=lambda e: (e.result is None, -(e.result or 0), e.full_name),
        )
        marks = places([entry.result for entry in ranked])
        placed = tuple(
            replace(entry, place=mark) for entry, mark in zip(ranked, marks, strict=True)
        )
        nominations.append(NominationResult(nomination_id, name, placed))
    everyone = [entry for nomination in nominations for entry in nomination.entries]
    top = max((entry.votes for entry in everyone), default=0)
    award = tuple(entry for entry in everyone if top and entry.votes == top)
    jury = (
        await session.scalars(
            select(User.full_name)
            .join(ContestJuror, ContestJuror.user_id == User.id)
            .where(ContestJuror.contest_id == contest.id)
            .order_by(User.full_name)
        )
    ).all()
    association = (
        await session.get(Association, contest.association_id) if contest.association_id else None
    )
    return Results(
        contest_id=contest.id,
        title=contest.title,
        issuer=association.name if association else "",
        criteria=tuple((row[1], row[2]) for row in criteria),
        nominations=tuple(nominations),
        jury=tuple(clean_name(name) for name in jury),
        audience_award=award if contest.audience_vote else (),
        audience_vote=contest.audience_vote,
        published=contest.status is ContestStatus.PUBLISHED,
    )


async def results(session: AsyncSession, actor: Actor, contest_id: int) -> Results:
    """The current ranking, for the organiser (before and after publishing)."""
    contest = await load(session, contest_id)
    await require_organiser(session, actor, contest)
    return await compute(session, contest)


async def publish(session: AsyncSession, actor: Actor, contest_id: int) -> Results:
    """Publish the results: diplomas are issued, the association's group and every
    participant are told."""
    from services.contests.diplomas import issue_diplomas

    await require_organiser(session, actor, await load(session, contest_id))
    contest = await lock(session, Contest, contest_id)  # published once, diplomas issued once
    if contest.status is ContestStatus.PUBLISHED:
        raise AlreadyPublished()
    if await contest_today(session, contest) <= contest.closes_on:
        raise TooEarly(day=contest.closes_on.strftime("%d.%m.%Y"))
    found = await compute(session, contest)
    if not any(e.result is not None for n in found.nominations for e in n.entries):
        raise NothingJudged()
    contest.status, contest.published_at = ContestStatus.PUBLISHED, now()
    await session.flush()
    found = await compute(session, contest)
    diplomas = await issue_diplomas(session, contest, found)
    association = (
        await session.get(Association, contest.association_id) if contest.association_id else None
    )
    if association is not None and association.chat_id is not None:
        tell(
            session,
            Notice(
                "contests.results",
                {"results": found},
                chat_id=association.chat_id,
                dedupe_key=f"contest:{contest.id}:results",
            ),
        )
    people = {
        user.id: user
        for user in (
            await session.scalars(
                select(User).where(
                    User.id.in_([e.user_id for n in found.nominations for e in n.entries]),
                    User.telegram_id.is_not(None),
                )
            )
        ).all()
    }
    for nomination in found.nominations:
        for entry in nomination.entries:
            person = people.get(entry.user_id)
            if person is None:
                continue
            tell(
                session,
                Notice(
                    "contests.placed",
                    {
                        "contest": found.title,
                        "nomination": nomination.name,
                        "entry": entry,
                        "diploma_id": diplomas[entry.entry_id],
                    },
                    user=person,
                    dedupe_key=f"contest:{contest.id}:placed:{entry.entry_id}",
                    batch=f"contest:{contest.id}:results",
                ),
            )
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="contest.publish",
        target_type="contest",
        target_id=contest.id,
    )
    return found


class NotPublishedYet(DomainError):
    message = N_("The jury's scores are shown once the results are published.")


@dataclass(frozen=True)
class Feedback:
    """What a participant learns of the judging once the results are out."""

    title: str
    nomination: str
    place: int | None
    result: Decimal | None
    criteria: tuple[tuple[str, int, Decimal | None], ...]  # name, maximum, jury's average
    comments: tuple[str, ...]  # the jurors' comments, unsigned


async def feedback(session: AsyncSession, actor: Actor, entry_id: int) -> Feedback:
    """The participant's own entry as the jury judged it (after publishing)."""
    view = await own_entry(session, actor, entry_id)
    contest = await load(session, view.contest_id)
    if contest.status is not ContestStatus.PUBLISHED:
        raise NotPublishedYet()
    found = await compute(session, contest)
    entry = next(e for n in found.nominations for e in n.entries if e.entry_id == entry_id)
    comments = (
        await session.scalars(
            select(ContestScore.comment)
            .where(ContestScore.entry_id == entry_id, ContestScore.comment.is_not(None))
            .group_by(ContestScore.juror_user_id, ContestScore.comment)
            .order_by(ContestScore.juror_user_id)
        )
    ).all()
    return Feedback(
        title=view.title,
        nomination=view.nomination,
        place=entry.place,
        result=entry.result,
        criteria=tuple(
            (name, top, value)
            for (name, top), value in zip(found.criteria, entry.by_criterion, strict=True)
        ),
        comments=tuple(comment for comment in comments if comment),
    )
