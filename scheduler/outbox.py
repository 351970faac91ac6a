"""The outbox delivery worker: the only code that sends messages nobody directly asked for.

Guarantees (see docs/ARCHITECTURE.md, "The outbox"):
- at most once: a row is claimed (status SENDING, committed) before its request leaves and
  is never picked again; a result is committed right after the answer;
- after a crash, rows still SENDING whose claim is older than `stale_after` are marked
  UNCONFIRMED — Telegram may or may not have shown them; they are reported, not re-sent.
  At most `concurrency` rows can be in flight, so at most that many can end UNCONFIRMED;
- 429 pauses every send for the whole `retry_after`; connection failures before the
  request left and Telegram's 5xx are retried with exponential backoff; blocked people
  and vanished chats are recorded and not retried; a migrated group is followed;
- an edit (kind "edit", see services/outbox.py) is a row like any other, under the same
  limits; when it is due, how it is sent and what its fate means for other rows is in
  scheduler/outbox_edits.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import os
import random
import uuid
import warnings
from collections import deque
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning

from bot.request import CallPolicy, ConnectionNotOpened, call_policy
from models import OutboxMessage, OutboxStatus, StoredFile
from models.db import unit_of_work
from models.outbox import NOT_DELIVERED
from scheduler import outbox_edits as edits
from scheduler.ratelimit import SendLimits
from services import chats, metrics
from services.clock import now

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300
CANDIDATES_PER_CLAIM = 50
CANDIDATES_CACHED = 100
CANDIDATES_TTL = 1.0


@dataclass
class WorkerConfig:
    rate: float = 25.0
    private_interval: float = 1.0
    group_per_minute: int = 20
    max_attempts: int = 8
    concurrency: int = 4
    idle_poll: float = 1.0
    stale_after: float = 120.0


def keyboard(rows: list[list[dict[str, str]]] | None) -> InlineKeyboardMarkup | None:
    """Plain button rows from the outbox payload as Telegram's inline keyboard."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b["text"], url=b["url"])
                if "url" in b
                else InlineKeyboardButton(b["text"], callback_data=b["callback"])
                for b in row
            ]
            for row in rows
        ]
    )


_BOOKED = CallPolicy(booked=True, retry_429=False)


def _booked_context() -> contextvars.Context:
    """Sends run here: their slot is booked by the worker, their 429 read by `_classify`."""
    context = contextvars.copy_context()
    context.run(call_policy.set, _BOOKED)
    return context


def _may_not_have_left(error: Exception) -> bool:
    """True when the request certainly did not reach Telegram (safe to send again)."""
    cause = error.__cause__
    if isinstance(cause, ConnectionNotOpened):
        return True
    if isinstance(error, TimedOut):
        return "Pool timeout" in str(error)
    # NetworkError raised for an HTTP 5xx answer (JSON, or nginx's HTML page that PTB fails
    # to parse): Telegram answered, and did not take the message.
    return isinstance(error, NetworkError) and (cause is None or isinstance(cause, TelegramError))


