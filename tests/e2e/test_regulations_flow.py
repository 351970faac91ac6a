"""The regulation and the participant's guide end to end: the leader opens the regulation
from the card, rewrites a section (a bad text explained on the way), looks at the draft's
PDF and approves it; a member reads the approved copy and the guide from the card and
cannot edit (a forged button is refused); a newcomer who joins receives the guide and the
approved regulation through the outbox."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from models.db import unit_of_work
from models.regulations import RegulationVersion
from services import regulation_versions
from services.access import Actor
from services.clock import set_clock
from tests.documents.pdf_probe import contains, full_text
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

LEADER = 791_001
MEMBER = 791_002
NEWCOMER = 791_003
NOW = datetime(2026, 11, 12, 9, 0, tzinfo=UTC)
NAME = "ВМО учителей математики"


async def _world(harness, fake_api) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    for telegram_id, first_name in ((LEADER, "Анна"), (MEMBER, "Иван"), (NEWCOMER, "Ольга")):
        fake_api.add_user(telegram_id, first_name)
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Иванова Анна Петровна")
        club = await make_association(
            session, leader=leader, name=NAME, order_ref="№ 112-о от 30.08.2026"
        )
        await add_member(
            session, club, await make_teacher(session, MEMBER, full_name="Петров Иван Сергеевич")
        )
        await make_teacher(session, NEWCOMER, full_name="Смирнова Ольга Викторовна")
        return club.id, club.join_code


async def _card(fake_api, telegram_id: int) -> dict:  # type: ignore[no-untyped-def]
    catalogue = await say(fake_api, telegram_id, "/associations", "Объединения")
    return await press(fake_api, telegram_id, catalogue, NAME, "Тема:")


async def _document(fake_api, telegram_id: int, press_on: dict, label: str):  # type: ignore[no-untyped-def]
    """Press `label` and return the document the bot then sends (its call)."""
    before = len(fake_api.calls_of("sendDocument"))
    fake_api.user_presses(telegram_id, press_on, button(press_on, label))
    sent = await fake_api.wait_for(
        lambda: [
            c
            for c in fake_api.calls_of("sendDocument")[before:]
            if int(c.params["chat_id"]) == telegram_id
        ]
    )
    return sent[-1]


async def _alert(fake_api, telegram_id: int, message: dict, data: str) -> str:  # type: ignore[no-untyped-def]
    """Press the button with `data` (put under `message` when it is not there: a forged
    or an old one) and return the alert the bot answers with."""
    chat = fake_api.world.chat(telegram_id)
    current = chat.messages[message["message_id"]]
    if data not in str(current.get("reply_markup")):
        forged = [[{"text": "x", "callback_data": data}]]
        chat.messages[message["message_id"]] = {
            **current,
            "reply_markup": {"inline_keyboard": forged},
        }
    query = fake_api.user_presses(telegram_id, message, data)["callback_query"]["id"]
    answer = await fake_api.wait_for(lambda: fake_api.callback_answers.get(query))
    assert answer.get("show_alert"), fake_api.dump(6)
    chat.messages[message["message_id"]] = current
    return answer["text"]


async def test_the_leader_rewrites_a_section_previews_and_approves(harness, fake_api):
    await _world(harness, fake_api)
    card = await _card(fake_api, LEADER)
    screen = await press(fake_api, LEADER, card, "📜 Положение", "Положение «ВМО учителей")
    assert "Ещё не утверждено" in screen["text"]
    assert button(screen, "▫️ 3. Организация деятельности")
    section = await press(fake_api, LEADER, screen, "3. Организация", "раздел 3 из 7")
    assert "Составлен по виду объединения" in section["text"]
    assert "3.3. В течение учебного года проводится не менее четырёх" in section["text"]
    assert "Вернуть составленный текст" not in str(section["reply_markup"])
    prompt = await press(fake_api, LEADER, section, "Заменить текст", "Пришлите новый текст")
    assert "не менее четырёх виртуальных заседаний ВМО." in prompt["text"]  # to copy
    await say(fake_api, LEADER, "Кратко", "от 10 до 3000 символов")
    saved = await say(
        fake_api,
        LEADER,
        "Заседания проводятся онлайн, не реже раза в четверть.\nФормы работы:\n- вебинар\n"
        "- мастер-класс",
        "Сохранено",
    )
    assert "3.1. Заседания проводятся онлайн, не реже раза в четверть." in saved["text"]
    assert "3.2. Формы работы:\n    – вебинар\n    – мастер-класс" in saved["text"]
    assert "✏️ Переписан 12 ноября 2026 г. (Иванова А. П.)" in saved["text"]
    assert button(saved, "Вернуть составленный текст").startswith("reg1:rest:")

    screen = await press(fake_api, LEADER, saved, "Все разделы", "Положение «ВМО")
    assert button(screen, "✏️ 3. Организация деятельности")
    draft = await _document(fake_api, LEADER, screen, "Проект в PDF")
    assert "ПРОЕКТ" in full_text(draft.files["document"])
    assert contains(draft.files["document"], "3.1. Заседания проводятся онлайн")
    assert contains(draft.files["document"], "от 30.08.2026 № 112-о")

    ask = await press(fake_api, LEADER, screen, "✅ Утвердить", "редакцию № 1")
    approved = await _document(fake_api, LEADER, ask, "Утвердить редакцию № 1")
    assert approved.params["caption"].startswith("📜 Положение «ВМО учителей математики»")
    assert "ПРОЕКТ" not in full_text(approved.files["document"])
    settled = await fake_api.wait_for_message(LEADER, "Редакция № 1 утверждена")
    assert not settled.get("reply_markup")
    await harness.idle(0.1)
    async with harness.sessions() as session:
        version = await session.scalar(select(RegulationVersion))
    assert version.version == 1 and version.sections[2].startswith("Заседания проводятся")

    card = await _card(fake_api, LEADER)
    screen = await press(fake_api, LEADER, card, "📜 Положение", "Положение «ВМО учителей")
    assert "✅ Редакция № 1 утверждена 12 ноября 2026 г. (Иванова А. П.)" in screen["text"]
    assert "Проект совпадает с этой редакцией." in screen["text"]
    assert "✅ Утвердить" not in str(screen["reply_markup"])
    await _document(fake_api, LEADER, screen, "📄 Редакция № 1")
    again = await fake_api.wait_for_message(LEADER, "редакция № 1, утверждена 12 ноября")
    assert again["document"]["file_name"] == "regulation-v1.pdf"
    fake_api.assert_clean()


async def test_a_member_reads_the_copy_and_the_guide_and_cannot_edit(harness, fake_api):
    club_id, _ = await _world(harness, fake_api)
    card = await _card(fake_api, MEMBER)
    assert "Изменить сведения" not in str(card["reply_markup"])
    not_yet = await _alert(fake_api, MEMBER, card, button(card, "📜 Положение"))
    assert "ещё не утверждено" in not_yet
    forged = await _alert(fake_api, MEMBER, card, f"reg1:sec:{club_id}:1")
    assert "только руководителю объединения" in forged
    forged = await _alert(fake_api, MEMBER, card, f"reg1:ok:{club_id}:1")
    assert "только руководителю объединения" in forged
    stale = await _alert(fake_api, MEMBER, card, f"reg1:sec:{club_id}:x")
    assert "устарела" in stale

    async with unit_of_work(harness.sessions) as session:
        await regulation_versions.approve(session, Actor(LEADER), association_id=club_id, version=1)
    copy = await _document(fake_api, MEMBER, card, "📜 Положение")
    assert (
        copy.files["document"]
        and "редакция № 1, утверждена 12 ноября 2026 г." in (copy.params["caption"])
    )
    assert contains(copy.files["document"], "о виртуальном методическом объединении учителей")
    guide = await _document(fake_api, MEMBER, card, "Инструкция участника")
    text = full_text(guide.files["document"])
    assert "Инструкция участника" in text and "Руководитель — Иванова Анна Петровна." in text
    assert "редакция № 1 от 12 ноября 2026 г." in " ".join(text.split())
    fake_api.assert_clean()


async def test_a_newcomer_receives_the_guide_and_the_approved_regulation(harness, fake_api):
    club_id, code = await _world(harness, fake_api)
    async with unit_of_work(harness.sessions) as session:
        await regulation_versions.approve(session, Actor(LEADER), association_id=club_id, version=1)
    await say(fake_api, NEWCOMER, f"/join {code}", "Добро пожаловать")
    await harness.idle(0.1)
    await harness.app.bot_data["outbox"].drain()
    guide = await fake_api.wait_for_message(NEWCOMER, "Инструкция участника «ВМО")
    regulation = await fake_api.wait_for_message(NEWCOMER, "Положение «ВМО учителей математики»")
    assert guide["document"]["file_name"] == "participant-guide.pdf"
    assert regulation["document"]["file_name"] == "regulation-v1.pdf"
    uploads = [
        c.files["document"]
        for c in fake_api.calls_of("sendDocument")
        if c.files and int(c.params["chat_id"]) == NEWCOMER
    ]
    assert len(uploads) == 2
    assert "Групповой чат объединения ещё не подключён" in full_text(uploads[0])
    fake_api.assert_clean()
