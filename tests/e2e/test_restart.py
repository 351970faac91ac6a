"""A half-filled registration survives a restart and a crash; an update is acted on once."""

from __future__ import annotations

from sqlalchemy import func, select

from models import DialogState, ReceivedUpdate, User
from tests.flows import press, say

USER = 720_001


async def _answer_three_questions(api):  # type: ignore[no-untyped-def]
    api.add_user(USER, language_code="ru")
    consent = await say(api, USER, "/start", "Согласие")
    await press(api, USER, consent, "✅", "Как вас зовут")
    await say(api, USER, "Смирнова Ольга Николаевна", "Где вы работаете")
    return await say(api, USER, "Гимназия № 3", "должность")


async def test_registration_continues_after_a_clean_restart(harness, fake_api):
    await _answer_three_questions(fake_api)
    await harness.idle()
    await harness.restart()
    reply = await say(fake_api, USER, "/start", "Продолжим регистрацию")
    assert reply
    positions = await fake_api.wait_for_message(USER, "должность")
    await press(fake_api, USER, positions, "Методист", "предметы")
    await harness.idle()
    async with harness.sessions() as session:
        state = await session.get(DialogState, (USER, USER))
    assert state.step == "subjects"
    assert state.data["name"] == "Смирнова Ольга Николаевна"
    assert state.data["org"] == "Гимназия № 3"


async def test_registration_survives_a_crash_without_repeating_questions(harness, fake_api):
    await _answer_three_questions(fake_api)
    await harness.idle()
    await harness.crash()
    # Telegram re-sends what it had not seen confirmed; the bot must not act on it twice.
    await harness.start()
    positions = fake_api.last_message(USER)
    await press(fake_api, USER, positions, "Учитель", "предметы")
    await harness.idle()
    asked = [m["text"] for m in fake_api.sent_to(USER) if "Как вас зовут" in (m.get("text") or "")]
    assert len(asked) == 1, "the name question was asked again"
    async with harness.sessions() as session:
        state = await session.get(DialogState, (USER, USER))
        handled = await session.scalar(
            select(func.count())
            .select_from(ReceivedUpdate)
            .where(ReceivedUpdate.handled_at.is_not(None))
        )
    assert state.step == "subjects" and state.data["position"] == "teacher"
    assert handled == 5


async def test_a_redelivered_update_is_not_handled_twice(harness, fake_api):
    fake_api.add_user(USER, language_code="ru")
    update = fake_api.user_sends(USER, "/start")
    await fake_api.wait_for_message(USER, "Согласие")
    await harness.idle()
    await harness.crash()
    fake_api.redeliver(update)  # Telegram never saw the confirmation: it comes again
    await harness.start()
    await fake_api.wait_for(lambda: not fake_api.pending_updates)
    await harness.idle(0.2)
    consents = [m for m in fake_api.sent_to(USER) if "Согласие" in (m.get("text") or "")]
    assert len(consents) == 1
    async with harness.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0
