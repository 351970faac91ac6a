"""/task and /tasks end to end: the leader gives a task with a file to chosen members;
a member submits a text, the leader returns it with a comment, the member resubmits a
file, the leader accepts (the used buttons are gone); reminders the day before and when
overdue, each once; a forged button and a member's /task are refused politely."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from models.db import unit_of_work
from models.tasks import AssignmentStatus, TaskAssignment
from scheduler import jobs
from services.clock import set_clock
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

LEADER = 761_001
MEMBER = 761_002
OTHER = 761_003
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def _world(harness, fake_api) -> None:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    for telegram_id, name in ((LEADER, "Анна"), (MEMBER, "Иван"), (OTHER, "Мария")):
        fake_api.add_user(telegram_id, name)
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Иванова Анна Петровна")
        association = await make_association(session, leader=leader)
        for telegram_id, full_name in (
            (MEMBER, "Петров Иван Сергеевич"),
            (OTHER, "Сидорова Мария Ивановна"),
        ):
            await add_member(
                session, association, await make_teacher(session, telegram_id, full_name=full_name)
            )


async def _drain(harness) -> None:  # type: ignore[no-untyped-def]
    await harness.idle(0.1)
    await harness.app.bot_data["outbox"].drain()


async def _status(harness, telegram_id: int) -> AssignmentStatus:  # type: ignore[no-untyped-def]
    from models import User

    await harness.idle(0.1)
    async with harness.sessions() as session:
        return await session.scalar(
            select(TaskAssignment.status)
            .join(User, User.id == TaskAssignment.user_id)
            .where(User.telegram_id == telegram_id)
        )


async def _give_task(harness, fake_api) -> None:  # type: ignore[no-untyped-def]
    await say(fake_api, LEADER, "/task", "название задания")
    await say(fake_api, LEADER, "Ок", "от 3 до 200")  # too short: explained, asked again
    await say(fake_api, LEADER, "Открытый урок", "Опишите задание")
    await say(fake_api, LEADER, "Подготовьте конспект открытого урока", "Приложите")
    fake_api.user_sends_document(LEADER, "требования.pdf", b"%PDF-1.4 fake")
    audience = await fake_api.wait_for_message(LEADER, "кому выдать")
    people = await press(fake_api, LEADER, audience, "Выбранным", "Выберите исполнителей")
    fake_api.user_presses(LEADER, people, button(people, "Петров"))
    chat = fake_api.world.chat(LEADER)
    await fake_api.wait_for(lambda: "✅ Петров" in str(chat.messages[people["message_id"]]))
    people = chat.messages[people["message_id"]]
    await press(fake_api, LEADER, people, "Готово", "Укажите срок сдачи")
    await say(fake_api, LEADER, "когда-нибудь", "Не удалось прочитать дату")
    await say(fake_api, LEADER, "01.11.2026", "уже прошла")
    summary = await say(fake_api, LEADER, "10 декабря", "Проверьте задание")
    assert "Исполнители: Петров И. С." in summary["text"]
    assert "10 декабря 2026 г." in summary["text"] and "требования.pdf" in summary["text"]
    await press(fake_api, LEADER, summary, "Выдать", "Задание выдано 1 исполнителю")


async def test_task_from_giving_to_acceptance(harness, fake_api):
    await _world(harness, fake_api)
    await _give_task(harness, fake_api)
    await _drain(harness)
    notice = await fake_api.wait_for_message(MEMBER, "Вам выдано новое задание")
    assert "Открытый урок" in notice["text"] and "10 декабря 2026 г." in notice["text"]
    attached = await fake_api.wait_for_message(MEMBER, "Файл к заданию")
    assert attached["document"]["file_name"] == "требования.pdf"
    assert not [m for m in fake_api.sent_to(OTHER) if "задание" in m.get("text", "")]

    listing = await say(fake_api, MEMBER, "/tasks", "Мои задания")
    assert "к выполнению" in listing["text"]
    await press(fake_api, MEMBER, listing, "Сдать", "Отправьте работу")
    await say(fake_api, MEMBER, "Конспект урока: введение, практикум, рефлексия", "сдана")
    assert await _status(harness, MEMBER) is AssignmentStatus.SUBMITTED
    await _drain(harness)
    review = await fake_api.wait_for_message(LEADER, "Сдана работа")
    assert "Петров И. С." in review["text"] and "рефлексия" in review["text"]

    await press(fake_api, LEADER, review, "Вернуть", "что нужно исправить")
    await say(fake_api, LEADER, "Добавьте самоанализ урока", "Работа возвращена")
    settled = fake_api.world.chat(LEADER).messages[review["message_id"]]
    assert "Возвращено на доработку" in settled["text"] and not settled.get("reply_markup")
    assert await _status(harness, MEMBER) is AssignmentStatus.RETURNED
    await _drain(harness)
    returned = await fake_api.wait_for_message(MEMBER, "возвращена на доработку")
    assert "Добавьте самоанализ урока" in returned["text"]

    await press(fake_api, MEMBER, returned, "Сдать работу", "Отправьте работу")
    fake_api.user_sends_document(MEMBER, "урок.docx", b"docx", caption="С самоанализом")
    await fake_api.wait_for_message(MEMBER, "сдана")
    await _drain(harness)
    review = await fake_api.wait_for_message(LEADER, "Сдана работа")
    file = await fake_api.wait_for_message(LEADER, "Файл работы")
    assert file["document"]["file_name"] == "урок.docx"
    # the leader opens the submission again from /tasks (the notice may be far up the chat)
    given = await say(fake_api, LEADER, "/tasks", "Выданные мной задания")
    assert "📥 Петров И. С." in given["text"]
    again = await press(fake_api, LEADER, given, "📥 Петров", "Сдана работа")
    assert "С самоанализом" in again["text"]
    resent = await fake_api.wait_for_message(LEADER, None)
    assert resent["document"]["file_name"] == "урок.docx"
    await press(fake_api, LEADER, again, "Принять", "Принято")
    assert not fake_api.world.chat(LEADER).messages[again["message_id"]].get("reply_markup")
    # the notice's buttons, pressed after the decision, are refused politely
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(LEADER, review, button(review, "Принять"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    assert "уже принято" in fake_api.calls_of("answerCallbackQuery")[-1].params["text"]
    assert await _status(harness, MEMBER) is AssignmentStatus.ACCEPTED
    await _drain(harness)
    await fake_api.wait_for_message(MEMBER, "принята")
    given = await say(fake_api, LEADER, "/tasks", "Выданные мной задания")
    assert "сдано 1 из 1" in given["text"] and "✅ Петров И. С." in given["text"]


async def test_reminders_before_and_after_the_due_date(harness, fake_api):
    await _world(harness, fake_api)
    await _give_task(harness, fake_api)
    await _drain(harness)
    await fake_api.wait_for_message(MEMBER, "Вам выдано новое задание")
    for moment, expect in (
        (datetime(2026, 12, 9, 6, 0, tzinfo=UTC), "Завтра, 10 декабря 2026 г."),
        (datetime(2026, 12, 11, 6, 0, tzinfo=UTC), "прошёл"),
    ):
        set_clock(lambda moment=moment: moment)
        await jobs.runner_of(harness.app).renew()
        for _ in range(2):  # a second run (or a restart) sends nothing twice
            await jobs.run_now(harness.app, "task-reminders")
        await _drain(harness)
        reminder = await fake_api.wait_for_message(MEMBER, expect)
        assert button(reminder, "Сдать работу").startswith("task1:submit:")
    texts = [m.get("text", "") for m in fake_api.sent_to(MEMBER)]
    assert sum("Завтра" in t for t in texts) == 1 and sum("прошёл" in t for t in texts) == 1


async def _forged_press(harness, fake_api, message: dict, data: str) -> str:  # type: ignore[no-untyped-def]
    forged = {
        **message,
        "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]},
    }
    fake_api.world.chat(OTHER).messages[message["message_id"]] = forged
    await harness.idle()
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(OTHER, forged, data)
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    return fake_api.calls_of("answerCallbackQuery")[-1].params.get("text", "")


async def test_refusals(harness, fake_api):
    await _world(harness, fake_api)
    await say(fake_api, MEMBER, "/task", "Задания выдаёт руководитель")
    await say(fake_api, OTHER, "/tasks", "Заданий пока нет")
    await _give_task(harness, fake_api)
    await _drain(harness)
    notice = await fake_api.wait_for_message(MEMBER, "Вам выдано новое задание")
    assignment = button(notice, "Сдать работу").rsplit(":", 1)[1]
    listing = await say(fake_api, OTHER, "/help", None)
    # another member presses forged buttons of the member's task: each refused politely
    assert "не вам" in await _forged_press(harness, fake_api, listing, f"task1:submit:{assignment}")
    assert "доступно" in await _forged_press(harness, fake_api, listing, f"task1:ok:{assignment}")
    assert "больше не действует" in await _forged_press(
        harness, fake_api, listing, "task1:submit:abc"
    )
    assert await _status(harness, MEMBER) is AssignmentStatus.ASSIGNED


async def test_a_half_filled_task_survives_a_crash(harness, fake_api):
    await _world(harness, fake_api)
    await say(fake_api, LEADER, "/task", "название задания")
    await say(fake_api, LEADER, "Анализ ВПР", "Опишите задание")
    await say(fake_api, LEADER, "Проанализируйте результаты ВПР по классам", "Приложите")
    fake_api.user_sends_photo(LEADER)  # a photo is not a document: explained, asked again
    await fake_api.wait_for_message(LEADER, "как документ")
    await harness.crash()
    await harness.start()
    files = await fake_api.wait_for_message(LEADER, "Приложите")
    audience = await press(fake_api, LEADER, files, "Без файла", "кому выдать")
    roles = await press(fake_api, LEADER, audience, "с ролью", "Выберите роль")
    await press(fake_api, LEADER, roles, "Участники", "Укажите срок сдачи")
    summary = await say(fake_api, LEADER, "завтра", "Проверьте задание")
    assert "Анализ ВПР" in summary["text"] and "Файл: нет" in summary["text"]
    await press(fake_api, LEADER, summary, "Выдать", "Задание выдано 2 исполнителям")
    await _drain(harness)
    for member in (MEMBER, OTHER):
        notice = await fake_api.wait_for_message(member, "Вам выдано новое задание")
        assert "Анализ ВПР" in notice["text"] and "2 декабря 2026 г." in notice["text"]


async def test_the_leader_moves_the_due_date_then_cancels_the_task(harness, fake_api):
    await _world(harness, fake_api)
    await _give_task(harness, fake_api)
    await _drain(harness)
    await fake_api.wait_for_message(MEMBER, "Вам выдано новое задание")

    listing = await say(fake_api, LEADER, "/tasks", "Выданные мной задания")
    screen = await press(fake_api, LEADER, listing, "⚙️ Открытый урок", "ещё не сдал")
    await press(fake_api, LEADER, screen, "Перенести срок", "Новый срок")
    await say(fake_api, LEADER, "30.11.2026", "уже прошла")  # explained, asked again
    await say(fake_api, LEADER, "15 декабря", "Срок теперь 15 декабря 2026 г.; сообщено 1")
    await _drain(harness)
    moved = await fake_api.wait_for_message(MEMBER, "перенесён на 15 декабря 2026 г.")
    assert button(moved, "Сдать работу").startswith("task1:submit:")

    screen = await press(fake_api, LEADER, listing, "⚙️ Открытый урок", "ещё не сдал")
    question = await press(fake_api, LEADER, screen, "Отменить задание", "Отменить задание")
    await press(fake_api, LEADER, question, "Да, отменить", "отменено; сообщено 1")
    await _drain(harness)
    await fake_api.wait_for_message(MEMBER, "отменено руководителем")
    # The member's old button now says the task is cancelled; /tasks no longer lists it.
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(MEMBER, moved, button(moved, "Сдать работу"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    assert "отменено" in fake_api.calls_of("answerCallbackQuery")[-1].params.get("text", "")
    await say(fake_api, MEMBER, "/tasks", "Заданий пока нет")
    assert await _status(harness, MEMBER) is AssignmentStatus.ASSIGNED
