"""The activity rollup's sweep (a row of scheduler/schedule.py): once a day, the current
academic year's (association, person) pairs are rebuilt for the network summary
(services/activity_rollup.py), in the network's time zone."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.lent import sweep_settings
from services import activity_rollup
from services.clock import now


async def refresh_activity_rollup(session: AsyncSession) -> int:
    return await activity_rollup.refresh(
        session, timezone=sweep_settings().default_timezone, today=now().date()
    )
