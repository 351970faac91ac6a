"""The contests' sweeps (rows of scheduler/schedule.py): submissions open and close on
their dates, jurors are reminded two days before the judging deadline, the organiser on
the results date. The rules are in services/contests/sweeps.py."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.contests import sweeps


async def open_submissions(session: AsyncSession) -> int:
    """Open the contests whose first day has come; returns how many."""
    return await sweeps.open_submissions(session)


async def close_submissions(session: AsyncSession) -> int:
    """Close the submissions past their deadline and tell the jurors; returns how many."""
    return await sweeps.close_submissions(session)


async def remind_jurors(session: AsyncSession) -> int:
    """Remind the jurors with entries left, two days before the deadline; returns how many."""
    return await sweeps.remind_jurors(session)


async def remind_organisers(session: AsyncSession) -> int:
    """Remind the organisers whose results date has come; returns how many."""
    return await sweeps.remind_organisers(session)
