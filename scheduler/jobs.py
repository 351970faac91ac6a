"""Scheduled work: the table of sweeps (scheduler/schedule.py), one runner, one lease.

The database is the truth: each sweep selects what is due now and records outbox rows or
notices with dedupe keys, so a restart re-derives everything and a sweep run twice sends
nothing twice. A sweep is a function of a session; the runner gives it a unit of work,
words the notices it recorded, commits, and wakes the delivery worker.

Several processes may be up on one database; exactly one of them — the holder of the
`sweeps` lease (services/leases.py) — runs the sweeps. It renews the lease every
`LEASE_RENEW`; when it dies, the lease lapses after `LEASE_TTL` and another takes over.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, ContextTypes

from bot.notices import NoticeRenderer
from bot.settings import Settings
from models.db import unit_of_work
from scheduler.lent import lend
from scheduler.schedule import SCHEDULE, Sweep
from services import leases
from services.outbox import enqueued_in

log = logging.getLogger(__name__)

SWEEP_LEASE = "sweeps"
LEASE_TTL = timedelta(seconds=30)
LEASE_RENEW = timedelta(seconds=10)


class SweepRunner:
    """Runs sweeps while this process holds the lease."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        notices: NoticeRenderer,
        wake: Callable[[], None],
        *,
        holder: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        settings: Settings | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.notices = notices
        self.wake = wake
        self.holder = holder or f"{uuid.uuid4().hex[:12]}"
        self.clock = clock
        self._held_until = 0.0

    @property
    def holds(self) -> bool:
        """Whether our lease is still valid by our own clock (renewed well before it lapses)."""
        return self.clock() < self._held_until

    async def renew(self) -> bool:
        """Take or renew the lease; True while we hold it."""
        started = self.clock()
        async with unit_of_work(self.sessions) as session:
            held = await leases.hold(session, name=SWEEP_LEASE, holder=self.holder, ttl=LEASE_TTL)
        was_held = self.holds
        # Counted from before the request: our view of the lease never outlives the database's.
        self._held_until = started + LEASE_TTL.total_seconds() if held else 0.0
        if held != was_held:
            log.info("sweeps lease %s by %s", "taken" if held else "lost", self.holder)
        return held

    async def release(self) -> None:
        if not self.holds:
            return
        self._held_until = 0.0
        async with unit_of_work(self.sessions) as session:
            await leases.give_up(session, name=SWEEP_LEASE, holder=self.holder)

    async def run(self, sweep: Callable[[AsyncSession], Awaitable[object]]) -> bool:
        """Run one sweep in its own unit of work if we hold the lease; False if we do not."""
        if not self.holds:
            return False
        with lend(self.settings):
            async with unit_of_work(self.sessions) as session:
                await sweep(session)
                await self.notices.deliver(session)
                added = enqueued_in(session)
        if added:
            self.wake()
        return True


def runner_of(context: ContextTypes.DEFAULT_TYPE | Application) -> SweepRunner:
    return context.bot_data["sweeps"]


def feature_sweep_names() -> list[str]:
    return [sweep.name for sweep in SCHEDULE]


async def _run_table_sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    sweep: Sweep = context.job.data  # type: ignore[union-attr]
    await runner_of(context).run(sweep.run)


async def _renew_lease(context: ContextTypes.DEFAULT_TYPE) -> None:
    await runner_of(context).renew()


async def _recover_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.bot_data["outbox"].recover_stale_claims()


async def run_now(application: Application, name: str) -> bool:
    """Run the sweep `name` at once (operations and tests); False without the lease."""
    for sweep in SCHEDULE:
        if sweep.name == name:
            return await runner_of(application).run(sweep.run)
    raise KeyError(name)


def schedule(application: Application) -> None:
    """Start the lease renewal, the outbox's recovery and every sweep of the table
    (deterministic job names, so a restart replaces rather than doubles)."""
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    queue.run_repeating(_renew_lease, interval=LEASE_RENEW, first=0, name="sweeps-lease")
    queue.run_repeating(
        _recover_outbox, interval=timedelta(minutes=1), first=30, name="recover-outbox"
    )
    for sweep in SCHEDULE:
        queue.run_repeating(
            _run_table_sweep, interval=sweep.every, first=sweep.first, name=sweep.name, data=sweep
        )
