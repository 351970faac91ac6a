"""Periodic sweeps. The database is the truth: each job selects what is due now."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, ContextTypes

from bot.inbox import prune
from models.db import unit_of_work
from services.outbox import enqueued_in

log = logging.getLogger(__name__)


async def sweep_into_outbox(
    context: ContextTypes.DEFAULT_TYPE, sweep: Callable[[AsyncSession], Awaitable[object]]
) -> None:
    """Run `sweep` in one unit of work; wake the delivery worker if it added outbox rows."""
    async with unit_of_work(context.bot_data["sessions"]) as session:
        await sweep(session)
        added = enqueued_in(session)
    if added:
        context.bot_data["outbox"].wake()


async def prune_received_updates(context: ContextTypes.DEFAULT_TYPE) -> None:
    async with unit_of_work(context.bot_data["sessions"]) as session:
        removed = await prune(session)
    if removed:
        log.info("forgot %d handled update id(s)", removed)


async def recover_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.bot_data["outbox"].recover_stale_claims()


_extra: list = []


def add_sweep(callback, *, every: timedelta, name: str, first: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    """Let a feature add a periodic sweep (reminders, deadlines, scheduled mailings)."""
    _extra.append((callback, every, name, first))


def feature_sweep_names() -> list[str]:
    return [name for _, _, name, _ in _extra]


def schedule(application: Application) -> None:
    """Start the sweeps (deterministic names, so a restart replaces rather than doubles)."""
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    queue.run_repeating(
        prune_received_updates, interval=timedelta(hours=6), first=60, name="prune-received-updates"
    )
    queue.run_repeating(
        recover_outbox, interval=timedelta(minutes=1), first=30, name="recover-outbox"
    )
    for callback, every, name, first in _extra:
        queue.run_repeating(callback, interval=every, first=first, name=name)
