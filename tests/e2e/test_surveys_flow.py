"""/survey end to end: the leader builds a needs diagnostics from the template, edits it
and opens it; a member is invited, answers every type of question, stops, the bot
restarts, the member resumes and submits after the summary; the leader reads the results
in chat, as PDF and as CSV; a forged press is refused; the reminder and the meeting
feedback come from their sweeps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from models import User
from models.db import unit_of_work
from models.meetings import Meeting, MeetingAttendance
from models.surveys import Survey, SurveyInvitation, SurveyResponse
from scheduler import jobs
from services.clock import set_clock
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

LEADER = 760_001
MEMBER = 760_002
OTHER = 760_003
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def _world(harness, fake_api) -> int:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    for telegram_id, name in ((LEADER, "Анна"), (MEMBER, "Иван"), (OTHER, "Мария")):
        fake_api.add_user(telegram_id, name)
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Иванова Анна Петровна")
        association = await make_association(session, leader=leader)
        for telegram_id, name in ((MEMBER, "Петров Иван Сергеевич"), (OTHER, "Сидорова Мария")):
            await add_member(
                session, association, await make_teacher(session, telegram_id, full_name=name)
            )
        return association.id


async def _toggle(fake_api, user: int, message: dict, label: str) -> dict:  # type: ignore[no-untyped-def]
    """Tick an option; the question is edited in place to show it ticked."""
    fake_api.user_presses(user, message, button(message, label))
    chat = fake_api.world.chat(user)
    await fake_api.wait_for(
        lambda: f"✅ {label}" in str(chat.messages[message["message_id"]].get("reply_markup"))
    )
    return chat.messages[message["message_id"]]


async def _build(fake_api) -> dict:  # type: ignore[no-untyped-def]
    """The leader's dialog; returns the draft's screen."""
    menu = await say(fake_api, LEADER, "/survey", "Анкеты")
    start = await press(fake_api, LEADER, menu, "Новая анкета", "Выберите основу")
    title = await press(fake_api, LEADER, start, "Диагностика", "Напишите название анкеты")
    audience = await press(fake_api, LEADER, title, "Оставить название", "Кому адресована")
    kind = await press(fake_api, LEADER, audience, "математики", "анонимная или именная")
    opens = await press(fake_api, LEADER, kind, "Анонимная", "Когда открыть")
    await press(fake_api, LEADER, opens, "Когда я её открою", "До какого срока")
    await say(fake_api, LEADER, "вчера", "⚠️")  # in the past: explained, asked again
    await fake_api.wait_for_message(LEADER, "До какого срока")
    await say(fake_api, LEADER, "20.11", "Черновик анкеты готов")
    return await fake_api.wait_for_message(LEADER, "Состояние: черновик")


async def test_a_needs_survey_from_building_to_results(harness, fake_api) -> None:  # type: ignore[no-untyped-def]
    await _world(harness, fake_api)
    screen = await _build(fake_api)
    assert "7. Что ещё помогло бы вам в работе?" in screen["text"]

    # An own question, added and then removed again; one made optional.
    kinds = await press(fake_api, LEADER, screen, "Добавить вопрос", "вид ответа")
    await press(fake_api, LEADER, kinds, "один ответ", "текст вопроса")
    await say(fake_api, LEADER, "Есть ли у вас наставник?", "варианты ответа")
    await say(fake_api, LEADER, "Только один", "от 2 до 10")  # refused: one option
    required = await say(fake_api, LEADER, "Да\nНет", "обязателен")
    screen = await press(
        fake_api, LEADER, required, "Необязательный", "8. Есть ли у вас наставник?"
    )
    question = await press(fake_api, LEADER, screen, "✏️ 8.", "Ответ: один ответ")
    screen = await press(fake_api, LEADER, question, "Удалить", "Состояние")
    assert "8." not in screen["text"]
    screen = await press(fake_api, LEADER, screen, "Открыть анкету", "идёт приём ответов")
    await harness.app.bot_data["outbox"].drain()
    invitation = await fake_api.wait_for_message(MEMBER, "Приглашаем вас заполнить анкету")
    assert "анонимная" in invitation["text"]

    # The member answers the first questions, then the bot restarts.
    first = await press(fake_api, MEMBER, invitation, "Ответить", "Вопрос 1 из 7")
    first = await _toggle(fake_api, MEMBER, first, "Подготовка обучающихся к ОГЭ и ЕГЭ")
    first = await _toggle(fake_api, MEMBER, first, "Работа с одарёнными детьми")
    second = await press(fake_api, MEMBER, first, "Готово", "Вопрос 2 из 7")
    second = await _toggle(fake_api, MEMBER, second, "Инклюзивное образование")
    await harness.restart()
    third = await press(fake_api, MEMBER, second, "Готово", "Вопрос 3 из 7")
    await harness.restart()
    menu = await say(fake_api, MEMBER, "/survey", "Ждут вашего ответа")
    third = await press(fake_api, MEMBER, menu, "▶️", "Вопрос 3 из 7")  # resumed
    third = await _toggle(fake_api, MEMBER, third, "Наставничество")
    fourth = await press(fake_api, MEMBER, third, "Готово", "Вопрос 4 из 7")
    fifth = await press(fake_api, MEMBER, fourth, "Дистанционный", "Вопрос 5 из 7")
    sixth = await press(fake_api, MEMBER, fifth, "4", "Вопрос 6 из 7")
    seventh = await press(fake_api, MEMBER, sixth, "Пока нет", "Вопрос 7 из 7 (необязательный)")
    summary = await say(fake_api, MEMBER, "Разборы заданий <b>PISA</b>", "Проверьте ответы")
    assert "Подготовка обучающихся к ОГЭ и ЕГЭ, Работа с одарёнными детьми" in summary["text"]
    assert "Разборы заданий <b>PISA</b>" in summary["text"]  # shown as typed, not as markup
    del seventh
    await press(fake_api, MEMBER, summary, "Отправить", "Спасибо")
    await harness.idle()
    async with harness.sessions() as session:
        stored = (await session.scalars(select(SurveyResponse))).all()
        [mark] = (
            await session.scalars(select(SurveyInvitation).where(SurveyInvitation.answered))
        ).all()
    assert stored == [] and set(mark.draft) == {"sealed"}  # alone: waits to be stored among others

    # One reminder, a day before the close, to those who have not answered.
    set_clock(lambda: datetime(2026, 11, 20, 0, 0, tzinfo=UTC))
    assert await jobs.run_now(harness.app, "surveys")
    assert await jobs.run_now(harness.app, "surveys")
    await harness.app.bot_data["outbox"].drain()
    await fake_api.wait_for_message(OTHER, "Напоминание")
    reminders = [
        m for m in fake_api.world.chat(OTHER).messages.values() if "Напоминание" in m["text"]
    ]
    assert len(reminders) == 1
    assert not any(
        "Напоминание" in m["text"] for m in fake_api.world.chat(MEMBER).messages.values()
    )

    # The leader closes the survey and reads the results.
    menu = await say(fake_api, LEADER, "/survey", "Ваши анкеты")
    screen = await press(fake_api, LEADER, menu, "📊", "Ответили: 1 из 3")
    screen = await press(fake_api, LEADER, screen, "Завершить приём", "Состояние: завершена")
    await harness.idle()
    async with harness.sessions() as session:
        [response] = (await session.scalars(select(SurveyResponse))).all()
    assert response.user_id is None and response.submitted_on == date(2026, 11, 20)
    summary = await press(fake_api, LEADER, screen, "Итоги", "Итоги: Диагностика")
    assert "Дистанционный — 1 (100 %)" in summary["text"], summary["text"]
    assert "Средний балл: 4,0" in summary["text"]
    assert "— Разборы заданий <b>PISA</b>" in summary["text"]
    before = len(fake_api.calls_of("sendDocument"))
    fake_api.user_presses(LEADER, screen, button(screen, "PDF"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("sendDocument")) > before)
    pdf = fake_api.calls_of("sendDocument")[-1].files["document"]
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Сведения о профессиональных потребностях педагогов" in text
    assert "Подготовка обучающихся к ОГЭ и ЕГЭ" in text
    fake_api.user_presses(LEADER, screen, button(screen, "CSV"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("sendDocument")) > before + 1)
    csv_file = fake_api.calls_of("sendDocument")[-1].files["document"]
    assert csv_file.startswith("\ufeff".encode()) and "Дистанционный" in csv_file.decode()

    # A member pressing a forged «Results» is refused politely.
    survey_id = int(button(screen, "PDF").split(":")[-1])
    await harness.idle()
    alerts = len(fake_api.calls_of("answerCallbackQuery"))
    forged = {
        **invitation,
        "reply_markup": {
            "inline_keyboard": [[{"text": "x", "callback_data": f"srv1:res:{survey_id}"}]]
        },
    }
    fake_api.world.chat(MEMBER).messages[invitation["message_id"]] = forged
    fake_api.user_presses(MEMBER, forged, f"srv1:res:{survey_id}")
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > alerts)
    answer = fake_api.calls_of("answerCallbackQuery")[-1].params
    assert answer.get("show_alert") and "руководител" in answer["text"], fake_api.dump(4)


async def test_the_participants_of_a_held_meeting_are_asked_for_feedback(harness, fake_api) -> None:  # type: ignore[no-untyped-def]
    association_id = await _world(harness, fake_api)
    async with unit_of_work(harness.sessions) as session:
        meeting = Meeting(
            association_id=association_id,
            number=1,
            academic_year=2026,
            topic="Формирующее оценивание",
            form="webinar",
            starts_at=NOW - timedelta(hours=2),
            duration_minutes=60,
            link="https://telemost.yandex.ru/j/1",
            reminders_done=[],
        )
        session.add(meeting)
        await session.flush()
        person = await session.scalar(select(User).where(User.telegram_id == MEMBER))
        session.add(MeetingAttendance(meeting_id=meeting.id, user_id=person.id))
    assert await jobs.run_now(harness.app, "survey-meeting-feedback")
    await harness.app.bot_data["outbox"].drain()
    invitation = await fake_api.wait_for_message(
        MEMBER, "Отзыв о заседании «Формирующее оценивание»"
    )
    first = await press(fake_api, MEMBER, invitation, "Ответить", "Оцените содержание заседания")
    second = await press(fake_api, MEMBER, first, "5", "Оцените форму")
    third = await press(fake_api, MEMBER, second, "4", "Насколько заседание полезно")
    comment = await press(fake_api, MEMBER, third, "5", "Ваш комментарий")
    summary = await press(fake_api, MEMBER, comment, "Пропустить", "Проверьте ответы")
    assert "— пропущен" in summary["text"]
    await press(fake_api, MEMBER, summary, "Отправить", "Спасибо")
    await harness.idle()
    set_clock(lambda: NOW + timedelta(days=3, minutes=1))  # closed: the sealed one is stored
    assert await jobs.run_now(harness.app, "surveys")
    await harness.app.bot_data["outbox"].drain()
    closed = await fake_api.wait_for_message(LEADER, "завершён: 1 ответ.")
    assert button(closed, "Итоги").startswith("srv1:open:")
    async with harness.sessions() as session:
        survey = await session.scalar(select(Survey).where(Survey.meeting_id == meeting.id))
        [response] = (await session.scalars(select(SurveyResponse))).all()
    assert survey is not None and survey.anonymous
    assert list(response.answers.values()) == [5, 4, 5, None]
    assert not fake_api.world.chat(OTHER).messages  # did not attend: not asked


async def test_a_member_with_no_surveys_is_told_so_without_buttons(harness, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.add_user(OTHER, "Вера")
    async with unit_of_work(harness.sessions) as session:
        await make_teacher(session, OTHER)
    answer = await say(fake_api, OTHER, "/survey", "анкет для вас нет")
    assert not answer.get("reply_markup")
