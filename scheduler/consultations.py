"""The consultations' sweeps: a reminder to whoever owes an answer, then escalation."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services import consultations


async def remind_unanswered(session: AsyncSession) -> int:
    """Questions unanswered past their association's reminder time (24 h by default):
    their assignee is reminded once; returns the questions reminded."""
    return await consultations.remind_unanswered(session)


async def escalate_unanswered(session: AsyncSession) -> int:
    """Questions unanswered past the escalation time (72 h by default) go to the leader
    (the methodists for the network's questions), once; returns how many."""
    return await consultations.escalate_unanswered(session)
