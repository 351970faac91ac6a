"""The resource bank's review sweep: each reviewer's daily digest of the queue."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.lent import sweep_settings
from services.resources import review


async def tell_review_digests(session: AsyncSession) -> int:
    """From 09:00 in each reviewer's time zone, how many materials wait for them, once a
    day and only when something waits; returns the number of notices."""
    return await review.tell_queue_digests(
        session, default_timezone=sweep_settings().default_timezone
    )
