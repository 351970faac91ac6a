"""The annual report's sweep (a row of scheduler/schedule.py): services/report_delivery.py,
with the built-in survey questions worded in Russian, the documents' language."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import translations
from services import report_delivery


async def send_annual_reports(session: AsyncSession) -> int:
    return await report_delivery.send_annual_reports(session, word=translations("ru").gettext)


__all__ = ["send_annual_reports"]
