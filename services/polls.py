"""Quick polls: the leader (secretary, administrator) asks the group a question as a native
Telegram poll; answers are recorded (named polls: who chose what; anonymous polls: only
the totals Telegram reports); members of a named poll who have not answered are reminded
once; at the closing time the poll is stopped, its result stored and told to the group
and to its author.

Posting and stopping the Telegram poll are the adapters' part (handlers/polls/,
scheduler/polls.py); this module keeps the rules and the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, MemberRole, User
from models.polls import Poll, PollStatus, PollVote
from services.access import (
    Actor,
    membership_of,
    require_association_role,
    require_registered,
    user_by_telegram_id,
)
from services.associations import MANAGERS, get, held_in_roles
from services.audit import audit, record_activity
from services.clock import now
from services.dateparse import parse_local
from services.errors import DomainError, InvalidInput, NotFound
from services.locks import lock
from services.meetings import active_members
from services.notices import Notice, tell
from services.texts import N_

MAX_QUESTION = 300  # Telegram's limits for a poll
MAX_OPTION = 100
MIN_OPTIONS, MAX_OPTIONS = 2, 12
SOONEST = timedelta(minutes=10)
LATEST = timedelta(days=90)
REMIND_BEFORE = timedelta(hours=24)
ACTIVITY = "poll_answer"
MAKERS = (*MANAGERS, MemberRole.SECRETARY)


class BadQuestion(InvalidInput):
    message = N_("Please write the question: 3 to {limit} characters.")


class BadOptionCount(InvalidInput):
    message = N_("Please send from {low} to {high} options, one per line.")


class OptionTooLong(InvalidInput):
    message = N_("An option may be at most {limit} characters long: «{option}…».")


class RepeatedOption(InvalidInput):
    message = N_("The option «{option}» is there twice. Please make the options different.")


class ClosingTooSoon(InvalidInput):
    message = N_("The poll should stay open at least 10 minutes. Please choose a later time.")


class ClosingTooFar(InvalidInput):
    message = N_("A poll can stay open at most 90 days. Please choose an earlier time.")


class NoGroup(DomainError):
    message = N_("The association has no group chat yet: send /bind in its group first.")


class CouldNotPost(DomainError):
    message = N_(
        "I could not post the poll in the group. Please check that the bot is still in the "
        "group and may send polls there, then try again."
    )


def clean_question(text: str) -> str:
    value = " ".join(text.split())
    if not 3 <= len(value) <= MAX_QUESTION:
        raise BadQuestion(limit=MAX_QUESTION)
    return value


def clean_options(text: str) -> list[str]:
    """One option per line; empty lines and list markers («-», «•», «1.») are dropped."""
    options = [_option(line) for line in text.splitlines()]
    options = [option for option in options if option]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise BadOptionCount(low=MIN_OPTIONS, high=MAX_OPTIONS)
    seen: set[str] = set()
    for option in options:
        if len(option) > MAX_OPTION:
            raise OptionTooLong(limit=MAX_OPTION, option=option[:40])
        if option.casefold() in seen:
            raise RepeatedOption(option=option)
        seen.add(option.casefold())
    return options


def _option(line: str) -> str:
    value = " ".join(line.split()).lstrip("-•*—– ")
    head, dot, rest = value.partition(". ")
    return rest.strip() if dot and head.isdigit() else value


def clean_closing(text: str, timezone: str) -> datetime:
    """The closing moment typed in the association's zone, as UTC, 10 min to 90 days ahead."""
    moment = parse_local(text, timezone, now()).astimezone(UTC)
    if moment < now() + SOONEST:
        raise ClosingTooSoon()
    if moment > now() + LATEST:
        raise ClosingTooFar()
    return moment


@dataclass(frozen=True)
class Draft:
    question: str
    options: tuple[str, ...]
    anonymous: bool
    multiple: bool
    closes_at: datetime


@dataclass(frozen=True)
class Posting:
    """Where the adapter posts a new poll: the group and, in a forum, the topic."""

    poll: Poll
    thread_id: int | None


async def associations_of_maker(session: AsyncSession, *, actor: Actor) -> list[Association]:
    """The associations where the actor may make polls (leader, administrator, secretary)."""
    user = await require_registered(session, actor)
    return await held_in_roles(session, user.id, MAKERS)


async def check_maker(session: AsyncSession, *, actor: Actor, association_id: int) -> User:
    return await require_association_role(session, actor, association_id, *MAKERS)


async def prepare(session: AsyncSession, *, actor: Actor, association_id: int) -> Association:
    """The association a new poll is being made for, if the actor may and it has a group."""
    await check_maker(session, actor=actor, association_id=association_id)
    association = await get(session, association_id)
    if association.chat_id is None:
        raise NoGroup()
    return association


