"""The associations' sweep: offers from the queue that lapsed unanswered pass on."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services import memberships


async def pass_on_lapsed_offers(session: AsyncSession) -> int:
    """Each lapsed offer's place goes to the next in the queue (who is told); returns the
    number of new offers."""
    return len(await memberships.expire_offers(session))
