"""Tasks at the service level: giving, submitting, deciding, reminders once, permissions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.notices import NoticeRenderer
from models import (
    ActivityEvent,
    AuditEntry,
    MemberRole,
    Membership,
    MembershipStatus,
    OutboxMessage,
)
from models.tasks import AssignmentStatus, TaskAssignment, TaskAudience
from services import privacy, tasks
from services.access import Actor
from services.clock import set_clock
from services.errors import PermissionDenied
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def _setup(session):  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    leader = await make_teacher(session, 760_001, full_name="Иванова Анна Петровна")
    association = await make_association(session, leader=leader)
    member = await make_teacher(session, 760_002, full_name="Петров Иван Сергеевич")
    expert = await make_teacher(session, 760_003, full_name="Сидорова Мария Ивановна")
    await add_member(session, association, member)
    await add_member(session, association, expert, role=MemberRole.EXPERT)
    return leader, association, member, expert


def _draft(**overrides) -> tasks.TaskDraft:  # type: ignore[no-untyped-def]
    values = dict(
        title="Открытый урок",
        description="Подготовьте конспект открытого урока",
        due_on=date(2026, 12, 10),
        audience=TaskAudience.ALL,
    )
    values.update(overrides)
    return tasks.TaskDraft(**values)  # type: ignore[arg-type]


async def _outbox_texts(session, telegram_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    await NoticeRenderer("ru").deliver(session)
    rows = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.chat_id == telegram_id).order_by(OutboxMessage.id)
    )
    return [row.payload.get("text", "") for row in rows]


def test_parse_due() -> None:
    set_clock(lambda: NOW)
    assert tasks.parse_due("20.12", "Europe/Moscow") == date(2026, 12, 20)
    assert tasks.parse_due("20 декабря", "Europe/Moscow") == date(2026, 12, 20)
    assert tasks.parse_due("завтра", "Europe/Moscow") == date(2026, 12, 2)
    with pytest.raises(tasks.BadDueDate):
        tasks.parse_due("когда-нибудь", "Europe/Moscow")
    with pytest.raises(tasks.DueInPast):
        tasks.parse_due("20.11.2026", "Europe/Moscow")
    with pytest.raises(tasks.DueTooFar):
        tasks.parse_due("20.12.2028", "Europe/Moscow")


async def test_give_to_a_role_and_to_chosen_members(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, member, expert = await _setup(session)
    actor = Actor(leader.telegram_id)
    _, count = await tasks.create_task(
        session,
        actor,
        association_id=association.id,
        draft=_draft(audience=TaskAudience.ROLE, role=MemberRole.EXPERT),
    )
    assert count == 1
    assert "Открытый урок" in (await _outbox_texts(session, expert.telegram_id))[0]
    assert await _outbox_texts(session, member.telegram_id) == []
    _, count = await tasks.create_task(
        session,
        actor,
        association_id=association.id,
        draft=_draft(audience=TaskAudience.CHOSEN, chosen_user_ids=(member.id, 999_999)),
    )
    assert count == 1  # a stranger's id among the chosen is ignored
    with pytest.raises(tasks.NoAssignees):
        await tasks.create_task(
            session,
            actor,
            association_id=association.id,
            draft=_draft(audience=TaskAudience.ROLE, role=MemberRole.SECRETARY),
        )
    audited = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "task.create")
    )
    assert audited == 2


async def test_a_member_cannot_give_tasks(session) -> None:  # type: ignore[no-untyped-def]
    _, association, member, _ = await _setup(session)
    with pytest.raises(PermissionDenied):
        await tasks.create_task(
            session, Actor(member.telegram_id), association_id=association.id, draft=_draft()
        )


async def test_submit_return_resubmit_accept(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, member, expert = await _setup(session)
    await tasks.create_task(
        session, Actor(leader.telegram_id), association_id=association.id, draft=_draft()
    )
    assignment = await session.scalar(
        select(TaskAssignment).where(TaskAssignment.user_id == member.id)
    )
    # somebody else's task, and a decision before any submission, are refused
    with pytest.raises(tasks.NotYourTask):
        await tasks.submit(
            session, Actor(expert.telegram_id), assignment_id=assignment.id, text="Моё"
        )
    with pytest.raises(tasks.NotSubmitted):
        await tasks.decide(
            session, Actor(leader.telegram_id), assignment_id=assignment.id, accept=True
        )
    await tasks.submit(session, Actor(member.telegram_id), assignment_id=assignment.id, text="Т1")
    assert assignment.status is AssignmentStatus.SUBMITTED
    with pytest.raises(tasks.NotOpen):
        await tasks.submit(
            session, Actor(member.telegram_id), assignment_id=assignment.id, text="Т2"
        )
    with pytest.raises(PermissionDenied):  # a fellow member cannot decide
        await tasks.decide(
            session, Actor(expert.telegram_id), assignment_id=assignment.id, accept=True
        )
    await tasks.decide(
        session,
        Actor(leader.telegram_id),
        assignment_id=assignment.id,
        accept=False,
        comment="Добавьте самоанализ",
    )
    assert assignment.status is AssignmentStatus.RETURNED
    assert assignment.comment == "Добавьте самоанализ"
    await tasks.submit(
        session,
        Actor(member.telegram_id),
        assignment_id=assignment.id,
        text=None,
        telegram_file_id="FILE-1",
        file_name="урок.docx",
    )
    await tasks.decide(session, Actor(leader.telegram_id), assignment_id=assignment.id, accept=True)
    assert assignment.status is AssignmentStatus.ACCEPTED
    with pytest.raises(tasks.NotSubmitted):  # the same decision again
        await tasks.decide(
            session, Actor(leader.telegram_id), assignment_id=assignment.id, accept=True
        )
    told = await _outbox_texts(session, member.telegram_id)
    assert any("возвращена на доработку" in text and "самоанализ" in text for text in told)
    assert any("принята" in text for text in told)
    to_leader = await _outbox_texts(session, leader.telegram_id)
    assert sum("Сдана работа" in text for text in to_leader) == 2
    events = await session.scalar(
        select(func.count())
        .select_from(ActivityEvent)
        .where(ActivityEvent.kind == "task_submitted", ActivityEvent.user_id == member.id)
    )
    assert events == 2
    decisions = await session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.target_type == "task_assignment", AuditEntry.target_id == assignment.id)
        .order_by(AuditEntry.id)
    )
    assert decisions.all() == ["task.return", "task.accept"]
    mine = await tasks.my_tasks(session, Actor(member.telegram_id))
    assert [v.status for v in mine] == [AssignmentStatus.ACCEPTED]
    given = await tasks.given_tasks(session, Actor(leader.telegram_id))
    assert {p.name: p.status for p in given[0].assignees} == {
        "Петров И. С.": AssignmentStatus.ACCEPTED,
        "Сидорова М. И.": AssignmentStatus.ASSIGNED,
    }


async def test_reminders_are_sent_once(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, member, expert = await _setup(session)
    await tasks.create_task(
        session, Actor(leader.telegram_id), association_id=association.id, draft=_draft()
    )
    expert_part = await session.scalar(
        select(TaskAssignment).where(TaskAssignment.user_id == expert.id)
    )
    await tasks.submit(
        session, Actor(expert.telegram_id), assignment_id=expert_part.id, text="Готово"
    )
    assert await tasks.send_reminders(session) == 0  # nine days before
    set_clock(lambda: datetime(2026, 12, 9, 6, 0, tzinfo=UTC))  # 9 December, Moscow
    assert await tasks.send_reminders(session) == 1
    assert await tasks.send_reminders(session) == 0
    set_clock(lambda: datetime(2026, 12, 10, 20, 0, tzinfo=UTC))  # still the 10th? no: 23:00
    assert await tasks.send_reminders(session) == 0
    set_clock(lambda: datetime(2026, 12, 10, 21, 30, tzinfo=UTC))  # 11 December, 00:30 Moscow
    assert await tasks.send_reminders(session) == 1
    assert await tasks.send_reminders(session) == 0
    told = await _outbox_texts(session, member.telegram_id)
    assert sum("Завтра" in text for text in told) == 1
    assert sum("прошёл" in text for text in told) == 1
    assert not any(
        "Завтра" in t or "прошёл" in t for t in await _outbox_texts(session, expert.telegram_id)
    )


async def test_a_member_who_left_is_neither_reminded_nor_can_submit(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, member, _ = await _setup(session)
    await tasks.create_task(
        session, Actor(leader.telegram_id), association_id=association.id, draft=_draft()
    )
    membership = await session.scalar(select(Membership).where(Membership.user_id == member.id))
    membership.status = MembershipStatus.LEFT
    await session.flush()
    part = await session.scalar(select(TaskAssignment).where(TaskAssignment.user_id == member.id))
    with pytest.raises(tasks.NotAMember):
        await tasks.submit(session, Actor(member.telegram_id), assignment_id=part.id, text="Т")
    set_clock(lambda: datetime(2026, 12, 9, 6, 0, tzinfo=UTC))
    assert await tasks.send_reminders(session) == 1  # the expert only
    assert not any("Завтра" in t for t in await _outbox_texts(session, member.telegram_id))


async def test_mydata_exports_and_forget_erases_the_submissions(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, member, _ = await _setup(session)
    await tasks.create_task(
        session, Actor(leader.telegram_id), association_id=association.id, draft=_draft()
    )
    part = await session.scalar(select(TaskAssignment).where(TaskAssignment.user_id == member.id))
    await tasks.submit(
        session, Actor(member.telegram_id), assignment_id=part.id, text="Мой конспект"
    )
    await NoticeRenderer("ru").deliver(session)
    exported = await privacy.export_personal_data(session, actor=Actor(member.telegram_id))
    assert "Мой конспект" in str(exported)
    await privacy.forget(session, actor=Actor(member.telegram_id))
    left = await session.scalar(
        select(func.count()).select_from(TaskAssignment).where(TaskAssignment.user_id == member.id)
    )
    assert left == 0


async def test_moving_the_due_date_tells_and_reminds_again(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, member, expert = await _setup(session)
    task, _ = await tasks.create_task(
        session, Actor(leader.telegram_id), association_id=association.id, draft=_draft()
    )
    expert_part = await session.scalar(
        select(TaskAssignment).where(TaskAssignment.user_id == expert.id)
    )
    await tasks.submit(session, Actor(expert.telegram_id), assignment_id=expert_part.id, text="Ок")
    set_clock(lambda: datetime(2026, 12, 9, 6, 0, tzinfo=UTC))
    assert await tasks.send_reminders(session) == 1  # «tomorrow, 10 December»

    with pytest.raises(tasks.DueInPast):
        await tasks.change_due(session, Actor(leader.telegram_id), task.id, date(2026, 12, 1))
    with pytest.raises(PermissionDenied):
        await tasks.change_due(session, Actor(member.telegram_id), task.id, date(2026, 12, 20))
    # Only the member who has not handed in is told; the expert's submission waits for review.
    assert (
        await tasks.change_due(session, Actor(leader.telegram_id), task.id, date(2026, 12, 20)) == 1
    )
    assert (
        await tasks.change_due(session, Actor(leader.telegram_id), task.id, date(2026, 12, 20)) == 0
    )
    assert await tasks.send_reminders(session) == 0
    set_clock(lambda: datetime(2026, 12, 19, 6, 0, tzinfo=UTC))
    assert await tasks.send_reminders(session) == 1  # reminded again for the new date
    told = await _outbox_texts(session, member.telegram_id)
    assert sum("перенесён на 20 декабря 2026 г." in text for text in told) == 1
    assert sum("Завтра, 20 декабря" in text for text in told) == 1


async def test_a_cancelled_task_is_told_hidden_and_closed(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, member, expert = await _setup(session)
    task, _ = await tasks.create_task(
        session, Actor(leader.telegram_id), association_id=association.id, draft=_draft()
    )
    parts = {
        a.user_id: a
        for a in await session.scalars(
            select(TaskAssignment).where(TaskAssignment.task_id == task.id)
        )
    }
    await tasks.submit(
        session, Actor(expert.telegram_id), assignment_id=parts[expert.id].id, text="Ок"
    )
    await tasks.decide(
        session, Actor(leader.telegram_id), assignment_id=parts[expert.id].id, accept=True
    )
    with pytest.raises(PermissionDenied):
        await tasks.cancel_task(session, Actor(member.telegram_id), task.id)

    assert (
        await tasks.cancel_task(session, Actor(leader.telegram_id), task.id) == 1
    )  # not the accepted one
    with pytest.raises(tasks.TaskCancelled):
        await tasks.cancel_task(session, Actor(leader.telegram_id), task.id)
    with pytest.raises(tasks.TaskCancelled):
        await tasks.submit(
            session, Actor(member.telegram_id), assignment_id=parts[member.id].id, text="Вот"
        )
    assert await tasks.my_tasks(session, Actor(member.telegram_id)) == []
    assert await tasks.given_tasks(session, Actor(leader.telegram_id)) == []
    set_clock(lambda: datetime(2026, 12, 11, 6, 0, tzinfo=UTC))
    assert await tasks.send_reminders(session) == 0
    assert any(
        "отменено руководителем" in t for t in await _outbox_texts(session, member.telegram_id)
    )
    assert not any("отменено" in t for t in await _outbox_texts(session, expert.telegram_id))
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "task.cancel"))
    assert entry is not None and entry.target_id == task.id
