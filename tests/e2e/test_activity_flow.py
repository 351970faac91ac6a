"""Activity end to end: the leader opens /members → «📊 Activity» and pages the ranking;
a plain member's forged press is refused; (nominations and /portfolio below)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from pypdf import PdfReader

from models.db import unit_of_work
from tests.activity_world import SECOND, STAR, ZEROES, build_world
from tests.flows import button, press, say

BASE = 792_000
LEADER, STAR_ID, SECOND_ID = BASE + 1, BASE + 2, BASE + 3


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


async def _world(harness, fake_api):  # type: ignore[no-untyped-def]
    async with unit_of_work(harness.sessions) as session:
        world = await build_world(session, BASE)
        people = [world.leader, world.star, world.second, *world.chatty, *world.zeroes]
        for person in people:
            fake_api.add_user(person.telegram_id, person.full_name.split()[1])
    return world


async def _forged_press(harness, fake_api, user_id: int, data: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    message = fake_api.last_message(user_id)
    forged = {
        **message,
        "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]},
    }
    fake_api.world.chat(user_id).messages[message["message_id"]] = forged
    await harness.idle()
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(user_id, forged, data)
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    return fake_api.calls_of("answerCallbackQuery")[-1].params


async def _open_activity(fake_api) -> dict:  # type: ignore[no-untyped-def]
    roster = await say(fake_api, LEADER, "/members", "Участники")
    return await press(fake_api, LEADER, roster, "📊 Активность", "Активность в")


async def test_the_leader_sees_the_ranking_and_a_member_cannot(harness, fake_api):
    await _world(harness, fake_api)
    screen = await _open_activity(fake_api)
    text = screen["text"]
    assert "Этот учебный год: 1 сентября 2026 г. – 31 августа 2027 г." in text
    assert "Проведено заседаний: 6 · 14 участников" in text
    assert f"1. {STAR} — 33 (встречи 5 · материалы 1 · задания 1)" in text
    assert f"2. {SECOND} — 18 (встречи 3 · сообщения 10 · вопросы 1)" in text
    assert "Страница 1 из 2" in text
    least = text.split("Наименее активные")[1]
    assert all(name in least for name in ZEROES) and STAR not in least
    assert "пока ничего" in least
    # the next page, then the previous year
    page = await press(fake_api, LEADER, screen, "➡️", "Страница 2 из 2")
    assert "11. Смирнова Елена Олеговна" in page["text"]
    year = await press(fake_api, LEADER, page, "Прошлый учебный год", "Проведено заседаний: 1")
    assert f"1. {STAR} — 5 (встречи 1)" in year["text"]
    assert "✅ Прошлый учебный год" in str(year["reply_markup"])
    # a plain member: /members is the fellows' list, and a forged press is refused
    roster = await say(fake_api, STAR_ID, "/members", None)
    assert "📊" not in str(roster.get("reply_markup"))
    data = button(screen, "Этот месяц")
    answer = await _forged_press(harness, fake_api, STAR_ID, data)
    assert answer.get("show_alert") and "руководител" in answer["text"]
    fake_api.assert_clean()
