"""Forged presses of /admin, the settings, /forget and the main menu: each refused with a
polite alert, and nothing changes (bot/buttons.py decodes them, the tables refuse)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from models import AuditEntry, NetworkRole, NetworkRoleGrant, User
from tests.flows import TEACHER, register_teacher, say
from tests.harness import ADMIN_ID

STALE = "больше не действует"


async def _forged_press(harness, fake_api, user_id: int, data: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The person presses a button with `data` under their last message; the bot's answer."""
    message = fake_api.last_message(user_id)
    forged = {
        **message,
        "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]},
    }
    fake_api.world.chat(user_id).messages[message["message_id"]] = forged
    await harness.idle()
    before = len(fake_api.calls_of("answerCallbackQuery"))
    sent = len(fake_api.calls_of("sendMessage")) + len(fake_api.calls_of("editMessageText"))
    fake_api.user_presses(user_id, forged, data)
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    await harness.idle()
    answer = fake_api.calls_of("answerCallbackQuery")[-1].params
    assert answer.get("show_alert") is True, (data, answer)
    # the alert is all: no screen is shown or changed
    assert len(fake_api.calls_of("sendMessage")) + len(fake_api.calls_of("editMessageText")) == sent
    return answer


async def _user(harness, telegram_id: int) -> User:  # type: ignore[no-untyped-def]
    async with harness.sessions() as session:
        return await session.scalar(select(User).where(User.telegram_id == telegram_id))


async def test_forged_admin_presses_are_refused_and_revoke_nothing(harness, fake_api):
    teacher = await register_teacher(harness, fake_api, TEACHER)
    await register_teacher(harness, fake_api, ADMIN_ID, name="Соколов Пётр Ильич")
    async with harness.sessions() as session:
        session.add(NetworkRoleGrant(user_id=teacher.id, role=NetworkRole.METHODIST))
        await session.commit()
    await say(fake_api, ADMIN_ID, "/admin", "Сетевые роли")
    for data in (
        f"admin:revoke:{TEACHER}:king",
        f"admin:revoke:{TEACHER}",
        f"admin:revoke:x{TEACHER}:methodist",
        f"admin:revoke:{TEACHER}:methodist:1",
        "admin:grant:1",
        "admin:nuke",
    ):
        assert STALE in (await _forged_press(harness, fake_api, ADMIN_ID, data))["text"]
    # a teacher's press is refused by the permission check, however it is forged
    for data in (f"admin:revoke:{TEACHER}:methodist", "admin:audit", "admin:nuke"):
        answer = await _forged_press(harness, fake_api, TEACHER, data)
        assert "администраторам платформы" in answer["text"]
    async with harness.sessions() as session:
        assert await session.scalar(select(NetworkRoleGrant.role)) is NetworkRole.METHODIST
        revoked = select(func.count()).where(AuditEntry.action == "role.revoked")
        assert await session.scalar(revoked) == 0


async def test_forged_settings_presses_are_refused_and_change_nothing(harness, fake_api):
    before = await register_teacher(harness, fake_api, TEACHER)
    await say(fake_api, TEACHER, "/language", "Выберите язык")
    forged = ("set:lang:de", "set:lang", "set:news:maybe", "set:news", "set:language:1", "set:x")
    for data in forged:
        assert STALE in (await _forged_press(harness, fake_api, TEACHER, data))["text"]
    after = await _user(harness, TEACHER)
    assert after.language == before.language == "ru"
    assert after.newsletters_enabled == before.newsletters_enabled


async def test_forged_forget_presses_are_refused_and_erase_nothing(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    await say(fake_api, TEACHER, "/forget", "Удалить")
    for data in ("forget:yes:1", "forget:maybe", "forget:"):
        assert STALE in (await _forged_press(harness, fake_api, TEACHER, data))["text"]
    user = await _user(harness, TEACHER)
    assert user is not None and user.is_registered and user.forgotten_at is None


async def test_forged_menu_presses_are_refused(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    await say(fake_api, TEACHER, "/menu", "Главное меню")
    for data in ("menu:profile:1", "menu:nuke", "menu:home:x"):
        answer = await _forged_press(harness, fake_api, TEACHER, data)
        assert "Откройте /menu ещё раз" in answer["text"]
    assert (await _user(harness, TEACHER)).is_registered
