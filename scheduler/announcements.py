"""Announcement sweeps: authors learn how their announcements were delivered."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services import announcements


async def delivery_summaries(session: AsyncSession) -> None:
    """Tell the author of every announcement whose messages have all left how it went."""
    await announcements.report_finished(session)
