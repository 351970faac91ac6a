"""The contests' calendar, run by scheduler/contests.py: submissions open, submissions
close (the jury is told its queue), jurors are reminded two days before the judging
deadline with what they have left, and the organiser is reminded of the results date.
Each is told once (status and marks on the contest, dedupe keys in the outbox)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, User
from models.contests import Contest, ContestStatus
from services.clock import now
from services.contests.cards import contest_card
from services.contests.common import contest_today
from services.contests.judging import progress_of, remaining_by_juror
from services.notices import Notice, tell

JUROR_REMINDER_DAYS = 2


async def _group(session: AsyncSession, contest: Contest) -> int | None:
    if contest.association_id is None:
        return None
    association = await session.get(Association, contest.association_id)
    return association.chat_id if association is not None else None


async def open_submissions(session: AsyncSession) -> int:
    """Contests whose opening day has come: open, and the association's group is told."""
    opened = 0
    for contest in (
        await session.scalars(select(Contest).where(Contest.status == ContestStatus.ANNOUNCED))
    ).all():
        if await contest_today(session, contest) < contest.opens_on:
            continue
        contest.status = ContestStatus.OPEN
        chat = await _group(session, contest)
        if chat is not None:
            card = await contest_card(session, contest)
            key = f"contest:{contest.id}:opened"
            tell(session, Notice("contests.opened", {"card": card}, chat_id=chat, dedupe_key=key))
        opened += 1
    return opened


async def close_submissions(session: AsyncSession) -> int:
    """Contests past their deadline: judging starts, each juror is told their queue."""
    closed = 0
    rows = await session.scalars(
        select(Contest).where(Contest.status.in_([ContestStatus.ANNOUNCED, ContestStatus.OPEN]))
    )
    for contest in rows.all():
        if await contest_today(session, contest) <= contest.closes_on:
            continue
        contest.status = ContestStatus.JUDGING
        card = await contest_card(session, contest)
        for juror, left in await remaining_by_juror(session, contest):
            tell(
                session,
                Notice(
                    "contests.judging",
                    {"card": card, "left": left},
                    user=juror,
                    dedupe_key=f"contest:{contest.id}:judging:{juror.id}",
                ),
            )
        chat = await _group(session, contest)
        if chat is not None and contest.audience_vote:
            tell(
                session,
                Notice(
                    "contests.vote_open",
                    {"card": card},
                    chat_id=chat,
                    dedupe_key=f"contest:{contest.id}:vote",
                ),
            )
        closed += 1
    return closed


async def remind_jurors(session: AsyncSession) -> int:
    """Two days before the judging deadline, every juror with entries left is reminded."""
    told = 0
    rows = await session.scalars(
        select(Contest).where(
            Contest.status == ContestStatus.JUDGING, Contest.jurors_reminded_at.is_(None)
        )
    )
    for contest in rows.all():
        today = await contest_today(session, contest)
        if today < contest.judging_until - timedelta(days=JUROR_REMINDER_DAYS):
            continue
        contest.jurors_reminded_at = now()
        if today > contest.judging_until:
            continue
        card = await contest_card(session, contest)
        for juror, left in await remaining_by_juror(session, contest):
            if left == 0:
                continue
            tell(
                session,
                Notice(
                    "contests.juror_reminder",
                    {"card": card, "left": left},
                    user=juror,
                    dedupe_key=f"contest:{contest.id}:remind:{juror.id}",
                ),
            )
            told += 1
    return told


async def remind_organisers(session: AsyncSession) -> int:
    """On the results date, an organiser who has not published yet is reminded, with the
    jury's progress."""
    told = 0
    rows = await session.scalars(
        select(Contest).where(
            Contest.status == ContestStatus.JUDGING,
            Contest.organiser_reminded_at.is_(None),
            Contest.organiser_user_id.is_not(None),
        )
    )
    for contest in rows.all():
        if await contest_today(session, contest) < contest.results_on:
            continue
        contest.organiser_reminded_at = now()
        organiser = await session.get(User, contest.organiser_user_id)
        if organiser is None or organiser.telegram_id is None:
            continue
        tell(
            session,
            Notice(
                "contests.results_due",
                {
                    "card": await contest_card(session, contest),
                    "progress": await progress_of(session, contest),
                },
                user=organiser,
                dedupe_key=f"contest:{contest.id}:results_due",
            ),
        )
        told += 1
    return told
