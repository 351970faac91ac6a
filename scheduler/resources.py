"""The catalogue's weekly digest of new materials (services/resources/digest.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.lent import sweep_settings
from services.resources import digest


async def weekly_materials_digest(session: AsyncSession) -> int:
    """From Monday 10:00 in the network's time zone, last week's new materials, once."""
    return await digest.tell_weekly_digests(session, timezone=sweep_settings().default_timezone)
