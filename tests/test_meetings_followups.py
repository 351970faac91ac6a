"""Issue 4 follow-ups at the service level: the protocol request after a meeting, the
"protocol approved" status, decision follow-ups, the March norm warning, meetings from plan
items, materials, and the reminder sweep reading only what is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from models import MemberRole, OutboxMessage, OutboxStatus
from models.meetings import Meeting, MeetingStatus
from models.plans import Plan, PlanEntry, PlanItemStatus, PlanStatus
from scheduler.meetings import sweep_after_meetings, sweep_norms, sweep_reminders
from scheduler.protocols import sweep_followups
from services import meetings, protocols
from services.access import Actor
from services.clock import set_clock
from services.errors import PermissionDenied
from tests.delivery import delivered, swept
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
START = datetime(2026, 12, 12, 12, 0, tzinfo=UTC)  # 15:00 in Moscow


def at(moment: datetime) -> None:
    set_clock(lambda: moment)


async def _setup(session, *, secretary: bool = True):  # type: ignore[no-untyped-def]
    at(NOW)
    leader = await make_teacher(session, full_name="Иванова Анна Петровна")
    association = await make_association(session, leader=leader, chat_id=-100600)
    people = {}
    if secretary:
        people["secretary"] = await make_teacher(session, full_name="Секретарёва Нина Олеговна")
        await add_member(session, association, people["secretary"], role=MemberRole.SECRETARY)
    people["petrova"] = await make_teacher(session, full_name="Петрова Ольга Ивановна")
    await add_member(session, association, people["petrova"])
    people["smirnova"] = await make_teacher(session, full_name="Смирнова Елена Викторовна")
    await add_member(session, association, people["smirnova"])
    return leader, association, people


async def _schedule(session, leader, association, *, starts_at=START, plan_item_id=None):  # type: ignore[no-untyped-def]
    return await delivered(
        session,
        meetings.schedule_meeting(
            session,
            Actor(leader.telegram_id),
            association_id=association.id,
            topic="Функциональная грамотность",
            form="webinar",
            starts_at=starts_at,
            duration_minutes=60,
            link="https://meet.example.ru/vmo",
            agenda=[("О диагностике", "Смирнова Е. В.")],
            plan_item_id=plan_item_id,
        ),
    )


async def _rows(session, like: str) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    found = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.like(like)).order_by(OutboxMessage.id)
    )
    return list(found.all())


async def _approved_plan(session, association, months):  # type: ignore[no-untyped-def]
    plan = Plan(
        association_id=association.id,
        academic_year=2026,
        version=1,
        status=PlanStatus.APPROVED,
        route=[],
    )
    session.add(plan)
    await session.flush()
    items = []
    for year, month, topic in months:
        item = PlanEntry(
            plan_id=plan.id, year=year, month=month, topic=topic, form="seminar", expected_result=""
        )
        session.add(item)
        items.append(item)
    await session.flush()
    return plan, items


# 1. the protocol request and the "protocol approved" status ------------------------------------
async def test_protocol_request_goes_once_to_the_secretary_after_the_end(session):
    leader, association, people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    at(START + timedelta(minutes=30))  # still going
    assert await swept(session, sweep_after_meetings) == 0
    at(START + timedelta(minutes=61))
    assert await swept(session, sweep_after_meetings) == 1
    assert await swept(session, sweep_after_meetings) == 0
    (row,) = await _rows(session, "mtg:%:protreq")
    assert row.chat_id == people["secretary"].telegram_id
    assert "заполните протокол" in row.payload["text"]
    buttons = [b for line in row.payload["buttons"] for b in line]
    assert buttons[0]["callback"] == f"prot:new:{meeting.id}"


async def test_protocol_request_goes_to_the_leader_without_a_secretary(session):
    leader, association, _people = await _setup(session, secretary=False)
    await _schedule(session, leader, association)
    at(START + timedelta(hours=2))
    assert await swept(session, sweep_after_meetings) == 1
    (row,) = await _rows(session, "mtg:%:protreq")
    assert row.chat_id == leader.telegram_id


async def test_no_request_for_cancelled_or_long_past_meetings(session):
    leader, association, _people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    await delivered(
        session, meetings.cancel(session, Actor(leader.telegram_id), meeting_id=meeting.id)
    )
    at(START + timedelta(hours=2))
    assert await swept(session, sweep_after_meetings) == 0
    other = await _schedule(session, leader, association, starts_at=START + timedelta(days=1))
    at(START + timedelta(days=10))  # the bot was down longer than the window
    assert await swept(session, sweep_after_meetings) == 0
    assert other.protocol_requested_at is None


async def _final_protocol(session, leader, meeting, decisions):  # type: ignore[no-untyped-def]
    draft = await protocols.save_draft(
        session,
        Actor(leader.telegram_id),
        meeting_id=meeting.id,
        items=[{"substance": "о диагностике", "spoke": [], "decisions": decisions}],
    )
    # Nobody checked in here: approving asks first, and the leader confirms.
    return await delivered(
        session,
        protocols.finalise(
            session, Actor(leader.telegram_id), protocol_id=draft.id, confirmed=True
        ),
    )


async def test_approving_the_protocol_sets_the_meeting_status(session):
    leader, association, _people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    at(START + timedelta(hours=2))
    decision = {"text": "Принять к сведению", "responsible": "", "deadline": "", "votes": None}
    await _final_protocol(session, leader, meeting, [decision])
    assert meeting.status is MeetingStatus.PROTOCOL_APPROVED
    # A held meeting with an approved protocol still counts as held.
    status = await meetings.norm_status(session, association)
    assert status.held == 1


# 2. decision follow-ups ----------------------------------------------------------------------
def test_match_responsible_by_name_forms_and_unique_surname():
    class U:
        def __init__(self, id_: int, name: str) -> None:
            self.id, self.full_name = id_, name

    people = [
        U(1, "Петрова Ольга Ивановна"),
        U(2, "Смирнова Елена Викторовна"),
        U(3, "Смирнова Анна Сергеевна"),
    ]
    ids = lambda text: sorted(u.id for u in protocols.match_responsible(text, people))  # noqa: E731
    assert ids("Петрова О. И.") == [1]
    assert ids("О.И. Петрова") == [1]
    assert ids("петрова") == [1]
    assert ids("Смирнова") == []  # two members: ambiguous, nobody is guessed
    assert ids("Смирнова Е. В. и Петрова О.И.") == [1, 2]
    assert ids("Сидоров П. П.") == []


async def test_followups_remind_three_days_and_one_day_before(session):
    leader, association, people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    at(START + timedelta(hours=2))
    decisions = [
        {
            "text": "Провести открытый урок",
            "responsible": "Петрова О. И.",
            "deadline": "2026-12-20",
            "votes": None,
        },
        {"text": "Подготовить отчёт", "responsible": "Сидоров П. П.", "deadline": "2026-12-20"},
        {"text": "Обобщить опыт", "responsible": "Смирнова Е. В.", "deadline": "до весны"},
    ]
    protocol = await _final_protocol(session, leader, meeting, decisions)
    (followup,) = await protocols.followups_of(session, protocol.id)
    assert followup.user_id == people["petrova"].id and followup.deadline == date(2026, 12, 20)

    at(datetime(2026, 12, 16, 9, 0, tzinfo=UTC))  # 4 days before
    assert await swept(session, sweep_followups) == 0
    at(datetime(2026, 12, 17, 5, 0, tzinfo=UTC))  # 08:00 in Moscow: too early in the day
    assert await swept(session, sweep_followups) == 0
    at(datetime(2026, 12, 17, 9, 0, tzinfo=UTC))
    assert await swept(session, sweep_followups) == 1
    assert await swept(session, sweep_followups) == 0
    at(datetime(2026, 12, 19, 9, 0, tzinfo=UTC))
    assert await swept(session, sweep_followups) == 1
    at(datetime(2026, 12, 21, 9, 0, tzinfo=UTC))
    assert await swept(session, sweep_followups) == 0
    rows = await _rows(session, "fup:%")
    assert [r.dedupe_key.rsplit(":", 1)[1] for r in rows] == ["d3", "d1"]
    assert {r.chat_id for r in rows} == {people["petrova"].telegram_id}
    assert "20 декабря 2026 г." in rows[0].payload["text"]
    assert "Провести открытый урок" in rows[0].payload["text"]


async def test_a_bot_down_until_the_last_day_sends_one_followup(session):
    leader, association, _people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    at(START + timedelta(hours=2))
    decision = {"text": "Сдать отчёт", "responsible": "Петрова О. И.", "deadline": "2026-12-20"}
    await _final_protocol(session, leader, meeting, [decision])
    at(datetime(2026, 12, 19, 12, 0, tzinfo=UTC))
    assert await swept(session, sweep_followups) == 1
    at(datetime(2026, 12, 20, 12, 0, tzinfo=UTC))
    assert await swept(session, sweep_followups) == 0
    assert [r.dedupe_key.rsplit(":", 1)[1] for r in await _rows(session, "fup:%")] == ["d1"]


# 3. norms -------------------------------------------------------------------------------------
async def test_march_warning_once_with_overdue_items_and_meetings_needed(session):
    leader, association, _people = await _setup(session)
    await _approved_plan(
        session,
        association,
        [(2026, 10, "Входная диагностика"), (2026, 12, "Открытые уроки"), (2027, 4, "Итоги")],
    )
    meeting = await _schedule(session, leader, association)
    at(datetime(2027, 2, 28, 12, 0, tzinfo=UTC))
    status = await meetings.norm_status(session, association)
    assert (status.held, status.upcoming, status.needed, status.plan_items) == (1, 0, 3, 3)
    assert [item.topic for item in status.overdue] == ["Входная диагностика", "Открытые уроки"]
    assert await swept(session, sweep_norms) == 0  # not March yet
    at(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    assert await swept(session, sweep_norms) == 1
    assert await swept(session, sweep_norms) == 0
    (row,) = await _rows(session, "norm:%")
    assert row.chat_id == leader.telegram_id and row.dedupe_key == f"norm:{association.id}:2026"
    text = row.payload["text"]
    assert "Проведено 1 из 4 заседаний" in text
    assert "ещё 3 заседания" in text
    assert "Октябрь 2026: Входная диагностика" in text and "Итоги" not in text
    assert meeting.status is MeetingStatus.SCHEDULED


async def test_no_warning_when_on_track(session):
    leader, association, _people = await _setup(session)
    _plan, items = await _approved_plan(
        session, association, [(2026, 12, "Открытые уроки"), (2027, 4, "Итоги")]
    )
    await _schedule(session, leader, association)
    await _schedule(session, leader, association, starts_at=START + timedelta(days=30))
    items[0].status = PlanItemStatus.MOVED
    at(datetime(2027, 3, 2, 9, 0, tzinfo=UTC))
    status = await meetings.norm_status(session, association)
    assert (status.held, len(status.overdue)) == (2, 0)
    assert await swept(session, sweep_norms) == 0


# 4. a meeting from a plan item -----------------------------------------------------------------
async def test_meeting_from_plan_item_marks_it_done_once_held(session):
    leader, association, _people = await _setup(session)
    _plan, items = await _approved_plan(
        session, association, [(2026, 12, "Открытые уроки"), (2027, 2, "Итоги")]
    )
    available = await meetings.plan_items_to_schedule(session, association.id)
    assert [i.id for i in available] == [items[0].id, items[1].id]
    meeting = await _schedule(session, leader, association, plan_item_id=items[0].id)
    assert meeting.plan_item_id == items[0].id
    available = await meetings.plan_items_to_schedule(session, association.id)
    assert [i.id for i in available] == [items[1].id]
    with pytest.raises(meetings.PlanItemUnavailable):
        await _schedule(session, leader, association, plan_item_id=items[0].id)
    at(START + timedelta(minutes=30))
    await swept(session, sweep_after_meetings)
    assert items[0].status is PlanItemStatus.PLANNED
    at(START + timedelta(hours=1, minutes=1))
    await swept(session, sweep_after_meetings)
    assert items[0].status is PlanItemStatus.DONE and items[0].meeting_id == meeting.id
    status = await meetings.norm_status(session, association)
    assert status.plan_done == 1


# 5. materials ----------------------------------------------------------------------------------
async def test_materials_attach_dedupe_and_reach_reminders(session):
    leader, association, people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    actor = Actor(leader.telegram_id)
    kwargs = {"meeting_id": meeting.id, "telegram_file_id": "F1", "file_unique_id": "U1"}
    assert await meetings.add_material(session, actor, file_name="План.pdf", **kwargs)
    assert not await meetings.add_material(session, actor, file_name="План.pdf", **kwargs)
    with pytest.raises(PermissionDenied):
        await meetings.add_material(
            session, Actor(people["petrova"].telegram_id), file_name="x.pdf", **kwargs
        )
    found = await meetings.materials_for_member(
        session, Actor(people["petrova"].telegram_id), meeting_id=meeting.id
    )
    assert [m.file_name for m in found] == ["План.pdf"]
    stranger = await make_teacher(session)
    with pytest.raises(PermissionDenied):
        await meetings.materials_for_member(
            session, Actor(stranger.telegram_id), meeting_id=meeting.id
        )
    at(START - timedelta(hours=1))
    assert await swept(session, sweep_reminders) > 0
    row = (await _rows(session, f"mtg:{meeting.id}:v0:r1:%"))[0]
    labels = [b["text"] for line in row.payload["buttons"] for b in line]
    assert "📎 Материалы (1 файл)" in labels


# 6. the reminder sweep reads only meetings with a stage due --------------------------------------
async def test_reminder_sweep_skips_meetings_without_a_due_stage(session):
    leader, association, _people = await _setup(session)
    due = await _schedule(session, leader, association)
    later = await _schedule(session, leader, association, starts_at=START + timedelta(hours=12))
    at(START - timedelta(hours=24) + timedelta(minutes=5))
    assert await swept(session, sweep_reminders) == 4  # leader, secretary, two members
    assert due.reminders_done == ["r24"]
    assert later.reminders_done == []  # not read: its next stage is 12 hours away
    rows = await session.scalars(
        select(Meeting.id).where(Meeting.protocol_requested_at.is_not(None))
    )
    assert list(rows.all()) == []


def test_norm_line_plurals_in_russian():
    from bot.i18n import Translator
    from handlers.meetings.texts import norm_line

    t = Translator("ru")

    def line(held: int, items: int = 0, done: int = 0, overdue: int = 0) -> str:
        status = meetings.NormStatus(2026, held, 0, 4, items, done, [None] * overdue)  # type: ignore[list-item]
        return norm_line(t, status)

    assert line(1) == "Проведено 1 из 4 заседаний в этом учебном году."
    assert line(0, 21, 1, 2).endswith("План: выполнено 1 из 21 пункта. Просрочено 2 пункта.")
    assert line(4) == "Проведено 4 заседания в этом учебном году: норма выполнена."
    assert line(5, 3, 3) == (
        "Проведено 5 заседаний в этом учебном году: норма выполнена. "
        "План: выполнено 3 из 3 пунктов."
    )


async def test_no_protocol_request_once_a_draft_exists(session):
    leader, association, people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    at(START + timedelta(minutes=30))  # during the meeting the secretary starts the protocol
    await protocols.save_draft(
        session,
        Actor(people["secretary"].telegram_id),
        meeting_id=meeting.id,
        items=[{"substance": "о диагностике", "spoke": [], "decisions": [{"text": "Принять"}]}],
    )
    at(START + timedelta(minutes=61))
    assert await swept(session, sweep_after_meetings) == 0
    assert await _rows(session, "mtg:%:protreq") == []
    assert meeting.protocol_requested_at is not None  # and it is not asked again later


async def test_a_request_not_sent_yet_is_withdrawn_when_the_draft_is_saved(session):
    leader, association, people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    at(START + timedelta(minutes=61))
    assert await swept(session, sweep_after_meetings) == 1
    await protocols.save_draft(
        session,
        Actor(people["secretary"].telegram_id),
        meeting_id=meeting.id,
        items=[{"substance": "о диагностике", "spoke": [], "decisions": [{"text": "Принять"}]}],
    )
    (row,) = await _rows(session, "mtg:%:protreq")
    assert row.status is OutboxStatus.CANCELLED