class OutboxWorker:
    """Drains the outbox under Telegram's limits. Several may run against PostgreSQL."""

    def __init__(
        self,
        bot: Bot,
        session_factory: async_sessionmaker[AsyncSession],
        config: WorkerConfig | None = None,
        *,
        worker_id: str | None = None,
        limits: SendLimits | None = None,
    ) -> None:
        self.bot = bot
        self.sessions = session_factory
        self.config = config or WorkerConfig()
        # The process's one set of limits, shared with direct replies (bot/app.py).
        self.limits = limits or SendLimits(
            rate=self.config.rate,
            private_interval=self.config.private_interval,
            group_per_minute=self.config.group_per_minute,
        )
        self.worker_id = worker_id or f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(self.config.concurrency)
        self._in_flight: set[asyncio.Task[None]] = set()
        # Rows claimed and waiting for the pace, not yet in flight (see drain).
        self._held = 0
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._candidates: deque[tuple[int, int]] = deque()
        self._candidates_at = 0.0
        self._refill = False
        self._started = 0
        self.stats = {"sent": 0, "retried": 0, "failed": 0, "blocked": 0, "rate_limited": 0}

    # lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        await self.recover_stale_claims()
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=f"outbox-{self.worker_id}")

    async def stop(self) -> None:
        """Stop claiming; let the requests in flight finish and record their results."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)

    def wake(self) -> None:
        """Something was enqueued: look now rather than at the next idle poll."""
        self._refill = True
        self._wake.set()

    async def recover_stale_claims(self) -> int:
        """Rows claimed by a worker that died mid-send become UNCONFIRMED (never re-sent)."""
        cutoff = now() - timedelta(seconds=self.config.stale_after)
        async with unit_of_work(self.sessions) as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < cutoff
                )
                .values(
                    status=OutboxStatus.UNCONFIRMED,
                    last_error="worker stopped while the message was in flight",
                )
            )
            await edits.drop_orphans(session)
        count = result.rowcount or 0  # type: ignore[attr-defined]
        if count:
            log.warning("outbox: %d message(s) in flight at a crash marked unconfirmed", count)
        return count

    async def drain(self, within: float = 30.0, *, limit: int | None = None) -> None:
        """Send everything due now (or the first `limit` messages) and return (tests,
        benchmarks, one-shot jobs)."""
        first = self._started

        def enough() -> bool:
            return limit is not None and self._started - first >= limit

        async with asyncio.timeout(within):
            while True:
                while not enough():
                    if not await self._step(block=False):
                        break
                if self._in_flight:
                    await asyncio.gather(*self._in_flight, return_exceptions=True)
                # The worker's own loop may hold a row it claimed, waiting for the pace:
                # nothing was left to claim, yet that row has not been sent.
                if not self._held or enough():
                    return
                await asyncio.sleep(0.01)

    # the loop ------------------------------------------------------------------------
    async def _run(self) -> None:
        recovery_every = max(self.config.stale_after / 2, 1.0)
        next_recovery = asyncio.get_running_loop().time() + recovery_every
        while not self._stopping:
            if asyncio.get_running_loop().time() >= next_recovery:
                # A worker that died while others run: its claims expire here, not at restart.
                with contextlib.suppress(Exception):
                    await self.recover_stale_claims()
                next_recovery = asyncio.get_running_loop().time() + recovery_every
            try:
                progressed = await self._step(block=True)
            except Exception:
                log.exception("outbox worker step failed; retrying shortly")
                progressed = False
                await asyncio.sleep(1.0)
            if not progressed and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.config.idle_poll)
                self._wake.clear()

    async def _step(self, *, block: bool) -> bool:
        """Claim what may leave now and start sending it; False when nothing was due.

        The claim (a database round trip) happens while the previous slot is still
        running out, so the database's latency does not slow the pace down.
        """
        pause = self.limits.pause_wait()
        if pause > 0:
            if not block and not self._in_flight and pause > 5:
                return False
            await asyncio.sleep(pause)
        await self._slots.acquire()
        try:
            row = await self._claim()
        except BaseException:
            self._slots.release()
            raise
        if row is None:
            self._slots.release()
            if not block and self._in_flight:
                await asyncio.wait(self._in_flight, return_when=asyncio.FIRST_COMPLETED)
                return True
            return False
        self.limits.record_chat_send(row.chat_id)
        self._held += 1
        try:
            if await self._wait_for_slot() > 1.0 and not await self._refresh_claim(row):
                self._slots.release()
                return True
        except BaseException:
            self._slots.release()
            raise
        finally:
            self._held -= 1
        self.limits.take_global_slot()
        self._started += 1
        task = asyncio.create_task(self._deliver(row), context=_booked_context())
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return True

    async def _wait_for_slot(self) -> float:
        """Sleep until the overall pace (and any 429 pause) lets one more leave."""
        waited = 0.0
        while (wait := self.limits.global_wait()) > 0:
            await asyncio.sleep(wait)
            waited += wait
        return waited

    async def _refresh_claim(self, row: OutboxMessage) -> bool:
        """After a long 429 pause, renew the claim so nobody takes it for a dead worker's.

        False when it was already declared UNCONFIRMED meanwhile: it is not sent then.
        """
        async with unit_of_work(self.sessions) as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.status == OutboxStatus.SENDING)
                .values(claimed_at=now())
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _claim(self) -> OutboxMessage | None:
        """Mark the first due row whose chat may receive now as SENDING, committed."""
        async with unit_of_work(self.sessions) as session:
            moment = now()
            if session.bind.dialect.name == "postgresql":
                # Rows another worker is claiming right now are skipped, not waited for.
                return await self._claim_from(
                    session, deque(await self._due(session, moment, lock=True)), moment
                )
            # One process per SQLite file: the due list is read about once a second (the
            # sort over every due row is what costs), not once per message.
            loop = asyncio.get_running_loop()
            fresh = (
                not self._candidates
                or self._refill
                or loop.time() - self._candidates_at > CANDIDATES_TTL
            )
            for _ in range(2):
                if fresh:
                    self._candidates = deque(await self._due(session, moment, lock=False))
                    self._candidates_at = loop.time()
                    self._refill = False
                row = await self._claim_from(session, self._candidates, moment)
                if row is not None or fresh:
                    return row
                fresh = True  # the cached list ran dry: look at the table once more
            return None

    async def _claim_from(
        self, session: AsyncSession, candidates: deque[tuple[int, int]], moment: Any
    ) -> OutboxMessage | None:
        while candidates:
            row_id, chat_id = candidates.popleft()
            overall = self.limits.pause_wait()
            chat_wait = self.limits.chat_wait(chat_id)
            if chat_wait > overall:
                # Out of the due set until the chat may receive again: no starvation. An
                # overall 429 pause is not the chat's: the row is claimed and waits it out
                # (postponing every row would leave nothing due while the pause lasts).
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row_id)
                    .values(not_before=moment + timedelta(seconds=chat_wait))
                )
                continue
            # Conditional: it may have been claimed, cancelled or postponed since it was
            # read (another worker, a cancelled mailing); then try the next candidate.
            claimed = await session.scalars(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == row_id,
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.not_before <= moment,
                )
                .values(
                    status=OutboxStatus.SENDING,
                    claimed_by=self.worker_id,
                    claimed_at=moment,
                    attempts=OutboxMessage.attempts + 1,
                )
                .returning(OutboxMessage),
                execution_options={"synchronize_session": False},
            )
            row = claimed.one_or_none()
            if row is not None:
                return row
        return None

    async def _due(
        self, session: AsyncSession, moment: Any, *, lock: bool
    ) -> list[tuple[int, int]]:
        query = (
            select(OutboxMessage.id, OutboxMessage.chat_id)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.not_before <= moment,
                edits.ready(),
            )
            .order_by(OutboxMessage.priority, OutboxMessage.id)
            .limit(CANDIDATES_PER_CLAIM if lock else CANDIDATES_CACHED)
        )
        if lock:
            query = query.with_for_update(skip_locked=True)
        return [(row_id, chat_id) for row_id, chat_id in (await session.execute(query)).all()]

    # one message ---------------------------------------------------------------------
    async def _deliver(self, row: OutboxMessage) -> None:
        try:
            outcome = await self._send(row)
        except Exception as error:
            outcome = await self._classify(row, error)
        finally:
            self._slots.release()
        try:
            try:
                await self._record_alone(row, outcome)
            except IntegrityError:
                if row.edit_of is None:
                    raise
                # An edit going back to pending met a newer edit of its target enqueued
                # just then (one pending edit per target): the newer one has the content.
                await self._record_alone(row, edits.SUPERSEDED)
        except Exception:
            log.exception("outbox: could not record the result of message %s", row.id)

    async def _record_alone(self, row: OutboxMessage, outcome: dict[str, Any]) -> None:
        async with unit_of_work(self.sessions) as session:
            await self._record(session, row, outcome)

    async def _send(self, row: OutboxMessage) -> dict[str, Any]:
        payload = row.payload
        common: dict[str, Any] = {
            "chat_id": row.chat_id,
            "reply_markup": keyboard(payload.get("buttons")),
            "message_thread_id": payload.get("thread_id"),
        }
        if row.kind == "text":
            message = await self.bot.send_message(
                text=payload["text"],
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True)
                if payload.get("disable_preview", True)
                else None,
                **common,
            )
        elif row.kind in ("document", "photo"):
            message = await self._send_file(row, common)
        elif row.kind == "edit":
            return await edits.send(self.bot, self.sessions, row, common["reply_markup"])
        else:
            raise ValueError(f"unknown outbox kind {row.kind!r}")
        if payload.get("pin"):
            with contextlib.suppress(BadRequest, Forbidden):
                await self.bot.pin_chat_message(
                    row.chat_id, message.message_id, disable_notification=True
                )
        file_id = None
        if message.document is not None:
            file_id = message.document.file_id
        elif message.photo:
            file_id = message.photo[-1].file_id
        return {
            "status": OutboxStatus.SENT,
            "message_id": message.message_id,
            "telegram_file_id": file_id,
        }

    async def _send_file(self, row: OutboxMessage, common: dict[str, Any]) -> Any:
        async with self.sessions() as session:
            stored = await session.get_one(StoredFile, row.file_id)
        media: Any = stored.telegram_file_id or InputFile(stored.content, filename=stored.filename)
        caption = row.payload.get("text")
        if row.kind == "photo":
            return await self.bot.send_photo(
                photo=media, caption=caption, parse_mode=ParseMode.HTML, **common
            )
        return await self.bot.send_document(
            document=media, caption=caption, parse_mode=ParseMode.HTML, **common
        )

    async def _classify(self, row: OutboxMessage, error: Exception) -> dict[str, Any]:
        if isinstance(error, RetryAfter):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                retry_after = error.retry_after
            seconds = float(
                retry_after if isinstance(retry_after, int | float) else retry_after.total_seconds()
            )
            self.limits.pause(seconds)
            self.stats["rate_limited"] += 1
            return {
                "status": OutboxStatus.PENDING,
                "delay": seconds,
                "error": str(error),
                "free_attempt": True,
            }
        if isinstance(error, Forbidden):
            self.stats["blocked"] += 1
            return {"status": OutboxStatus.BLOCKED, "error": error.message}
        if isinstance(error, ChatMigrated):
            return {
                "status": OutboxStatus.PENDING,
                "delay": 0.0,
                "free_attempt": True,
                "migrate_to": error.new_chat_id,
                "error": str(error),
            }
        if isinstance(error, BadRequest):
            self.stats["failed"] += 1
            log.warning("outbox: message %s refused by Telegram: %s", row.id, error.message)
            return {"status": OutboxStatus.FAILED, "error": error.message}
        if isinstance(error, NetworkError) and _may_not_have_left(error):
            if row.attempts >= self.config.max_attempts:
                self.stats["failed"] += 1
                return {"status": OutboxStatus.FAILED, "error": f"gave up: {error}"}
            self.stats["retried"] += 1
            backoff = min(2**row.attempts, MAX_BACKOFF_SECONDS) * random.uniform(0.8, 1.2)
            return {"status": OutboxStatus.PENDING, "delay": backoff, "error": str(error)}
        if isinstance(error, NetworkError):
            # The request may have reached Telegram: sending again could duplicate it.
            self.stats["failed"] += 1
            return {"status": OutboxStatus.UNCONFIRMED, "error": str(error)}
        log.exception("outbox: message %s failed unexpectedly", row.id, exc_info=error)
        self.stats["failed"] += 1
        return {"status": OutboxStatus.FAILED, "error": repr(error)}

    async def _record(
        self, session: AsyncSession, row: OutboxMessage, outcome: dict[str, Any]
    ) -> None:
        status: OutboxStatus = outcome["status"]
        if status is OutboxStatus.PENDING and await edits.superseded(session, row):
            status, outcome = OutboxStatus.CANCELLED, edits.SUPERSEDED
        values: dict[str, Any] = {"status": status, "last_error": outcome.get("error")}
        metrics.DELIVERED.labels(status.value).inc()
        if status is OutboxStatus.SENT:
            self.stats["sent"] += 1
            values.update(sent_at=now(), message_id=outcome["message_id"])
            if outcome.get("telegram_file_id") and row.file_id is not None:
                await session.execute(
                    update(StoredFile)
                    .where(StoredFile.id == row.file_id, StoredFile.telegram_file_id.is_(None))
                    .values(telegram_file_id=outcome["telegram_file_id"])
                )
        elif status is OutboxStatus.PENDING:
            values["not_before"] = now() + timedelta(seconds=outcome.get("delay", 0.0))
            values["claimed_by"] = None
            if outcome.get("free_attempt"):
                values["attempts"] = max(row.attempts - 1, 0)
            if outcome.get("migrate_to"):
                values["chat_id"] = outcome["migrate_to"]
                await chats.adopt_migrated_chat(session, row.chat_id, outcome["migrate_to"])
        elif status is OutboxStatus.BLOCKED:
            await chats.mark_unreachable(session, row.chat_id)
            # Stop writing to them: what else waits for this chat is recorded, not tried.
            await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.chat_id == row.chat_id,
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.id != row.id,
                )
                .values(status=OutboxStatus.BLOCKED, last_error=outcome.get("error"))
            )
        if outcome.get("gone"):
            await edits.record_target_deleted(session, row, outcome["error"])
        elif status in NOT_DELIVERED:
            await edits.drop_edits_of(session, row.dedupe_key, edits.NOT_DELIVERED_REASON)
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id, OutboxMessage.status == OutboxStatus.SENDING)
            .values(**values)
        )
