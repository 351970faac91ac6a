"""/ask end to end: a member asks with a file; the leader and the expert press «Take» at
once and only one wins (the other is told politely, and their copy is edited); the answer
reaches the asker, who rates it. Reminders and escalation with the clock moved, the
leader taking over, a follow-up, the FAQ; a mentor receiving a young specialist's
question; forged buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models import ActivityEvent, AuditEntry, MemberRole, NetworkRole, NetworkRoleGrant, User
from models.consultations import (
    Consultation,
    ConsultationFile,
    ConsultationSettings,
    ConsultationStatus,
)
from models.db import unit_of_work
from scheduler import jobs
from services.clock import set_clock
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

LEADER = 770_001
EXPERT = 770_002
MEMBER = 770_003
YOUNG = 770_004
MENTOR = 770_005
METHODIST = 770_006
NOW = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
QUESTION = "Как организовать проектную работу в 5 классе <b>без</b> перегрузки?"


async def _world(harness, fake_api) -> None:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    people = {
        LEADER: ("Анна", "Иванова Анна Петровна", 20),
        EXPERT: ("Мария", "Сидорова Мария Ивановна", 15),
        MEMBER: ("Иван", "Петров Иван Сергеевич", 8),
        YOUNG: ("Ольга", "Смирнова Ольга Андреевна", 1),
        MENTOR: ("Олег", "Кузнецов Олег Викторович", 25),
        METHODIST: ("Елена", "Васильева Елена Павловна", 30),
    }
    async with unit_of_work(harness.sessions) as session:
        users = {}
        for telegram_id, (first, full, years) in people.items():
            fake_api.add_user(telegram_id, first)
            users[telegram_id] = await make_teacher(
                session, telegram_id, full_name=full, experience_years=years
            )
        association = await make_association(session, leader=users[LEADER])
        await add_member(session, association, users[EXPERT], role=MemberRole.EXPERT)
        for telegram_id in (MEMBER, YOUNG, MENTOR):
            await add_member(session, association, users[telegram_id])
        session.add(NetworkRoleGrant(user_id=users[METHODIST].id, role=NetworkRole.METHODIST))


async def _ask(fake_api, user_id: int, text: str, *, attach: bool = False) -> dict:  # type: ignore[no-untyped-def]
    home = await say(fake_api, user_id, "/ask", "Консультации")
    whom = await press(fake_api, user_id, home, "Задать вопрос", "Кому адресован")
    await press(fake_api, user_id, whom, "ВМО учителей", "Напишите вопрос")
    files = await say(fake_api, user_id, text, "приложите")
    if attach:
        fake_api.user_sends_document(user_id, "план.docx", b"PK fake docx")
        files = await fake_api.wait_for_message(user_id, "Приложен 1 файл")
    return await press(fake_api, user_id, files, "Отправить вопрос", "Вопрос отправлен")


async def _answer(fake_api, user_id: int, message: dict, text: str) -> None:  # type: ignore[no-untyped-def]
    files = await press(fake_api, user_id, message, "Ответить", "Напишите ответ")
    files = await say(fake_api, user_id, text, "приложите")
    await press(fake_api, user_id, files, "Отправить ответ", "Ответ отправлен")


async def _consultation(harness, **where) -> Consultation:  # type: ignore[no-untyped-def]
    await harness.idle(0.1)
    async with harness.sessions() as session:
        query = select(Consultation).filter_by(**where).order_by(Consultation.id.desc())
        return (await session.scalars(query)).first()


async def test_two_take_at_once_one_wins_the_answer_is_rated(harness, fake_api):
    await _world(harness, fake_api)
    await _ask(fake_api, MEMBER, QUESTION, attach=True)

    copies = {
        person: await fake_api.wait_for_message(person, "Вопрос") for person in (LEADER, EXPERT)
    }
    assert "Петров И. С." in copies[LEADER]["text"] and "<b>без</b>" in copies[LEADER]["text"]
    assert "Приложен 1 файл" in copies[LEADER]["text"]
    await harness.idle(0.1)  # an association's question does not go to the network's methodists
    assert not any(
        QUESTION[:20] in str(m.get("text"))
        for m in fake_api.world.chat(METHODIST).messages.values()
    )

    presses = {
        person: fake_api.user_presses(person, copy, button(copy, "Взять"))
        for person, copy in copies.items()
    }
    await fake_api.wait_for(
        lambda: all(
            u["callback_query"]["id"] in fake_api.callback_answers for u in presses.values()
        )
    )
    said = {p: fake_api.callback_answers[u["callback_query"]["id"]] for p, u in presses.items()}
    winners = [p for p, a in said.items() if "Вопрос за вами" in (a.get("text") or "")]
    losers = [p for p, a in said.items() if "уже взят в работу" in (a.get("text") or "")]
    assert len(winners) == 1 and len(losers) == 1, said
    winner, loser = winners[0], losers[0]
    consultation = await _consultation(harness)
    async with harness.sessions() as session:
        owner = await session.get(User, consultation.assignee_id)
        assert owner.telegram_id == winner
        takes = await session.scalars(
            select(AuditEntry).where(AuditEntry.action == "consultation.take")
        )
        assert [entry.actor_telegram_id for entry in takes] == [winner]

    loser_copy = copies[loser]["message_id"]
    await fake_api.wait_for(
        lambda: "взят в работу" in fake_api.world.chat(loser).messages[loser_copy]["text"]
    )
    assert not fake_api.world.chat(loser).messages[loser_copy].get("reply_markup")
    await fake_api.wait_for_message(MEMBER, "взят в работу")

    card = fake_api.world.chat(winner).messages[copies[winner]["message_id"]]
    files = await press(fake_api, winner, card, "файл вопроса")
    assert files.get("document", {}).get("file_name") == "план.docx"
    await _answer(fake_api, winner, card, "Начните с мини-проектов на 2 урока.")

    answer = await fake_api.wait_for_message(MEMBER, "Ответ на ваш вопрос")
    assert "Начните с мини-проектов" in answer["text"]
    rated = await press(fake_api, MEMBER, answer, "5 ⭐", "Спасибо! Ваша оценка — 5")
    assert not rated.get("reply_markup")
    await fake_api.wait_for_message(winner, "оценён на 5 из 5")

    consultation = await _consultation(harness)
    assert consultation.status is ConsultationStatus.CLOSED and consultation.rating == 5
    async with harness.sessions() as session:
        kinds = sorted(
            (
                await session.scalars(
                    select(ActivityEvent.kind).where(ActivityEvent.kind.like("consultation%"))
                )
            ).all()
        )
        assert kinds == ["consultation_answered", "consultation_asked", "consultation_rated"]
        files = (await session.scalars(select(ConsultationFile))).all()
        assert len(files) == 1 and files[0].telegram_file_id


async def test_reminder_escalation_takeover_follow_up_and_faq(harness, fake_api):
    await _world(harness, fake_api)
    await _ask(fake_api, MEMBER, "Где взять критерии оценивания проектов?")
    copy = await fake_api.wait_for_message(EXPERT, "Вопрос")
    await press(fake_api, EXPERT, copy, "Взять", "Состояние: в работе")
    await fake_api.wait_for_message(MEMBER, "взят в работу")

    for hours, sweep in ((25, "consultation-reminders"), (73, "consultation-escalations")):
        moment = NOW + timedelta(hours=hours)
        set_clock(lambda moment=moment: moment)
        await jobs.runner_of(harness.app).renew()
        assert await jobs.run_now(harness.app, sweep)
        assert await jobs.run_now(harness.app, sweep)  # run twice: told once
    reminder = await fake_api.wait_for_message(EXPERT, "ждёт ответа уже 24 часа")
    assert button(reminder, "Ответить")
    escalation = await fake_api.wait_for_message(LEADER, "уже 72 часа без ответа")
    await harness.idle(0.2)
    assert (
        sum(
            "ждёт ответа" in str(m.get("text"))
            for m in fake_api.world.chat(EXPERT).messages.values()
        )
        == 1
    )

    taken = await press(
        fake_api, LEADER, escalation, "Взять", "Состояние: в работе, отвечает Иванова"
    )
    consultation = await _consultation(harness)
    async with harness.sessions() as session:
        assert (await session.get(User, consultation.assignee_id)).telegram_id == LEADER
    await _answer(fake_api, LEADER, taken, "Критерии — в положении о проектной деятельности.")

    answer = await fake_api.wait_for_message(MEMBER, "Ответ на ваш вопрос")
    await press(fake_api, MEMBER, answer, "Уточняющий вопрос", "Напишите уточняющий вопрос")
    files = await say(fake_api, MEMBER, "А для 5 класса есть отдельные?", "приложите")
    await press(fake_api, MEMBER, files, "Отправить вопрос", "Уточняющий вопрос отправлен")
    follow = await fake_api.wait_for_message(LEADER, "Уточняющий вопрос к вашему ответу")
    assert "А для 5 класса" in follow["text"]
    child = await _consultation(harness)
    assert child.parent_id == consultation.id and child.status is ConsultationStatus.ASSIGNED

    home = await say(fake_api, LEADER, "/ask", "Консультации")
    listing = await press(fake_api, LEADER, home, "С ответами", "Вопросы с ответами")
    card = await press(fake_api, LEADER, listing, "Где взять критерии", "Вопрос №")
    await press(fake_api, LEADER, card, "В частые вопросы", "Опубликовано")

    home = await say(fake_api, YOUNG, "/ask", "Консультации")
    faq = await press(fake_api, YOUNG, home, "Частые вопросы", "Частые вопросы какого")
    shown = await press(fake_api, YOUNG, faq, "ВМО учителей", "Где взять критерии")
    assert "Критерии — в положении" in shown["text"]
    assert "Петров" not in shown["text"] and "Иванова" not in shown["text"]  # anonymised


async def test_a_young_specialists_question_goes_to_the_mentor(harness, fake_api):
    await _world(harness, fake_api)
    home = await say(fake_api, LEADER, "/ask", "Консультации")
    mentors = await press(fake_api, LEADER, home, "Наставники", "Наставники молодых специалистов")
    assert "Смирнова О. А." in str(mentors["reply_markup"]) and "Петров" not in str(
        mentors["reply_markup"]
    )
    choose = await press(fake_api, LEADER, mentors, "Смирнова", "Выберите наставника")
    await press(fake_api, LEADER, choose, "Кузнецов", "Наставник назначен")
    await fake_api.wait_for_message(YOUNG, "Ваш наставник")
    await fake_api.wait_for_message(MENTOR, "назначены наставником")

    await _ask(fake_api, YOUNG, "Как вести электронный журнал?")
    asked = await fake_api.wait_for_message(MENTOR, "в рамках наставничества")
    assert "Взять" not in str(asked["reply_markup"]) and button(asked, "Ответить")
    consultation = await _consultation(harness)
    async with harness.sessions() as session:
        assert (await session.get(User, consultation.assignee_id)).telegram_id == MENTOR
    await harness.idle(0.2)
    for person in (LEADER, EXPERT):
        assert not any(
            "электронный журнал" in str(m.get("text"))
            for m in fake_api.world.chat(person).messages.values()
        )


def _forge(fake_api, user_id: int, message: dict, data: str) -> dict:  # type: ignore[no-untyped-def]
    """The message as a hostile client would show it: with a button of `data`."""
    forged = {
        **message,
        "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]},
    }
    fake_api.world.chat(user_id).messages[message["message_id"]] = forged
    return forged


async def _refusal(fake_api, user_id: int, message: dict, data: str) -> str:  # type: ignore[no-untyped-def]
    update = fake_api.user_presses(user_id, _forge(fake_api, user_id, message, data), data)
    query_id = update["callback_query"]["id"]
    await fake_api.wait_for(lambda: query_id in fake_api.callback_answers)
    return fake_api.callback_answers[query_id].get("text") or ""


async def test_forged_and_foreign_buttons_are_refused(harness, fake_api):
    await _world(harness, fake_api)
    await _ask(fake_api, MEMBER, "Вопрос для проверки кнопок")
    consultation = await _consultation(harness)
    screen = await say(fake_api, EXPERT, "/ask", "Консультации")
    for data, expect in (
        (f"ask1:rate:{consultation.id}:5", "Не найдено"),  # not the expert's question
        (f"ask1:rate:{consultation.id}:x", "устарела"),
        ("ask1:take:999999", "Не найдено"),
        ("ask1:nosuch", "устарела"),
        (f"ask1:faqpub:{consultation.id}", "руководител"),  # only a leader publishes
    ):
        assert expect in await _refusal(fake_api, EXPERT, screen, data), data
    mine = await say(fake_api, MEMBER, "/ask", "Консультации")
    assert "только" in await _refusal(fake_api, MEMBER, mine, f"ask1:take:{consultation.id}")
    assert "ещё нет ответа" in await _refusal(
        fake_api, MEMBER, mine, f"ask1:rate:{consultation.id}:5"
    )
    consultation = await _consultation(harness)
    assert consultation.status is ConsultationStatus.NEW and consultation.rating is None


async def test_a_half_written_answer_survives_a_restart(harness, fake_api):
    await _world(harness, fake_api)
    await _ask(fake_api, MEMBER, "Вопрос перед перезапуском")
    copy = await fake_api.wait_for_message(EXPERT, "Вопрос")
    await press(fake_api, EXPERT, copy, "Ответить", "Напишите ответ")
    files = await say(fake_api, EXPERT, "Ответ, написанный до перезапуска.", "приложите")
    await harness.restart()

    fake_api.user_sends_photo(EXPERT)
    files = await fake_api.wait_for_message(EXPERT, "Приложен 1 файл")
    await press(fake_api, EXPERT, files, "Отправить ответ", "Ответ отправлен")
    answer = await fake_api.wait_for_message(MEMBER, "Ответ на ваш вопрос")
    assert "написанный до перезапуска" in answer["text"]
    photo = await press(fake_api, MEMBER, answer, "файл")
    assert photo.get("photo")


async def test_an_english_speaker_reads_ask_in_english(harness, fake_api):
    await _world(harness, fake_api)
    async with unit_of_work(harness.sessions) as session:
        member = (await session.scalars(select(User).where(User.telegram_id == MEMBER))).one()
        member.language = "en"
    home = await say(fake_api, MEMBER, "/ask", "Consultations")
    whom = await press(fake_api, MEMBER, home, "Ask a question", "Whom do you ask")
    assert button(whom, "network's methodists")
    await press(fake_api, MEMBER, whom, "network's methodists", "Write your question")
    files = await say(fake_api, MEMBER, "x", "3 to 3000 characters")
    assert "Write your question" in (await fake_api.wait_for_message(MEMBER))["text"]
    files = await say(fake_api, MEMBER, "How do I apply for the first category?", "Attach")
    await press(fake_api, MEMBER, files, "Send the question", "Your question is sent")
    copy = await fake_api.wait_for_message(METHODIST, "Вопрос")  # in the methodist's language
    assert "сетевым методистам" in copy["text"]


async def test_the_leader_sets_the_timings_and_a_wrong_answer_is_explained(harness, fake_api):
    await _world(harness, fake_api)
    home = await say(fake_api, LEADER, "/ask", "Консультации")
    asked = await press(fake_api, LEADER, home, "Сроки", "через 24 ч")
    assert "через 72 ч" in asked["text"]
    await say(fake_api, LEADER, "72 24", "сначала напоминание")
    await say(fake_api, LEADER, "12 48", "Сохранено: напоминание через 12 ч")
    await harness.idle(0.1)  # committed after the reply
    async with harness.sessions() as session:
        saved = (await session.scalars(select(ConsultationSettings))).one()
        assert (saved.remind_after_hours, saved.escalate_after_hours) == (12, 48)
        entry = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "consultation.timings")
            )
        ).one()
        assert entry.actor_telegram_id == LEADER
    member_home = await say(fake_api, MEMBER, "/ask", "Консультации")
    assert "Сроки" not in str(member_home["reply_markup"])  # leaders only
