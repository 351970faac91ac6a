"""The schedule: every periodic sweep, how often it runs, in one table.

A sweep is `run(session)`: it selects what is due from the database and records notices
or outbox rows (with dedupe keys, so running it twice sends nothing twice). The runner in
scheduler/jobs.py gives it a unit of work and runs it only in the process that holds the
sweeps' lease. A feature's sweeps live in `scheduler/<feature>.py` and call its services.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.inbox import prune
from scheduler.associations import pass_on_lapsed_offers
from scheduler.surveys import offer_meeting_feedback, run_surveys


@dataclass(frozen=True, slots=True)
class Sweep:
    """One periodic sweep: `run(session)` does the work inside the runner's unit of work."""

    name: str
    every: timedelta
    run: Callable[[AsyncSession], Awaitable[object]]
    first: float = 5.0  # seconds after start


SCHEDULE: tuple[Sweep, ...] = (
    Sweep("prune-received-updates", every=timedelta(hours=6), run=prune, first=60.0),
    Sweep("waiting-list-offers", every=timedelta(minutes=10), run=pass_on_lapsed_offers),
    Sweep("surveys", every=timedelta(minutes=5), run=run_surveys),
    Sweep("survey-meeting-feedback", every=timedelta(minutes=15), run=offer_meeting_feedback),
)
