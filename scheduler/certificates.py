"""The certificates' delivery sweep (a row of scheduler/schedule.py): the PDFs of the
leader's batch, built and sent a score at a time (services/certificates/issue.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.certificates.issue import deliver_pending


async def deliver_certificates(session: AsyncSession) -> int:
    return await deliver_pending(session)