def remind_moment(created: datetime, closes: datetime) -> datetime:
    """24 hours before the close, or halfway for a poll open less than two days."""
    if closes - created >= 2 * REMIND_BEFORE:
        return closes - REMIND_BEFORE
    return created + (closes - created) / 2


async def create(
    session: AsyncSession, *, actor: Actor, association_id: int, draft: Draft
) -> Posting:
    """Record a new open poll (checked again here); the adapter posts it, then `posted`."""
    association = await prepare(session, actor=actor, association_id=association_id)
    author = await require_registered(session, actor)
    options = clean_options("\n".join(draft.options))
    if draft.closes_at < now() + SOONEST:
        raise ClosingTooSoon()
    poll = Poll(
        association_id=association.id,
        author_user_id=author.id,
        question=clean_question(draft.question),
        options=options,
        is_anonymous=draft.anonymous,
        allows_multiple=draft.multiple,
        closes_at=draft.closes_at,
        chat_id=association.chat_id,
        totals=[0] * len(options),
        created_at=now(),
        remind_at=None if draft.anonymous else remind_moment(now(), draft.closes_at),
    )
    session.add(poll)
    await session.flush()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="poll.create",
        target_type="poll",
        target_id=poll.id,
        association_id=association.id,
        anonymous=draft.anonymous,
    )
    return Posting(poll, (association.forum_topics or {}).get("announcements"))


async def posted(
    session: AsyncSession, *, poll_id: int, message_id: int, telegram_poll_id: str
) -> None:
    """Remember which Telegram message and poll id carry the poll."""
    poll = await session.get_one(Poll, poll_id)
    poll.message_id, poll.telegram_poll_id = message_id, telegram_poll_id


async def _open_poll(session: AsyncSession, telegram_poll_id: str) -> Poll | None:
    """The open poll Telegram calls `telegram_poll_id`. Answers take no lock: each person's
    updates come in order, a vote is one row per person, and the totals of a named poll
    are counted from the votes when shown and when it closes."""
    poll = await session.scalar(select(Poll).where(Poll.telegram_poll_id == telegram_poll_id))
    return poll if poll is not None and poll.status is PollStatus.OPEN else None


async def record_answer(
    session: AsyncSession, *, telegram_poll_id: str, telegram_id: int, option_ids: Sequence[int]
) -> bool:
    """A member's answer to a named poll (an empty answer takes it back). Answers of people
    who are not members, of unknown polls and of closed polls are ignored (False)."""
    poll = await _open_poll(session, telegram_poll_id)
    user = await user_by_telegram_id(session, telegram_id)
    if poll is None or poll.is_anonymous or user is None:
        return False
    if await membership_of(session, user.id, poll.association_id) is None:
        return False
    vote = await session.scalar(
        select(PollVote).where(PollVote.poll_id == poll.id, PollVote.user_id == user.id)
    )
    chosen = sorted({i for i in option_ids if 0 <= i < len(poll.options)})
    if not chosen:
        if vote is not None:
            await session.delete(vote)
    elif vote is None:
        session.add(
            PollVote(poll_id=poll.id, user_id=user.id, option_ids=chosen, answered_at=now())
        )
        await record_activity(
            session, kind=ACTIVITY, user_id=user.id, association_id=poll.association_id
        )
    else:
        vote.option_ids, vote.answered_at = chosen, now()
    return True


@dataclass(frozen=True)
class Tally:
    """Votes per option and the number of people who voted."""

    totals: list[int]
    voters: int


async def tally(session: AsyncSession, poll: Poll) -> Tally:
    """The poll's counts: an open named poll's from its votes, otherwise the stored ones
    (an anonymous poll's from Telegram, a closed poll's final result)."""
    if poll.is_anonymous or poll.status is PollStatus.CLOSED:
        return Tally(list(poll.totals), poll.voter_count)
    totals = [0] * len(poll.options)
    choices = list(
        await session.scalars(select(PollVote.option_ids).where(PollVote.poll_id == poll.id))
    )
    for chosen in choices:
        for index in chosen:
            totals[index] += 1
    return Tally(totals, len(choices))


async def record_totals(
    session: AsyncSession, *, telegram_poll_id: str, totals: Sequence[int], voter_count: int
) -> bool:
    """Telegram's totals of an anonymous poll so far (the final ones come when it is
    stopped). Named polls count their own answers (False here)."""
    poll = await _open_poll(session, telegram_poll_id)
    if poll is None or not poll.is_anonymous or len(totals) != len(poll.options):
        return False
    poll.totals, poll.voter_count = list(totals), voter_count
    return True


async def _count_anonymous_voters(session: AsyncSession, poll: Poll) -> None:
    """Each voter of an anonymous poll is one nameless act of participation, counted once
    from the final totals (Telegram's `poll` updates may arrive out of order)."""
    for _ in range(poll.voter_count):
        await record_activity(
            session, kind=ACTIVITY, user_id=None, association_id=poll.association_id
        )


