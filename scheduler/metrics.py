"""Measurements the scheduler takes for /metrics (services/metrics.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services import metrics, outbox


async def measure_outbox_backlog(session: AsyncSession) -> int:
    waiting = await outbox.backlog(session)
    metrics.OUTBOX_BACKLOG.set(waiting)
    return waiting
