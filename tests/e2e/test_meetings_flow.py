"""/meeting end to end: the dialog with every date form and refusal, the group card with
RSVP from many members, batched card edits, invitations with .ics, reminders across a
restart without duplicates, attendance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models.db import unit_of_work
from models.meetings import Meeting, MeetingAttendance
from scheduler.meetings import sweep_reminders
from scheduler.reminders import edit_dirty_cards
from services.clock import set_clock
from tests.delivery import sweep_committed
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, press_edit, say

LEADER = 710_001
GROUP = -100_777_001
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
START = datetime(2026, 12, 12, 5, 0, tzinfo=UTC)  # 15:00 in Vladivostok


def at(moment: datetime) -> None:
    set_clock(lambda: moment)


async def _world(harness, fake_api, members: int):  # type: ignore[no-untyped-def]
    at(NOW)
    fake_api.add_user(LEADER, "Анна")
    fake_api.add_chat(GROUP, "ВМО математиков", members={LEADER: "administrator"})
    ids = []
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Иванова Анна Петровна")
        association = await make_association(
            session, leader=leader, timezone="Asia/Vladivostok", chat_id=GROUP
        )
        for index in range(members):
            telegram_id = 720_000 + index
            fake_api.add_user(telegram_id, f"Учитель{index}")
            fake_api.world.chat(GROUP).members[telegram_id] = "member"
            await add_member(session, association, await make_teacher(session, telegram_id))
            ids.append(telegram_id)
    return ids


async def _create_meeting(harness, fake_api) -> dict:  # type: ignore[no-untyped-def]
    screen = await say(fake_api, LEADER, "/meeting", "Заседания")
    await press(fake_api, LEADER, screen, "Новое заседание", "Укажите тему")
    forms = await say(fake_api, LEADER, "Функциональная грамотность", "Форма проведения")
    await press(fake_api, LEADER, forms, "вебинар", "Часовой пояс: Владивосток (МСК+7)")
    await say(fake_api, LEADER, "когда-нибудь", "Не удалось разобрать")
    await say(fake_api, LEADER, "26.11.2026 10:00", "уже прошло")
    await say(fake_api, LEADER, "12.09.2027 10:00", "вне срока работы")
    await say(fake_api, LEADER, "12 декабря 15:00", "12 декабря 2026 г., 15:00")
    durations = await fake_api.wait_for_message(LEADER, "Сколько продлится")
    await press(fake_api, LEADER, durations, "60", "Ссылка на онлайн-платформу")
    await say(fake_api, LEADER, "meet.example.ru/vmo", "не похоже на ссылку")
    await say(fake_api, LEADER, "https://meet.example.ru/vmo", "Пришлите вопрос повестки")
    await say(fake_api, LEADER, "—", "от 3 до 300")
    agenda = await say(fake_api, LEADER, "О диагностике — Смирнова Е. В.", "1. О диагностике")
    confirm = await press(fake_api, LEADER, agenda, "Повестка готова", "Проверьте данные заседания")
    assert "Продолжительность: 60 минут" in confirm["text"]
    assert "1 вопрос повестки" in confirm["text"]
    await press(fake_api, LEADER, confirm, "Назначить", "Заседание № 1 назначено")
    await harness.app.bot_data["outbox"].drain()
    card = await fake_api.wait_for_message(GROUP, "Заседание № 1")
    return card


async def test_meeting_from_dialog_to_reminders(harness, fake_api):
    members = await _world(harness, fake_api, 12)
    card = await _create_meeting(harness, fake_api)
    assert "12 декабря 2026 г., 15:00" in card["text"] and "О диагностике" in card["text"]
    invitation = await fake_api.wait_for_message(members[0], "Приглашаем")
    assert invitation["document"]["file_name"].endswith(".ics")
    await fake_api.wait_for(lambda: len(fake_api.calls_of("sendDocument")) == 13)

    # RSVP from many members: every press answered, the card edited once for all of them.
    before = len(fake_api.calls_of("answerCallbackQuery"))
    choices = ["Буду"] * 7 + ["Возможно"] * 3 + ["Не смогу"] * 2
    for telegram_id, label in zip(members, choices, strict=True):
        fake_api.user_presses(telegram_id, card, button(card, label))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) >= before + 12)
    await harness.idle(0.2)
    answers = fake_api.calls_of("answerCallbackQuery")[before:]
    assert len(answers) == 12 and all("Отмечено" in (c.params.get("text") or "") for c in answers)
    for expected in (1, 0):
        assert await sweep_committed(harness.sessions, edit_dirty_cards) == expected
    await harness.app.bot_data["outbox"].drain()
    edited = fake_api.world.chat(GROUP).messages[card["message_id"]]
    assert "Будут: 7" in edited["text"] and "Возможно: 3" in edited["text"]
    assert "Не смогут: 2" in edited["text"]

    # A stranger's press gets a polite alert; nothing changes.
    fake_api.add_user(730_000, "Чужой")
    fake_api.user_presses(730_000, edited, button(edited, "Буду"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) >= before + 13)
    assert fake_api.calls_of("answerCallbackQuery")[-1].params.get("show_alert")

    # Restart before the reminder time; the sweep after it sends each reminder once.
    await harness.restart()
    at(START - timedelta(hours=24) + timedelta(minutes=2))
    for _ in range(2):
        await sweep_committed(harness.sessions, sweep_reminders)
    await harness.app.bot_data["outbox"].drain()
    await fake_api.wait_for(lambda: _count(fake_api, members, "Через 24 часа") == 10)
    await harness.idle(0.3)
    assert _count(fake_api, members, "Через 24 часа") == 10  # the two who declined: spared
    assert all(_count(fake_api, [m], "Через 24 часа") <= 1 for m in members)
    await harness.restart()
    assert await sweep_committed(harness.sessions, sweep_reminders) == 0

    # "Starting now" with the "I am here" button, then the leader corrects the list.
    at(START + timedelta(minutes=1))
    await sweep_committed(harness.sessions, sweep_reminders)
    await harness.app.bot_data["outbox"].drain()
    starting = await fake_api.wait_for_message(members[0], "начинается")
    fake_api.user_presses(members[0], starting, button(starting, "Я здесь"))
    await fake_api.wait_for(
        lambda: (
            "отмечено" in (fake_api.calls_of("answerCallbackQuery")[-1].params.get("text") or "")
        )
    )
    await harness.idle(0.2)
    async with harness.sessions() as session:
        marks = (await session.scalars(select(MeetingAttendance))).all()
    assert len(marks) == 1
    await harness.app.bot_data["outbox"].drain()
    await harness.idle()
    screen = await say(fake_api, LEADER, "/meeting", "Заседания")
    details = await press(fake_api, LEADER, screen, "№ 1", "Функциональная")
    # The list starts from those who said «Буду» (seven, the one who checked in among
    # them); the leader corrects it name by name.
    attendance = await press(fake_api, LEADER, details, "Явка", "присутствуют 7 человек")
    going = next(label for label in _labels(attendance) if label.startswith("✅"))
    await press_edit(fake_api, LEADER, attendance, going)
    messages = fake_api.world.chat(LEADER).messages
    await fake_api.wait_for(
        lambda: "присутствуют 6 человек" in messages[attendance["message_id"]]["text"]
    )
    assert fake_api.calls_of("answerCallbackQuery")[-1].params["text"] == "Отмечено: отсутствует."
    fake_api.assert_clean()


def _labels(message: dict) -> list[str]:  # type: ignore[type-arg]
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


def _count(fake_api, chats: list[int], text: str) -> int:  # type: ignore[no-untyped-def]
    return sum(text in (m.get("text") or "") for c in chats for m in fake_api.sent_to(c))


async def test_cancel_notifies_everyone_and_card_says_so(harness, fake_api):
    members = await _world(harness, fake_api, 3)
    card = await _create_meeting(harness, fake_api)
    # The leader is a member too: let their invitation arrive before they open the screen.
    await harness.app.bot_data["outbox"].drain()
    await harness.idle()
    fake_api.mark(LEADER)
    screen = await say(fake_api, LEADER, "/meeting", "Заседания")
    details = await press(fake_api, LEADER, screen, "№ 1", "Функциональная")
    confirm = await press(fake_api, LEADER, details, "Отменить заседание", "Отменить это")
    fake_api.user_presses(LEADER, confirm, button(confirm, "Да, отменить"))
    await fake_api.wait_for_message(LEADER, "Предстоящих заседаний нет")
    await harness.app.bot_data["outbox"].drain()
    for telegram_id in members:
        await fake_api.wait_for_message(telegram_id, "отменено")
    # Past the per-card edit spacing, whatever the background sweep edited just before.
    set_clock(lambda: datetime.now(UTC) + timedelta(seconds=10))
    await sweep_committed(harness.sessions, edit_dirty_cards)
    await harness.app.bot_data["outbox"].drain()
    # (or the bot's own sweep got there first and its edit is on the way)
    messages = fake_api.world.chat(GROUP).messages
    await fake_api.wait_for(lambda: messages[card["message_id"]]["text"].startswith("❌ Отменено"))
    edited = messages[card["message_id"]]
    assert not (edited.get("reply_markup") or {}).get("inline_keyboard")
    async with harness.sessions() as session:
        meeting = await session.scalar(select(Meeting))
    assert meeting is not None and meeting.cancelled_at is not None


async def test_old_or_forged_meeting_buttons_get_a_polite_alert(harness, fake_api):
    await _world(harness, fake_api, 1)
    screen = await say(fake_api, LEADER, "/meeting", "Заседания")
    assert "⏰ Напоминания: за 24 ч и за 1 ч" in _labels(screen)  # ru-texts item 93
    # The card's buttons say it in the network's common words (core.po), the others name
    # the command to open again.
    said = {
        "meet:show:abc": "Эта кнопка устарела. Откройте /meeting",
        "meet:nosuch:1": "Эта кнопка устарела. Откройте /meeting",
        "rsvp:g": "Эта кнопка больше не действует.",
        "prot:exi:1:x": "Эта кнопка устарела. Откройте /protocol",
    }
    datas = tuple(said)
    forged = {
        **screen,
        "reply_markup": {"inline_keyboard": [[{"text": d, "callback_data": d}] for d in datas]},
    }
    fake_api.world.chat(LEADER).messages[screen["message_id"]] = forged
    for data in datas:
        before = len(fake_api.calls_of("answerCallbackQuery"))
        fake_api.user_presses(LEADER, forged, data)
        await fake_api.wait_for(
            lambda before=before: len(fake_api.calls_of("answerCallbackQuery")) > before
        )
        answer = fake_api.calls_of("answerCallbackQuery")[-1].params
        assert answer.get("show_alert") and said[data] in answer["text"], data
    fake_api.assert_clean()