async def _non_voters(session: AsyncSession, poll: Poll) -> list[User]:
    voted = set(await session.scalars(select(PollVote.user_id).where(PollVote.poll_id == poll.id)))
    voted.add(poll.author_user_id)  # the author knows about the poll
    return [m for m in await active_members(session, poll.association_id) if m.id not in voted]


async def remind_non_voters(session: AsyncSession) -> int:
    """Once per named poll, when its reminder is due: tell each member who has not answered.
    Returns the number of people reminded."""
    due = await session.scalars(
        select(Poll).where(
            Poll.status == PollStatus.OPEN,
            Poll.reminded_at.is_(None),
            Poll.remind_at <= now(),
            Poll.closes_at > now(),
            Poll.message_id.is_not(None),
        )
    )
    reminded = 0
    for poll in list(due):
        association = await get(session, poll.association_id)
        for person in await _non_voters(session, poll):
            tell(
                session,
                Notice(
                    "polls.reminder",
                    {"poll": poll, "association": association},
                    user=person,
                    dedupe_key=f"poll:{poll.id}:remind:{person.id}",
                    batch=f"poll:{poll.id}:remind",
                ),
            )
            reminded += 1
        poll.reminded_at = now()
    return reminded


async def due_to_close(session: AsyncSession) -> list[Poll]:
    """Open polls whose closing time has come, oldest first."""
    rows = await session.scalars(
        select(Poll)
        .where(Poll.status == PollStatus.OPEN, Poll.closes_at <= now())
        .order_by(Poll.closes_at)
    )
    return list(rows)


@dataclass(frozen=True)
class Result:
    """A poll's result as the bot shows it (`members` counted for named polls only)."""

    poll: Poll
    association: Association
    members: int | None
    tally: Tally


async def close(
    session: AsyncSession,
    *,
    poll_id: int,
    final_totals: Sequence[int] | None = None,
    final_voters: int | None = None,
) -> Result | None:
    """Close the poll and store its result (for an anonymous poll the final totals Telegram
    gave when it was stopped); the group and the author are told. None if already closed."""
    poll = await lock(session, Poll, poll_id)
    if poll.status is not PollStatus.OPEN:
        return None
    if poll.is_anonymous:
        if final_totals is not None and len(final_totals) == len(poll.options):
            poll.totals, poll.voter_count = list(final_totals), final_voters or 0
        await _count_anonymous_voters(session, poll)
    else:
        counted = await tally(session, poll)
        poll.totals, poll.voter_count = counted.totals, counted.voters
    poll.status, poll.closed_at = PollStatus.CLOSED, now()
    result = await _result(session, poll)
    await _tell_result(session, result)
    return result


async def _result(session: AsyncSession, poll: Poll) -> Result:
    association = await get(session, poll.association_id)
    members = None if poll.is_anonymous else len(await active_members(session, association.id))
    return Result(poll, association, members, await tally(session, poll))


async def _tell_result(session: AsyncSession, result: Result) -> None:
    """The result to the group (in the Announcements topic of a forum) and to the author."""
    poll = result.poll
    notices = [
        Notice(
            "polls.result",
            {"result": result},
            chat_id=result.association.chat_id or poll.chat_id,  # the group may have migrated
            thread_id=(result.association.forum_topics or {}).get("announcements"),
            dedupe_key=f"poll:{poll.id}:result",
        )
    ]
    author = await session.get(User, poll.author_user_id) if poll.author_user_id else None
    if author is not None:
        notices.append(
            Notice(
                "polls.result_private",
                {"result": result},
                user=author,
                dedupe_key=f"poll:{poll.id}:result:author",
            )
        )
    tell(session, *notices)


async def recent(
    session: AsyncSession, *, actor: Actor, association_id: int, limit: int = 10
) -> list[tuple[Poll, Tally]]:
    """The association's latest polls with their counts, newest first (for the poll makers)."""
    await check_maker(session, actor=actor, association_id=association_id)
    rows = await session.scalars(
        select(Poll)
        .where(Poll.association_id == association_id, Poll.message_id.is_not(None))
        .order_by(Poll.created_at.desc(), Poll.id.desc())
        .limit(limit)
    )
    return [(poll, await tally(session, poll)) for poll in list(rows)]


async def result_of(session: AsyncSession, *, actor: Actor, poll_id: int) -> Result:
    """A poll's result so far (or final), for the poll makers of its association."""
    poll = await session.get(Poll, poll_id)
    if poll is None:
        raise NotFound()
    await check_maker(session, actor=actor, association_id=poll.association_id)
    return await _result(session, poll)
