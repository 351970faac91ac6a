"""Event sweeps: the weekly digest of the coming week's events and meetings."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.lent import sweep_settings
from services import events


async def weekly_digest(session: AsyncSession) -> None:
    """From Monday 09:00 in the network's time zone, each subscriber's digest, once a week."""
    await events.tell_weekly_digests(session, timezone=sweep_settings().default_timezone)
