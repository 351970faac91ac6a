"""The tasks' sweep: reminders the day before the due date and when it is overdue."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services import tasks


async def remind_about_tasks(session: AsyncSession) -> int:
    """Tell each assignee whose part is open that the due date is tomorrow or has passed
    (each once); returns the number of notices."""
    return await tasks.send_reminders(session)
