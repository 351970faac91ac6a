"""What the unit of work does before its commit, for tests that call services and sweeps
directly: the notices they recorded are worded (in Russian by default) and enqueued."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers.meetings
import handlers.protocols  # noqa: F401  (and of the protocol notices)
from bot.notices import NoticeRenderer
from models.db import unit_of_work

T = TypeVar("T")
RENDERER = NoticeRenderer("ru")


async def delivered(session: AsyncSession, call: Awaitable[T]) -> T:
    """Await a service call, then enqueue the notices it recorded; its result."""
    result = await call
    await RENDERER.deliver(session)
    return result


async def swept(session: AsyncSession, sweep: Callable[[AsyncSession], Awaitable[object]]) -> int:
    """Run a sweep and enqueue what it recorded; the outbox rows added (dedupe counted)."""
    await sweep(session)
    return await RENDERER.deliver(session)


async def sweep_committed(
    sessions: async_sessionmaker[AsyncSession], sweep: Callable[[AsyncSession], Awaitable[object]]
) -> int:
    """A sweep in its own unit of work, as the runner does it; the outbox rows added."""
    async with unit_of_work(sessions) as session:
        return await swept(session, sweep)
