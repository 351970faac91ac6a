"""The correspondence's sweep: relayed texts are erased once they can no longer be needed
for an answer or a report (services/correspondence.py `RETENTION`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services import correspondence


async def erase_old_messages(session: AsyncSession) -> int:
    """Erase the member messages past their retention; returns how many."""
    return await correspondence.erase_expired(session)
