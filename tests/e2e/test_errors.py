"""An unexpected failure: the person is told, admins are alerted, the update's writes roll back."""

from __future__ import annotations

from sqlalchemy import select
from telegram.ext import CommandHandler

from models import AuditEntry, ReceivedUpdate
from services.audit import audit
from tests.flows import TEACHER, register_teacher, say
from tests.harness import ADMIN_ID


async def test_failure_is_reported_and_rolled_back(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    fake_api.add_user(ADMIN_ID)

    async def boom(update, context):  # type: ignore[no-untyped-def]
        await audit(context.session, actor_telegram_id=TEACHER, action="half.done")
        raise RuntimeError("disk on fire")

    harness.app.add_handler(CommandHandler("boom", boom), group=-1)
    update = fake_api.user_sends(TEACHER, "/boom")
    reply = await fake_api.wait_for_message(TEACHER, "что-то пошло не так")
    assert "Администраторы" in reply["text"]
    alert = await fake_api.wait_for_message(ADMIN_ID, "RuntimeError")
    assert "disk on fire" in alert["text"]
    await harness.idle()
    async with harness.sessions() as session:
        assert (
            await session.scalar(select(AuditEntry).where(AuditEntry.action == "half.done")) is None
        )
        row = await session.get(ReceivedUpdate, update["update_id"])
    assert row is not None and row.handled_at is not None and row.payload is None
    # The bot keeps working for the next message.
    await say(fake_api, TEACHER, "/menu", "Главное меню")
