"""Meetings at the service level: scheduling, invitations, RSVP, attendance, reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models import MemberRole, OutboxMessage, StoredFile
from models.meetings import Meeting, MeetingStatus, RsvpAnswer
from scheduler.meetings import sweep_reminders
from services import meetings
from services.access import Actor
from services.clock import set_clock
from services.dateparse import OutsidePeriod, TimeInPast
from services.errors import PermissionDenied
from services.ics import meeting_ics
from tests.delivery import delivered, swept
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
START = datetime(2026, 12, 12, 5, 0, tzinfo=UTC)  # 15:00 in Vladivostok


def at(moment: datetime) -> None:
    set_clock(lambda: moment)


async def _setup(session, members: int = 3, **extra):  # type: ignore[no-untyped-def]
    at(NOW)
    leader = await make_teacher(session)
    association = await make_association(
        session, leader=leader, timezone="Asia/Vladivostok", chat_id=-100500, **extra
    )
    people = []
    for _ in range(members):
        person = await make_teacher(session)
        await add_member(session, association, person)
        people.append(person)
    return leader, association, people


async def _schedule(session, leader, association, starts_at=START):  # type: ignore[no-untyped-def]
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
            agenda=[("О диагностике", "Смирнова Е. В."), ("Разное", None)],
        ),
    )


async def _outbox(session, like: str) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    rows = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.like(like)).order_by(OutboxMessage.id)
    )
    return list(rows.all())


async def test_schedule_announces_card_and_invitations_with_ics(session):
    leader, association, _people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    assert (meeting.number, meeting.academic_year) == (1, 2026)
    card = (await _outbox(session, "mtg:%:card"))[0]
    assert card.chat_id == -100500
    assert "12 декабря 2026 г., 15:00" in card.payload["text"]
    assert "Смирнова Е. В." in card.payload["text"]
    # The zone by its Russian title, never the IANA name (ru-texts item 91).
    assert "15:00 · Владивосток (МСК+7) · 60 минут" in card.payload["text"]
    assert "Asia/Vladivostok" not in card.payload["text"]
    invitations = await _outbox(session, f"mtg:{meeting.id}:v0:inv:%")
    assert len(invitations) == 4  # leader + 3 members
    assert {row.kind for row in invitations} == {"document"}
    ics = await session.get(StoredFile, invitations[0].file_id)
    content = ics.content.decode()
    assert "DTSTART:20261212T050000Z\r\n" in content and "DTEND:20261212T060000Z" in content
    assert content.endswith("END:VCALENDAR\r\n")
    second = await _schedule(session, leader, association, START + timedelta(days=30))
    assert second.number == 2


async def test_schedule_refuses_past_outside_period_and_strangers(session):
    leader, association, people = await _setup(session)
    with pytest.raises(TimeInPast):
        await _schedule(session, leader, association, NOW - timedelta(minutes=1))
    with pytest.raises(OutsidePeriod):
        await _schedule(session, leader, association, datetime(2027, 9, 2, tzinfo=UTC))
    with pytest.raises(PermissionDenied):
        await _schedule(session, people[0], association)


def test_link_and_agenda_validation():
    assert meetings.clean_link(" https://meet.example.ru/vmo?x=1 ") == (
        "https://meet.example.ru/vmo?x=1"
    )
    assert meetings.clean_link("https://телемост.яндекс.рф/j/1")
    for bad in (
        "meet.example.ru",
        "ftp://x.ru",
        "https://localhost",
        "https://a b.ru",
        "javascript:alert(1)",
    ):
        with pytest.raises(meetings.BadLink):
            meetings.clean_link(bad)
    assert meetings.clean_agenda_item("О диагностике — Смирнова Е. В.") == (
        "О диагностике",
        "Смирнова Е. В.",
    )
    assert meetings.clean_agenda_item("Разное") == ("Разное", None)
    with pytest.raises(meetings.BadAgendaItem):
        meetings.clean_agenda_item("—")


def test_ics_escapes_and_folds():
    data = meeting_ics(
        uid="u@x",
        summary="ВМО; тема, часть\\1",
        description="строка\nвторая " + "ж" * 80,
        starts_at=START,
        duration_minutes=90,
        url="https://x.ru",
        stamp=NOW,
    ).decode()
    assert "SUMMARY:ВМО\\; тема\\, часть\\\\1\r\n" in data
    assert all(len(line.encode()) <= 75 for line in data.split("\r\n"))
    assert "\r\n " in data  # folded


async def test_rsvp_counts_and_marks_card(session):
    leader, association, people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    meeting.card_dirty = False
    await meetings.rsvp(
        session, Actor(people[0].telegram_id), meeting_id=meeting.id, answer=RsvpAnswer.GOING
    )
    await meetings.rsvp(
        session, Actor(people[1].telegram_id), meeting_id=meeting.id, answer=RsvpAnswer.MAYBE
    )
    await meetings.rsvp(
        session, Actor(people[1].telegram_id), meeting_id=meeting.id, answer=RsvpAnswer.NO
    )
    assert await meetings.counts(session, meeting.id) == meetings.Counts(
        going=1, maybe=0, declined=1
    )
    await session.refresh(meeting)
    assert meeting.card_dirty
    stranger = await make_teacher(session)
    with pytest.raises(PermissionDenied):
        await meetings.rsvp(
            session, Actor(stranger.telegram_id), meeting_id=meeting.id, answer=RsvpAnswer.GOING
        )


async def test_attendance_window_and_correction(session):
    leader, association, people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    with pytest.raises(meetings.AttendanceClosed):
        await meetings.mark_present(session, Actor(people[0].telegram_id), meeting_id=meeting.id)
    at(START + timedelta(minutes=5))
    assert await meetings.mark_present(session, Actor(people[0].telegram_id), meeting_id=meeting.id)
    assert not await meetings.mark_present(
        session, Actor(people[0].telegram_id), meeting_id=meeting.id
    )
    at(START + timedelta(hours=3))
    with pytest.raises(meetings.AttendanceClosed):
        await meetings.mark_present(session, Actor(people[1].telegram_id), meeting_id=meeting.id)
    leader_actor = Actor(leader.telegram_id)
    assert await meetings.toggle_attendance(
        session, leader_actor, meeting_id=meeting.id, user_id=people[1].id
    )
    assert not await meetings.toggle_attendance(
        session, leader_actor, meeting_id=meeting.id, user_id=people[0].id
    )
    marks = {user.id: here for user, here in await meetings.attendance(session, meeting.id)}
    assert marks[people[1].id] and not marks[people[0].id] and not marks[leader.id]
    with pytest.raises(PermissionDenied):
        await meetings.toggle_attendance(
            session, Actor(people[0].telegram_id), meeting_id=meeting.id, user_id=people[0].id
        )


async def _reminders(session, stage: str) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    return await _outbox(session, f"mtg:%:{stage}:%")


async def test_reminder_stages_skip_decliners_and_never_repeat(session):
    leader, association, people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    await meetings.rsvp(
        session, Actor(people[2].telegram_id), meeting_id=meeting.id, answer=RsvpAnswer.NO
    )
    at(START - timedelta(hours=25))
    assert await swept(session, sweep_reminders) == 0
    at(START - timedelta(hours=24) + timedelta(minutes=1))
    assert await swept(session, sweep_reminders) == 3  # leader + 2; the decliner is spared
    assert await swept(session, sweep_reminders) == 0
    meeting.reminders_done = []  # even if the marks were lost, the dedupe keys hold
    assert await swept(session, sweep_reminders) == 0
    rows = await _reminders(session, "r24")
    assert len(rows) == 3 and "через 24 часа" in rows[0].payload["text"].lower()
    at(START - timedelta(minutes=59))
    assert await swept(session, sweep_reminders) == 3
    at(START + timedelta(minutes=1))
    assert await swept(session, sweep_reminders) == 3
    start = await _reminders(session, "start")
    assert "https://meet.example.ru/vmo" in start[0].payload["text"]
    assert start[0].payload["buttons"][0][0]["url"] == "https://meet.example.ru/vmo"
    assert await swept(session, sweep_reminders) == 0


async def test_catch_up_within_grace_and_skip_beyond(session):
    leader, association, _people = await _setup(session, members=1)
    meeting = await _schedule(session, leader, association)
    # Down at 24 h before; back 90 minutes later: within the grace window, caught up.
    at(START - timedelta(hours=22, minutes=30))
    assert await swept(session, sweep_reminders) == 2
    # Down from then until 20 minutes before the start: the 1 h reminder is still due.
    at(START - timedelta(minutes=20))
    assert await swept(session, sweep_reminders) == 2
    # Back only after the meeting's start window: nothing is sent late.
    at(START + timedelta(minutes=30))
    assert await swept(session, sweep_reminders) == 0
    await session.refresh(meeting)
    assert set(meeting.reminders_done) == {"r24", "r1"}


async def test_reminder_settings_per_association(session):
    leader, association, _people = await _setup(session, members=1)
    await _schedule(session, leader, association)
    hours = await meetings.set_reminders(
        session, Actor(leader.telegram_id), association_id=association.id, preset=2
    )
    assert hours == [1]
    at(START - timedelta(hours=24))
    assert await swept(session, sweep_reminders) == 0
    at(START - timedelta(hours=1))
    assert await swept(session, sweep_reminders) == 2


async def test_reschedule_and_cancel_notify_everyone(session):
    leader, association, people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    actor = Actor(leader.telegram_id)
    at(START - timedelta(hours=23))
    await swept(session, sweep_reminders)
    new_start = START + timedelta(days=2)
    await delivered(
        session, meetings.reschedule(session, actor, meeting_id=meeting.id, starts_at=new_start)
    )
    moved = await _outbox(session, f"mtg:{meeting.id}:v1:moved:%")
    assert len(moved) == 4 and "14 декабря 2026 г., 15:00" in moved[0].payload["text"]
    # The new time gets its own reminders.
    at(new_start - timedelta(hours=24))
    assert await swept(session, sweep_reminders) == 4
    await delivered(session, meetings.cancel(session, actor, meeting_id=meeting.id))
    assert len(await _outbox(session, f"mtg:{meeting.id}:cancel:%")) == 4
    assert meeting.status is MeetingStatus.CANCELLED
    at(new_start - timedelta(hours=1))
    assert await swept(session, sweep_reminders) == 0
    with pytest.raises(meetings.MeetingCancelled):
        await meetings.rsvp(
            session, Actor(people[0].telegram_id), meeting_id=meeting.id, answer=RsvpAnswer.GOING
        )
    total = await session.scalar(select(func.count()).select_from(Meeting))
    assert total == 1


async def test_secretary_may_schedule(session):
    _leader, association, _people = await _setup(session, members=0)
    secretary = await make_teacher(session)
    await add_member(session, association, secretary, role=MemberRole.SECRETARY)
    meeting = await _schedule(session, secretary, association)
    assert meeting.number == 1


async def test_invitations_are_worded_in_each_readers_language(session):
    leader, association, _people = await _setup(session, members=0)
    english = await make_teacher(session, language="en")
    await add_member(session, association, english)
    meeting = await _schedule(session, leader, association)
    rows = {row.chat_id: row for row in await _outbox(session, f"mtg:{meeting.id}:v0:inv:%")}
    assert "You are invited to a meeting" in rows[english.telegram_id].payload["text"]
    assert "Приглашаем вас на заседание" in rows[leader.telegram_id].payload["text"]
    labels = [b["text"] for line in rows[english.telegram_id].payload["buttons"] for b in line]
    assert labels[:3] == ["✅ Will attend", "🤔 Maybe", "❌ Cannot"]


async def test_attendance_starts_from_will_attend_once_the_meeting_has_begun(session):
    leader, association, people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    going, maybe, checked_in = people
    for person, answer in ((going, RsvpAnswer.GOING), (maybe, RsvpAnswer.MAYBE)):
        await meetings.rsvp(
            session, Actor(person.telegram_id), meeting_id=meeting.id, answer=answer
        )
    assert await meetings.present_ids(session, meeting) == set()  # not begun yet
    at(START + timedelta(minutes=5))
    await meetings.mark_present(session, Actor(checked_in.telegram_id), meeting_id=meeting.id)
    assert await meetings.present_ids(session, meeting) == {going.id, checked_in.id}


async def test_a_correction_to_absent_outweighs_will_attend_and_a_check_in_undoes_it(session):
    leader, association, people = await _setup(session)
    meeting = await _schedule(session, leader, association)
    member = people[0]
    await meetings.rsvp(
        session, Actor(member.telegram_id), meeting_id=meeting.id, answer=RsvpAnswer.GOING
    )
    at(START + timedelta(minutes=5))
    leader_actor = Actor(leader.telegram_id)
    toggle = {"meeting_id": meeting.id, "user_id": member.id}
    assert not await meetings.toggle_attendance(session, leader_actor, **toggle)
    assert member.id not in await meetings.present_ids(session, meeting)
    marks = {user.id: here for user, here in await meetings.attendance(session, meeting.id)}
    assert marks[member.id] is False
    # The member presses «I am here» after all: present again.
    assert await meetings.mark_present(session, Actor(member.telegram_id), meeting_id=meeting.id)
    assert member.id in await meetings.present_ids(session, meeting)
    assert not await meetings.toggle_attendance(session, leader_actor, **toggle)
    assert await meetings.toggle_attendance(session, leader_actor, **toggle)
    assert member.id in await meetings.present_ids(session, meeting)
