"""Activity end to end: the leader opens /members → «📊 Activity» and pages the ranking;
a plain member's forged press is refused; the leader nominates two members with
justifications and the approver receives the PDF; a member runs /portfolio and gets the
extract."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from pypdf import PdfReader

from models import NetworkRole
from models.db import unit_of_work
from tests.activity_world import SECOND, STAR, ZEROES, build_world
from tests.factories import make_teacher
from tests.flows import button, press, say

BASE = 792_000
LEADER, STAR_ID, SECOND_ID = BASE + 1, BASE + 2, BASE + 3
APPROVER = BASE + 90
WHY = "Провёл открытый урок для коллег и подготовил разработку по дробям"


def _pdf_text(content: bytes) -> str:
    """The PDF's words on one line, words hyphenated at a line's end joined again."""
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return re.sub(r"(\w)- (\w)", r"\1\2", " ".join(text.split()))


async def _world(harness, fake_api):  # type: ignore[no-untyped-def]
    async with unit_of_work(harness.sessions) as session:
        world = await build_world(session, BASE)
        people = [world.leader, world.star, world.second, *world.chatty, *world.zeroes]
        for person in people:
            fake_api.add_user(person.telegram_id, person.full_name.split()[1])
        await make_teacher(
            session, APPROVER, full_name="Громова Наталья Викторовна", roles=(NetworkRole.APPROVER,)
        )
        fake_api.add_user(APPROVER, "Наталья")
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
    for forged in (
        button(screen, "🏅"),  # nominating
        button(screen, "Прежние представления"),
        "act1:rank:1:forever:0",  # a period that does not exist
        "act1:npdf:x",
    ):
        answer = await _forged_press(harness, fake_api, STAR_ID, forged)
        assert answer.get("show_alert"), forged
    fake_api.assert_clean()


async def _toggle(harness, fake_api, message: dict, label: str) -> dict:  # type: ignore[no-untyped-def]
    fake_api.user_presses(LEADER, message, button(message, label))
    chat = fake_api.world.chat(LEADER)
    await fake_api.wait_for(lambda: f"✅ {label}" in str(chat.messages[message["message_id"]]))
    return chat.messages[message["message_id"]]


async def test_the_leader_nominates_two_members_and_the_approver_gets_the_list(harness, fake_api):
    await _world(harness, fake_api)
    screen = await _open_activity(fake_api)
    who = await press(fake_api, LEADER, screen, "🏅", "Кого вы выдвигаете")
    assert "1. Петров И. С." in str(who["reply_markup"])
    who = await _toggle(harness, fake_api, who, "1. Петров И. С.")
    who = await _toggle(harness, fake_api, who, "2. Сидорова М. И.")
    first = await press(fake_api, LEADER, who, "Готово", "1 из 2")
    assert "Петров Иван Сергеевич" in first["text"]
    assert "посещение заседаний — 5 из 6" in first["text"]
    await say(fake_api, LEADER, "ок", "от 5 до 600")  # too short: explained, asked again
    second = await say(fake_api, LEADER, WHY, "2 из 2")
    assert "Сидорова Мария Ивановна" in second["text"]
    summary = await press(fake_api, LEADER, second, "Взять черновик", "Отправить представление")
    assert WHY in summary["text"] and "Активное участие в работе объединения" in summary["text"]
    before = len(fake_api.calls_of("sendDocument"))
    fake_api.user_presses(LEADER, summary, button(summary, "Отправить утверждающему"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("sendDocument")) > before)
    mine = fake_api.calls_of("sendDocument")[-1]
    assert int(mine.params["chat_id"]) == LEADER and "Громова Н. В." in mine.params["caption"]
    await harness.idle(0.1)
    await harness.app.bot_data["outbox"].drain()
    notice = await fake_api.wait_for_message(APPROVER, "выдвигает на поощрение 2 участников")
    assert "Иванова Анна Петровна" in notice["caption"]
    sent = next(
        c for c in fake_api.calls_of("sendDocument") if int(c.params["chat_id"]) == APPROVER
    )
    assert sent.params["caption"] == notice["caption"]
    text = _pdf_text(sent.files["document"])
    assert "ПРЕДСТАВЛЕНИЕ К ПООЩРЕНИЮ" in text and "Петров Иван Сергеевич" in text
    assert "Сидорова Мария Ивановна" in text and "разработку по дробям" in text
    # the approver opens the ranking from the notice; the leader downloads the list again
    ranking = await press(fake_api, APPROVER, notice, "📊", "Активность в")
    assert "🏅" not in str(ranking["reply_markup"])
    again = await press(fake_api, LEADER, screen, "Прежние представления", "№ 1 от")
    assert "Петров И. С., Сидорова М. И." in again["text"]
    before = len(fake_api.calls_of("sendDocument"))
    fake_api.user_presses(LEADER, again, button(again, "📄 № 1"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("sendDocument")) > before)
    assert "ПООЩРЕНИЮ" in _pdf_text(fake_api.calls_of("sendDocument")[-1].files["document"])
    fake_api.assert_clean()


async def test_a_member_reads_their_portfolio_and_gets_the_extract(harness, fake_api):
    await _world(harness, fake_api)
    screen = await say(fake_api, STAR_ID, "/portfolio", "Моё портфолио")
    text = screen["text"]
    assert "2026/2027 учебный год" in text and "«ВМО учителей математики» — участник" in text
    assert "• посещение заседаний: 5 из 6" in text and "• выполненные задания: 1" in text
    assert "15.09.2026 — Функциональная грамотность на уроках математики" in text
    assert "«Дроби в 5 классе»" in text
    last = await press(fake_api, STAR_ID, screen, "Прошлый учебный год", "2025/2026")
    assert "Итоги прошлого года" in last["text"] and "1 из 1" in last["text"]
    before = len(fake_api.calls_of("sendDocument"))
    fake_api.user_presses(STAR_ID, last, button(last, "Выписка PDF"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("sendDocument")) > before)
    sent = fake_api.calls_of("sendDocument")[-1]
    assert int(sent.params["chat_id"]) == STAR_ID
    pdf = _pdf_text(sent.files["document"])
    assert "ВЫПИСКА об участии в работе методического объединения" in pdf
    assert "за 2025/2026 учебный год" in pdf and STAR in pdf and "Итоги прошлого года" in pdf
    # someone not registered gets the polite answer
    fake_api.add_user(BASE + 99, "Гость")
    await say(fake_api, BASE + 99, "/portfolio", "/start")
    fake_api.assert_clean()
