"""Update workers: `python -m bot worker`, on any machine, handling stored updates from
PostgreSQL.

The receiver (`python -m bot run` with HANDLE_UPDATES=false) stores every update before
Telegram is told it arrived (bot/inbox.py, bot/webhook.py) and says `NOTIFY vmo_updates`.
Each worker claims a few stored updates at a time with `FOR UPDATE SKIP LOCKED`:

- an update is claimable when it is not handled, not claimed (or its claim lapsed), and no
  earlier update of its lane (the chat and the person) is still waiting — so one person's
  updates in one chat are handled one at a time, in `update_id` order, whichever worker
  takes them;
- a claim lasts `CLAIM_SECONDS` and is renewed while the worker handles the update; a
  worker that dies stops renewing, and another takes the update over once it lapses;
- the handled mark is committed in the same transaction as the update's effects, and only
  if the update is not handled yet (bot/processor.py), so an update taken over from a
  worker that was slow rather than dead still counts once.

Why not a job engine (procrastinate): the update is already a row — stored, deduplicated
and marked handled in our own transaction — so a claim is one UPDATE on that row, where a
job engine would add a second table, a second driver (psycopg) and three more writes per
update (defer, fetch, finish); bench/bench_workers.py measures both paths.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

UPDATES_CHANNEL = "vmo_updates"
OUTBOX_CHANNEL = "vmo_outbox"
CLAIM_SECONDS = 30.0
RENEW_EVERY = 10.0
IDLE_POLL = 1.0

_CLAIM = text(
    """
    WITH candidates AS (
        SELECT r.update_id FROM received_updates AS r
        WHERE r.handled_at IS NULL
          AND r.payload IS NOT NULL
          AND (r.claimed_until IS NULL OR r.claimed_until < :now)
          AND NOT EXISTS (
              SELECT 1 FROM received_updates AS earlier
              WHERE earlier.lane = r.lane
                AND earlier.handled_at IS NULL
                AND earlier.update_id < r.update_id
          )
        ORDER BY r.update_id
        LIMIT :limit
        FOR UPDATE OF r SKIP LOCKED
    )
    UPDATE received_updates AS u
    SET claimed_by = :worker, claimed_until = :until
    FROM candidates
    WHERE u.update_id = candidates.update_id
    RETURNING u.update_id, u.payload
    """
)
_RENEW = text(
    "UPDATE received_updates SET claimed_until = :until "
    "WHERE claimed_by = :worker AND handled_at IS NULL AND update_id = ANY(:ids)"
)


def _utcnow() -> datetime:
    # Real time, not services.clock: claims are between processes, whatever tests pretend.
    return datetime.now(UTC)


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


async def notify(session: AsyncSession, channel: str) -> None:
    """Tell the listeners of `channel` when this transaction commits (PostgreSQL only)."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})


async def listen(
    engine: AsyncEngine, channel: str, on_notice: Callable[[], None]
) -> asyncio.Task[None]:
    """Call `on_notice` on every NOTIFY of `channel`, reconnecting if the connection drops."""

    async def keep_listening() -> None:
        while True:
            try:
                async with engine.connect() as connection:
                    raw = await connection.get_raw_connection()
                    driver: Any = raw.driver_connection
                    closed = asyncio.Event()
                    driver.add_termination_listener(lambda *_, ended=closed: ended.set())
                    await driver.add_listener(channel, lambda *_: on_notice())
                    await closed.wait()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("listening for %s failed; again in 5 s", channel, exc_info=True)
                await asyncio.sleep(5)

    return asyncio.create_task(keep_listening(), name=f"listen-{channel}")


_notifying: set[asyncio.Task[None]] = set()


def notify_outbox(engine: AsyncEngine) -> None:
    """After a worker's commit that added to the outbox: wake the receiver's delivery."""

    async def say() -> None:
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    text("SELECT pg_notify(:channel, '')"), {"channel": OUTBOX_CHANNEL}
                )
        except Exception:  # the receiver polls anyway; this only saves it a second
            log.debug("could not notify %s", OUTBOX_CHANNEL, exc_info=True)

    task = asyncio.get_running_loop().create_task(say())
    _notifying.add(task)
    task.add_done_callback(_notifying.discard)


