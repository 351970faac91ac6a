"""Update processing: concurrent across chats, strictly ordered within a chat and user.

Each update is one unit of work: a session is opened before the handlers run, the
update is recorded as handled in the same transaction as everything the handlers wrote,
and a redelivered update (Telegram repeats what it had not seen confirmed) is skipped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Hashable
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.i18n import Translator, pick_language
from bot.keyed_locks import KeyedLocks
from bot.notices import NoticeRenderer
from bot.observability import current_update, describe
from bot.scope import UpdateScope, current_scope
from bot.settings import Settings
from models import ReceivedUpdate, User
from models.db import write_gate
from services import metrics
from services.access import Actor
from services.clock import now
from services.notices import discard_pending
from services.outbox import enqueued_in
from services.users import known_user

log = logging.getLogger(__name__)

# PTB's own semaphore only has to admit every waiting update; our limit is `in_flight`.
_ADMIT_ALL = 100_000


def ordering_key(update: object) -> Hashable | None:
    """Updates with the same key are handled one after another, in arrival order."""
    if not isinstance(update, Update):
        return None
    chat, user = update.effective_chat, update.effective_user
    if chat is None and user is None:
        return None
    return (chat.id if chat else None, user.id if user else None)


class OrderedUpdateProcessor(BaseUpdateProcessor):
    """Per-(chat, user) order, `in_flight` handlers at once overall, one session each."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        settings: Settings,
        *,
        in_flight: int = 16,
        unit_of_work: bool = True,
    ) -> None:
        # Words the notices the handlers' services recorded, before the commit.
        self.notices = NoticeRenderer(settings.default_language)
        super().__init__(max_concurrent_updates=_ADMIT_ALL)
        self.sessions = session_factory
        self.settings = settings
        self.unit_of_work = unit_of_work
        self._running = asyncio.Semaphore(in_flight)
        self._locks = KeyedLocks()
        # Run after an update whose transaction added outbox rows (wakes the worker).
        self.after_outbox_hooks: list[Any] = []
        # Filled by the inbox with the updates it has just stored (see _handled_before).
        self.fresh_update_ids: set[int] = set()
        # HANDLE_UPDATES=false: updates are stored here and handled by `python -m bot worker`.
        self.receive_only = not settings.handle_updates
        # Updates received and not yet committed (tests and benchmarks wait for 0).
        self.active = 0
        # One "update handled" record per update: an event of JSON logs, a debug line in text.
        self._handled_level = logging.INFO if settings.log_format == "json" else logging.DEBUG

    async def initialize(self) -> None:
        """Nothing to prepare: the session factory is created by the application."""

    async def shutdown(self) -> None:
        """Nothing to release: the engine is disposed by the application."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self.receive_only and isinstance(update, Update):
            # Stored by the inbox, which told the workers (bot/workers.py).
            coroutine.close()  # type: ignore[attr-defined]
            self.fresh_update_ids.discard(update.update_id)
            return
        self.active += 1
        try:
            await self._process_in_order(update, coroutine)
        finally:
            self.active -= 1

    async def _process_in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = ordering_key(update)
        if key is None:
            await self._run(update, coroutine)
            return
        await self._locks.acquire(key)
        try:
            await self._run(update, coroutine)
        finally:
            self._locks.release(key)

    async def _run(self, update: object, coroutine: Awaitable[Any]) -> None:
        async with self._running:
            if not self.unit_of_work or not isinstance(update, Update):
                await coroutine
                return
            await self._in_unit_of_work(update, coroutine)

    async def _in_unit_of_work(self, update: Update, coroutine: Awaitable[Any]) -> None:
        fields = describe(update)
        token = current_update.set(fields)
        started = time.perf_counter()
        try:
            await self._handle_and_commit(update, coroutine)
        finally:
            elapsed = time.perf_counter() - started
            metrics.UPDATES.labels(fields["handler"]).inc()
            metrics.LATENCY.observe(elapsed)
            duration = {"duration_ms": round(elapsed * 1000, 1)}
            log.log(self._handled_level, "update handled", extra={"fields": duration})
            current_update.reset(token)

    async def _handle_and_commit(self, update: Update, coroutine: Awaitable[Any]) -> None:
        async with self.sessions() as session:
            if await self._handled_before(session, update.update_id):
                log.info("update %s was handled before; skipped", update.update_id)
                coroutine.close()  # type: ignore[attr-defined]
                return
            scope = await self._open_scope(session, update)
            token = current_scope.set(scope)
            try:
                await coroutine
            finally:
                current_scope.reset(token)
                await scope.settle()
            if scope.failed:
                discard_pending(session)
                await session.rollback()
            async with write_gate(session):
                await self.notices.deliver(session)
                try:
                    await _mark_handled(session, update.update_id)
                except HandledElsewhere:
                    log.warning("update %s was handled elsewhere; rolled back", update.update_id)
                    discard_pending(session)
                    await session.rollback()
                    return
                await session.commit()
            wrote_outbox = enqueued_in(session)
        if wrote_outbox:
            for hook in self.after_outbox_hooks:
                hook()
        for hook in scope.after_commit:
            hook()

    async def _handled_before(self, session: AsyncSession, update_id: int) -> bool:
        # An update this process has just stored cannot have been handled: no read needed.
        if update_id in self.fresh_update_ids:
            self.fresh_update_ids.discard(update_id)
            return False
        handled_at = await session.scalar(
            select(ReceivedUpdate.handled_at).where(ReceivedUpdate.update_id == update_id)
        )
        return handled_at is not None

    async def _open_scope(self, session: AsyncSession, update: Update) -> UpdateScope:
        person = update.effective_user
        user: User | None = None
        if person is not None and not person.is_bot:
            user = await known_user(
                session,
                telegram_id=person.id,
                username=person.username,
                language_code=person.language_code,
            )
        language = pick_language(
            user.language if user else None,
            person.language_code if person else None,
            self.settings.default_language,
        )
        actor = (
            Actor(telegram_id=person.id, is_platform_admin=person.id in self.settings.admin_set)
            if person is not None
            else None
        )
        return UpdateScope(session=session, translator=Translator(language), actor=actor, user=user)


_RECEIVED = ReceivedUpdate.__table__
_MARK_HANDLED = (
    update(_RECEIVED)
    .where(_RECEIVED.c.update_id == bindparam("handled_id"), _RECEIVED.c.handled_at.is_(None))
    .values(
        handled_at=bindparam("handled_moment", type_=_RECEIVED.c.handled_at.type),
        payload=None,
        claimed_by=None,
        claimed_until=None,
    )
)


class HandledElsewhere(RuntimeError):
    """Another process committed this update first (a worker whose claim had lapsed)."""


async def _mark_handled(session: AsyncSession, update_id: int) -> None:
    """Record the update as handled (its payload is no longer needed) — once: if another
    process has marked it meanwhile, this transaction must not commit."""
    moment = now()
    # On the session's connection (Core): the ORM's bulk-update machinery cost more than
    # the statement itself, once per update.
    connection = await session.connection()
    marked = await connection.execute(
        _MARK_HANDLED, {"handled_id": update_id, "handled_moment": moment}
    )
    if marked.rowcount:
        return
    stored = await connection.scalar(
        select(_RECEIVED.c.update_id).where(_RECEIVED.c.update_id == update_id)
    )
    if stored is not None:
        raise HandledElsewhere(update_id)
    # Not stored by the inbox (a test feeding the queue directly).
    session.add(
        ReceivedUpdate(update_id=update_id, payload=None, received_at=moment, handled_at=moment)
    )
