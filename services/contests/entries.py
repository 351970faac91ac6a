"""The participant's side: the contests open to them, their entries, submitting and
replacing an entry before the deadline, and the audience vote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Membership, MembershipStatus, User
from models.contests import (
    Contest,
    ContestAudience,
    ContestEntry,
    ContestEntryFile,
    ContestNomination,
    ContestStatus,
    ContestVote,
)
from services.access import Actor, require_registered
from services.audit import audit
from services.clock import now
from services.contests.cards import ContestCard, contest_card
from services.contests.common import (
    NotForYou,
    NotOpenYet,
    SubmissionsClosed,
    contest_today,
    load,
    may_take_part,
)
from services.errors import DomainError, InvalidInput, NotFound
from services.names import short_name
from services.resources.drafts import clean_url
from services.texts import N_

MAX_TITLE = 200
MAX_ANNOTATION = 1500
MAX_FILES = 5


class BadEntryTitle(InvalidInput):
    message = N_("The title of the work should be 3 to {limit} characters long.")


class BadAnnotation(InvalidInput):
    message = N_("The annotation should be 10 to {limit} characters long.")


class NoWork(InvalidInput):
    message = N_("Attach at least one file or give a link to the work.")


class TooManyFiles(InvalidInput):
    message = N_("At most {limit} files can be attached to one work.")


class NoSuchNomination(DomainError):
    message = N_("This contest has no such nomination.")


class NotYourEntry(DomainError):
    message = N_("This is not your entry.")


class VotingClosed(DomainError):
    message = N_("The audience vote is open after submissions close and until the results.")


class NoVoting(DomainError):
    message = N_("This contest has no audience vote.")


class OwnWork(DomainError):
    message = N_("You cannot vote for your own work.")


class NotAVoter(DomainError):
    message = N_("Only the members of the contest's association can vote.")


def clean_entry_title(text: str) -> str:
    value = " ".join(text.split())
    if not 3 <= len(value) <= MAX_TITLE:
        raise BadEntryTitle(limit=MAX_TITLE)
    return value


def clean_annotation(text: str) -> str:
    value = text.strip()
    if not 10 <= len(value) <= MAX_ANNOTATION:
        raise BadAnnotation(limit=MAX_ANNOTATION)
    return value


def clean_link(text: str) -> str:
    return clean_url(text)


@dataclass(frozen=True)
class WorkFile:
    telegram_file_id: str
    file_name: str | None


@dataclass(frozen=True)
class EntryDraft:
    nomination_id: int
    title: str
    annotation: str
    files: tuple[WorkFile, ...] = ()
    link: str | None = None


@dataclass(frozen=True)
class EntryView:
    entry_id: int
    contest_id: int
    contest: str
    nomination: str
    title: str
    annotation: str
    link: str | None
    files: tuple[WorkFile, ...]
    author: str
    submitted_at: object
    replaced: bool
    closes_on: date
    nomination_id: int = 0
    replaceable: bool = False  # submissions still open
    published: bool = False  # the results are out: the jury's scores can be read


# what is open ----------------------------------------------------------------------------


async def open_contests(
    session: AsyncSession, actor: Actor, *, limit: int = 5
) -> list[ContestCard]:
    """The contests the actor may take part in whose submissions are open now (or soon),
    the nearest deadline first; at most `limit` (their cards fill one message)."""
    user = await require_registered(session, actor)
    mine = select(Membership.association_id).where(
        Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE
    )
    rows = await session.scalars(
        select(Contest)
        .where(
            Contest.status.in_([ContestStatus.ANNOUNCED, ContestStatus.OPEN]),
            or_(
                Contest.audience == ContestAudience.NETWORK,
                Contest.association_id.is_(None),
                Contest.association_id.in_(mine),
            ),
        )
        .order_by(Contest.closes_on, Contest.id)
        .limit(limit * 3)
    )
    cards: list[ContestCard] = []
    for contest in rows:
        if len(cards) < limit and await contest_today(session, contest) <= contest.closes_on:
            cards.append(await contest_card(session, contest))
    return cards


async def submittable(session: AsyncSession, actor: Actor, contest_id: int) -> ContestCard:
    """The contest, if the actor may submit (or replace) an entry now."""
    user = await require_registered(session, actor)
    contest = await load(session, contest_id)
    await _check_window(session, contest)
    if not await may_take_part(session, user, contest):
        raise NotForYou()
    return await contest_card(session, contest)


async def _check_window(session: AsyncSession, contest: Contest) -> None:
    today = await contest_today(session, contest)
    if contest.status is ContestStatus.PUBLISHED or today > contest.closes_on:
        raise SubmissionsClosed()
    if today < contest.opens_on:
        raise NotOpenYet(day=contest.opens_on.strftime("%d.%m.%Y"))


async def submit(
    session: AsyncSession, actor: Actor, *, contest_id: int, draft: EntryDraft
) -> tuple[EntryView, bool]:
    """Submit the work in a nomination, or replace the one already there. Returns the
    entry and whether it replaced an earlier one."""
    user = await require_registered(session, actor)
    contest = await load(session, contest_id)
    await _check_window(session, contest)
    if not await may_take_part(session, user, contest):
        raise NotForYou()
    nomination = await session.get(ContestNomination, draft.nomination_id)
    if nomination is None or nomination.contest_id != contest.id:
        raise NoSuchNomination()
    if not draft.files and not draft.link:
        raise NoWork()
    if len(draft.files) > MAX_FILES:
        raise TooManyFiles(limit=MAX_FILES)
    title, annotation = clean_entry_title(draft.title), clean_annotation(draft.annotation)
    link = clean_link(draft.link) if draft.link else None
    entry = await session.scalar(
        select(ContestEntry).where(
            ContestEntry.contest_id == contest.id,
            ContestEntry.user_id == user.id,
            ContestEntry.nomination_id == nomination.id,
        )
    )
    replaced = entry is not None
    moment = now()
    if entry is None:
        entry = ContestEntry(
            contest_id=contest.id,
            nomination_id=nomination.id,
            user_id=user.id,
            submitted_at=moment,
            title=title,
            annotation=annotation,
        )
        session.add(entry)
    else:
        await session.execute(delete(ContestEntryFile).where(ContestEntryFile.entry_id == entry.id))
        entry.replaced_at = moment
    entry.title, entry.annotation, entry.link = title, annotation, link
    entry.organisation = user.organisation
    await session.flush()
    for file in draft.files:
        session.add(
            ContestEntryFile(
                entry_id=entry.id,
                telegram_file_id=file.telegram_file_id,
                file_name=(file.file_name or "")[:255] or None,
            )
        )
    await session.flush()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="contest.replace" if replaced else "contest.submit",
        target_type="contest_entry",
        target_id=entry.id,
    )
    return await entry_view(session, entry.id), replaced


async def _still_open(session: AsyncSession, contest: Contest) -> bool:
    today = await contest_today(session, contest)
    return contest.status is not ContestStatus.PUBLISHED and (
        contest.opens_on <= today <= contest.closes_on
    )


async def _files(session: AsyncSession, entry_id: int) -> tuple[WorkFile, ...]:
    rows = await session.execute(
        select(ContestEntryFile.telegram_file_id, ContestEntryFile.file_name)
        .where(ContestEntryFile.entry_id == entry_id)
        .order_by(ContestEntryFile.id)
    )
    return tuple(WorkFile(file_id, name) for file_id, name in rows.all())


async def entry_view(session: AsyncSession, entry_id: int) -> EntryView:
    entry = await session.get(ContestEntry, entry_id)
    if entry is None:
        raise NotFound()
    contest = await session.get_one(Contest, entry.contest_id)
    nomination = await session.get_one(ContestNomination, entry.nomination_id)
    author = await session.get_one(User, entry.user_id)
    return EntryView(
        entry_id=entry.id,
        contest_id=contest.id,
        contest=contest.title,
        nomination=nomination.name,
        title=entry.title,
        annotation=entry.annotation,
        link=entry.link,
        files=await _files(session, entry.id),
        author=short_name(author.full_name),
        submitted_at=entry.submitted_at,
        replaced=entry.replaced_at is not None,
        closes_on=contest.closes_on,
        nomination_id=nomination.id,
        replaceable=await _still_open(session, contest),
        published=contest.status is ContestStatus.PUBLISHED,
    )


async def my_entries(session: AsyncSession, actor: Actor) -> list[EntryView]:
    user = await require_registered(session, actor)
    ids = await session.scalars(
        select(ContestEntry.id)
        .where(ContestEntry.user_id == user.id)
        .order_by(ContestEntry.id.desc())
        .limit(10)
    )
    return [await entry_view(session, entry_id) for entry_id in ids.all()]


async def own_entry(session: AsyncSession, actor: Actor, entry_id: int) -> EntryView:
    user = await require_registered(session, actor)
    entry = await session.get(ContestEntry, entry_id)
    if entry is None:
        raise NotFound()
    if entry.user_id != user.id:
        raise NotYourEntry()
    return await entry_view(session, entry_id)


# the audience vote -----------------------------------------------------------------------


async def _voting(session: AsyncSession, actor: Actor, contest_id: int) -> tuple[User, Contest]:
    user = await require_registered(session, actor)
    contest = await load(session, contest_id)
    if not contest.audience_vote:
        raise NoVoting()
    today = await contest_today(session, contest)
    if contest.status is ContestStatus.PUBLISHED or today <= contest.closes_on:
        raise VotingClosed()
    if not await may_take_part(session, user, contest):
        raise NotAVoter()
    return user, contest


async def ballot(
    session: AsyncSession, actor: Actor, contest_id: int
) -> tuple[list[EntryView], int | None]:
    """The entries one may vote for (not one's own) and the entry one voted for, if any."""
    user, contest = await _voting(session, actor, contest_id)
    ids = await session.scalars(
        select(ContestEntry.id)
        .where(ContestEntry.contest_id == contest.id, ContestEntry.user_id != user.id)
        .order_by(ContestEntry.nomination_id, ContestEntry.id)
        .limit(40)
    )
    chosen = await session.scalar(
        select(ContestVote.entry_id).where(
            ContestVote.contest_id == contest.id, ContestVote.user_id == user.id
        )
    )
    return [await entry_view(session, entry_id) for entry_id in ids.all()], chosen


async def vote(session: AsyncSession, actor: Actor, *, contest_id: int, entry_id: int) -> bool:
    """One vote per person per contest, changeable until the results: returns whether an
    earlier vote was changed."""
    user, contest = await _voting(session, actor, contest_id)
    entry = await session.get(ContestEntry, entry_id)
    if entry is None or entry.contest_id != contest.id:
        raise NotFound()
    if entry.user_id == user.id:
        raise OwnWork()
    existing = await session.scalar(
        select(ContestVote).where(
            ContestVote.contest_id == contest.id, ContestVote.user_id == user.id
        )
    )
    if existing is None:
        session.add(ContestVote(contest_id=contest.id, user_id=user.id, entry_id=entry.id))
        await session.flush()
        return False
    existing.entry_id, existing.voted_at = entry.id, now()
    await session.flush()
    return True


async def votable_contests(session: AsyncSession, actor: Actor) -> list[ContestCard]:
    """The contests whose audience vote the actor may take part in now."""
    user = await require_registered(session, actor)
    rows = await session.scalars(
        select(Contest).where(
            Contest.audience_vote.is_(True),
            Contest.status.in_([ContestStatus.OPEN, ContestStatus.JUDGING]),
        )
    )
    cards = []
    for contest in rows:
        today = await contest_today(session, contest)
        if today > contest.closes_on and await may_take_part(session, user, contest):
            cards.append(await contest_card(session, contest))
    return cards
