"""Registration through the real Application and the fake Bot API, as a teacher does it."""

from __future__ import annotations

from sqlalchemy import select

from models import DialogState, User
from tests.flows import TEACHER, register_teacher


async def test_teacher_registers_in_russian(harness, fake_api):
    user = await register_teacher(harness, fake_api, TEACHER)
    assert user.full_name == "Иванова Анна Петровна"
    assert user.organisation == "МБОУ «СОШ № 5»"
    assert user.position == "teacher"
    assert user.subjects == ["math", "Астрономия"]
    assert user.experience_years == 2
    assert user.is_young_specialist
    assert user.consent_version == harness.settings.consent_version
    assert user.consent_at is not None
    async with harness.sessions() as session:
        assert await session.scalar(select(DialogState)) is None
        saved = await session.scalar(select(User).where(User.telegram_id == TEACHER))
    assert saved is not None and saved.municipality == "г. Тверь"
