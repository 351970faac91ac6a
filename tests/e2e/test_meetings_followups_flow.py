"""Issue 4 follow-ups end to end: the protocol request after a meeting opens the /protocol
dialog, approval marks the meeting, the responsible member is reminded before the deadline;
a meeting from a plan item, the norm line on /meeting and the March warning; materials."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models import MemberRole
from models.db import unit_of_work
from models.meetings import Meeting, MeetingStatus
from models.plans import Plan, PlanEntry, PlanItemStatus, PlanStatus
from scheduler.meetings import sweep_after_meetings, sweep_norms, sweep_reminders
from scheduler.protocols import sweep_followups
from services import meetings
from services.access import Actor
from services.clock import set_clock
from tests.delivery import RENDERER, sweep_committed
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

LEADER = 760_001
SECRETARY = 760_002
PETROVA = 760_003
GROUP = -100_760_001
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
START = datetime(2026, 12, 12, 12, 0, tzinfo=UTC)  # 15:00 in Moscow


def at(moment: datetime) -> None:
    set_clock(lambda: moment)


async def _world(harness, fake_api, *, secretary: bool = True) -> int:  # type: ignore[no-untyped-def]
    at(NOW)
    fake_api.add_user(LEADER, "Анна")
    fake_api.add_user(SECRETARY, "Нина")
    fake_api.add_user(PETROVA, "Ольга")
    fake_api.add_chat(GROUP, "ВМО математиков", members={LEADER: "administrator"})
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Иванова Анна Петровна")
        association = await make_association(session, leader=leader, chat_id=GROUP)
        if secretary:
            await add_member(
                session,
                association,
                await make_teacher(session, SECRETARY, full_name="Секретарёва Нина Олеговна"),
                role=MemberRole.SECRETARY,
            )
        await add_member(
            session,
            association,
            await make_teacher(session, PETROVA, full_name="Петрова Ольга Ивановна"),
        )
    return association.id


async def _schedule(harness, association_id: int) -> int:  # type: ignore[no-untyped-def]
    async with unit_of_work(harness.sessions) as session:
        meeting = await meetings.schedule_meeting(
            session,
            Actor(LEADER),
            association_id=association_id,
            topic="Функциональная грамотность",
            form="webinar",
            starts_at=START,
            duration_minutes=60,
            link="https://meet.example.ru/vmo",
            agenda=[("О диагностике", "Смирнова Е. В.")],
        )
        await RENDERER.deliver(session)
    return meeting.id


async def _sweep(harness, sweep) -> int:  # type: ignore[no-untyped-def]
    added = await sweep_committed(harness.sessions, sweep)
    await harness.app.bot_data["outbox"].drain()
    return added


async def test_protocol_request_dialog_approval_and_followup(harness, fake_api):
    association_id = await _world(harness, fake_api)
    meeting_id = await _schedule(harness, association_id)
    await harness.app.bot_data["outbox"].drain()

    at(START + timedelta(minutes=61))
    assert await _sweep(harness, sweep_after_meetings) == 1
    assert await _sweep(harness, sweep_after_meetings) == 0
    request = await fake_api.wait_for_message(SECRETARY, "заполните протокол")
    assert "Функциональная грамотность" in request["text"]
    header = await press(fake_api, SECRETARY, request, "Заполнить протокол", "Протокол № 1")
    # Nobody checked in, but the chair and the secretary were there; Petrova was not.
    assert "(Иванова А. П., Секретарёва Н. О.)" in header["text"]
    assert "(Петрова О. И.)" in header["text"]
    heard = await fake_api.wait_for_message(SECRETARY, "СЛУШАЛИ")
    # No double full stop after the initials (ru-texts item 84).
    assert "Смирнова Е. В.\nО чём было выступление" in heard["text"]
    assert "В.." not in heard["text"]
    spoke = await say(fake_api, SECRETARY, "о результатах входной диагностики", "ВЫСТУПИЛИ")
    await press(fake_api, SECRETARY, spoke, "Пропустить", "ПОСТАНОВИЛИ")
    ready = await say(
        fake_api,
        SECRETARY,
        "Провести открытый урок; ответственный: Петрова О. И.; срок: 20.12.2026",
        "Черновик протокола № 1 сохранён",
    )
    # Nobody checked in or said «Буду»: approving asks first.
    asked = await press(fake_api, SECRETARY, ready, "Утвердить", "в таком виде")
    assert "никто не отмечен" in asked["text"]
    await press(fake_api, SECRETARY, asked, "Всё равно утвердить", "утверждён")
    await harness.idle(0.2)  # the update's transaction commits after the reply
    async with harness.sessions() as session:
        meeting = await session.get_one(Meeting, meeting_id)
    assert meeting.status is MeetingStatus.PROTOCOL_APPROVED

    at(datetime(2026, 12, 16, 9, 0, tzinfo=UTC))
    assert await _sweep(harness, sweep_followups) == 0
    at(datetime(2026, 12, 17, 9, 0, tzinfo=UTC))
    assert await _sweep(harness, sweep_followups) == 1
    reminder = await fake_api.wait_for_message(PETROVA, "До 20 декабря 2026 г.")
    assert "Провести открытый урок" in reminder["text"] and "протокол № 1" in reminder["text"]
    await harness.restart()
    assert await _sweep(harness, sweep_followups) == 0
    at(datetime(2026, 12, 19, 9, 0, tzinfo=UTC))
    assert await _sweep(harness, sweep_followups) == 1
    await fake_api.wait_for_message(PETROVA, "До 20 декабря 2026 г.")
    assert sum("До 20 декабря" in (m.get("text") or "") for m in fake_api.sent_to(PETROVA)) == 2


async def test_meeting_from_plan_item_norm_line_and_march_warning(harness, fake_api):
    association_id = await _world(harness, fake_api, secretary=False)
    async with unit_of_work(harness.sessions) as session:
        plan = Plan(
            association_id=association_id,
            academic_year=2026,
            version=1,
            status=PlanStatus.APPROVED,
            route=[],
        )
        session.add(plan)
        await session.flush()
        for month, topic in ((10, "Входная диагностика"), (12, "Открытые уроки математики")):
            session.add(
                PlanEntry(plan_id=plan.id, year=2026, month=month, topic=topic, form="seminar")
            )

    screen = await say(fake_api, LEADER, "/meeting", "Заседания")
    assert "Проведено 0 из 4 заседаний" in screen["text"]
    assert (
        "План: выполнено 0 из 2 пунктов" in screen["text"] and "Просрочен 1 пункт" in screen["text"]
    )
    items = await press(fake_api, LEADER, screen, "Новое заседание", "Какой пункт")
    assert "Входная диагностика" in str(items["reply_markup"])
    await press(fake_api, LEADER, items, "Открытые уроки", "Часовой пояс: Москва (МСК)")
    await say(fake_api, LEADER, "12 декабря 15:00", "12 декабря 2026 г., 15:00")
    durations = await fake_api.wait_for_message(LEADER, "Сколько продлится")
    await press(fake_api, LEADER, durations, "60", "Ссылка на онлайн-платформу")
    await say(fake_api, LEADER, "https://meet.example.ru/vmo", "Пришлите вопрос повестки")
    agenda = await say(fake_api, LEADER, "Об открытых уроках — Петрова О. И.", "1. Об открытых")
    confirm = await press(fake_api, LEADER, agenda, "Повестка готова", "Проверьте данные заседания")
    assert "Открытые уроки математики" in confirm["text"]
    assert "семинар" in confirm["text"] and "Выполняет пункт утверждённого плана" in confirm["text"]
    await press(fake_api, LEADER, confirm, "Назначить", "Заседание № 1 назначено")
    await harness.idle(0.2)

    at(START + timedelta(hours=1, minutes=1))
    await _sweep(harness, sweep_after_meetings)
    await fake_api.wait_for_message(LEADER, "заполните протокол")  # no secretary: the leader
    async with harness.sessions() as session:
        item = await session.scalar(
            select(PlanEntry).where(PlanEntry.topic == "Открытые уроки математики")
        )
        meeting = await session.scalar(select(Meeting))
    assert item is not None and meeting is not None
    assert item.status is PlanItemStatus.DONE and item.meeting_id == meeting.id
    screen = await say(fake_api, LEADER, "/meeting", "Заседания")
    assert "Проведено 1 из 4 заседаний" in screen["text"]
    assert "План: выполнено 1 из 2 пунктов" in screen["text"]

    at(datetime(2027, 2, 27, 9, 0, tzinfo=UTC))
    assert await _sweep(harness, sweep_norms) == 0
    at(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    assert await _sweep(harness, sweep_norms) == 1
    warning = await fake_api.wait_for_message(LEADER, "меньше заседаний, чем требуется")
    assert "Проведено 1 из 4 заседаний" in warning["text"]
    assert "ещё 3 заседания" in warning["text"]
    assert "Октябрь 2026: Входная диагностика" in warning["text"]
    await harness.restart()
    assert await _sweep(harness, sweep_norms) == 0


async def test_materials_attached_by_leader_reach_members(harness, fake_api):
    association_id = await _world(harness, fake_api)
    await _schedule(harness, association_id)
    await harness.app.bot_data["outbox"].drain()
    await harness.idle()
    screen = await say(fake_api, LEADER, "/meeting", "Заседания")
    details = await press(fake_api, LEADER, screen, "№ 1", "Функциональная")
    files = await press(fake_api, LEADER, details, "Материалы", "Присылайте файлы")
    fake_api.user_sends(LEADER, "просто текст")
    await fake_api.wait_for_message(LEADER, "пришлите материал файлом")
    fake_api.user_sends_document(LEADER, "program.pdf", b"%PDF-1.4 program", "application/pdf")
    files = await fake_api.wait_for_message(LEADER, "1. program.pdf")
    await press(fake_api, LEADER, files, "Готово", "Материалы сохранены: 1 файл.")
    await harness.idle(0.2)

    at(START - timedelta(hours=1) + timedelta(minutes=1))
    await _sweep(harness, sweep_reminders)
    reminder = await fake_api.wait_for_message(PETROVA, "Через 1 час")
    before = len(fake_api.calls_of("sendDocument"))
    fake_api.user_presses(PETROVA, reminder, button(reminder, "Материалы (1 файл)"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("sendDocument")) > before)
    sent = fake_api.calls_of("sendDocument")[-1]
    assert int(sent.params["chat_id"]) == PETROVA
    received = await fake_api.wait_for_message(PETROVA, edits=False)
    assert received["document"]["file_name"] == "program.pdf"