async def serve_worker(settings: Any) -> None:
    """`python -m bot worker`: handle stored updates until SIGINT/SIGTERM."""
    import signal

    from bot.app import build_application

    application = build_application(settings, worker=True)
    engine: AsyncEngine = application.bot_data["engine"]
    if engine.dialect.name != "postgresql":
        raise SystemExit(
            "Update workers share the work through PostgreSQL: set DATABASE_URL to a "
            "postgresql+asyncpg:// database (with SQLite, `python -m bot run` does everything)."
        )
    worker = UpdateWorker(
        application,
        application.bot_data["sessions"],
        concurrency=settings.concurrent_updates,
        claim_seconds=settings.worker_claim_seconds,
        renew_every=settings.worker_claim_seconds / 3,
    )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, worker.stop)
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    listener = await listen(engine, UPDATES_CHANNEL, worker.wake)
    log.info("update worker %s started", worker.name)
    try:
        await worker.run()
    finally:
        listener.cancel()
        await application.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
        log.info("update worker %s stopped after %d update(s)", worker.name, worker.handled)


class UpdateWorker:
    """Claims stored updates and hands each to the application's processor."""

    def __init__(
        self,
        application: Application,
        sessions: async_sessionmaker[AsyncSession],
        *,
        concurrency: int,
        name: str | None = None,
        claim_seconds: float = CLAIM_SECONDS,
        renew_every: float = RENEW_EVERY,
    ) -> None:
        self.application = application
        self.sessions = sessions
        self.concurrency = concurrency
        self.name = name or worker_name()
        self.claim_seconds = claim_seconds
        self.renew_every = renew_every
        self.handled = 0
        self._wake = asyncio.Event()
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._stopping = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def run(self) -> None:
        """Claim and handle until `stop()`; then finish what is in hand."""
        renewing = asyncio.create_task(self._keep_claims(), name="renew-claims")
        try:
            while not self._stopping.is_set():
                claimed = await self._claim_some()
                if not claimed:
                    await self._idle()
        finally:
            if self._in_flight:
                await asyncio.gather(*self._in_flight.values(), return_exceptions=True)
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def _idle(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), IDLE_POLL)
        self._wake.clear()

    async def _claim_some(self) -> int:
        free = self.concurrency - len(self._in_flight)
        if free <= 0:
            await self._idle()
            return 0
        try:
            rows = await self.claim(free)
        except Exception:
            log.exception("claiming updates failed; retrying shortly")
            await asyncio.sleep(1.0)
            return 0
        for update_id, payload in rows:
            task = asyncio.create_task(self._handle(update_id, payload), name=f"update-{update_id}")
            self._in_flight[update_id] = task
        return len(rows)

    async def claim(self, limit: int) -> list[tuple[int, dict[str, Any]]]:
        moment = _utcnow()
        async with self.sessions() as session:
            rows = await session.execute(
                _CLAIM,
                {
                    "now": moment,
                    "until": moment + timedelta(seconds=self.claim_seconds),
                    "worker": self.name,
                    "limit": limit,
                },
            )
            claimed = sorted((row.update_id, row.payload) for row in rows)
            await session.commit()
        return claimed

    async def _handle(self, update_id: int, payload: dict[str, Any]) -> None:
        try:
            update = Update.de_json(payload, self.application.bot)
            # As PTB's own loop does: through the processor (unit of work, handled mark).
            app = self.application
            await app.update_processor.process_update(update, app.process_update(update))
            self.handled += 1
        except Exception:
            # Not committed: the claim lapses and the update is handled again (by anyone).
            log.exception("update %s failed in worker %s", update_id, self.name)
        finally:
            self._in_flight.pop(update_id, None)
            self._wake.set()  # a lane may have just opened

    async def _keep_claims(self) -> None:
        while True:
            await asyncio.sleep(self.renew_every)
            ids = list(self._in_flight)
            if not ids:
                continue
            until = _utcnow() + timedelta(seconds=self.claim_seconds)
            try:
                async with self.sessions() as session:
                    await session.execute(_RENEW, {"until": until, "worker": self.name, "ids": ids})
                    await session.commit()
            except Exception:
                log.warning("renewing claims failed", exc_info=True)
