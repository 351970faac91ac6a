"""Protocols at the service level: numbering, parsing, permissions, approval via the outbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from models import MemberRole, OutboxMessage, StoredFile
from models.db import unit_of_work
from models.meetings import Meeting, MeetingAgendaItem, MeetingAttendance
from models.protocols import ProtocolStatus
from services import protocols
from services.access import Actor
from services.clock import set_clock
from services.errors import InvalidInput, PermissionDenied
from tests.delivery import delivered
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)


def at(moment: datetime) -> None:
    set_clock(lambda: moment)


async def _meeting(session, association, starts_at, number, year):  # type: ignore[no-untyped-def]
    meeting = Meeting(
        association_id=association.id,
        number=number,
        academic_year=year,
        topic=f"Заседание {number}",
        form="webinar",
        starts_at=starts_at,
        link="https://telemost.yandex.ru/j/1",
        reminders_done=[],
    )
    session.add(meeting)
    await session.flush()
    session.add(
        MeetingAgendaItem(
            meeting_id=meeting.id, position=1, title="О плане", speaker="Иванова А. П."
        )
    )
    await session.flush()
    return meeting


ITEM = {"substance": "о плане работы", "spoke": [], "decisions": [{"text": "Утвердить план"}]}


async def _world(session, members: int = 3):  # type: ignore[no-untyped-def]
    at(NOW)
    leader = await make_teacher(session, 610_001, full_name="Иванова Анна Петровна")
    association = await make_association(session, leader=leader, chat_id=-100_610_001)
    people = []
    for index in range(members):
        person = await make_teacher(session, 610_100 + index)
        await add_member(session, association, person)
        people.append(person)
    return leader, association, people


def test_decisions_parse_forgivingly() -> None:
    found = protocols.parse_decisions(
        "Провести открытый урок; ответственный: Петрова О. И.; срок: 20.12.2026; "
        "за 12 против 0 воздержались 1\n\nПринять к сведению\n"
        "Обобщить опыт; за 5; до 15.01; отв Сидоров",
        TODAY,
    )
    assert found[0] == {
        "text": "Провести открытый урок",
        "responsible": "Петрова О. И.",
        "deadline": "2026-12-20",
        "votes": [12, 0, 1],
    }
    assert found[1]["votes"] is None and found[1]["responsible"] == ""
    assert found[2]["deadline"] == "2027-01-15" and found[2]["votes"] == [5, 0, 0]
    assert found[2]["responsible"] == "Сидоров"
    with pytest.raises(InvalidInput) as error:
        protocols.parse_decisions("Хорошо\nПлан; срок: 31.02.2027", TODAY)
    assert error.value.params["line"] == 2
    with pytest.raises(InvalidInput):
        protocols.parse_decisions("План; непонятно что", TODAY)
    with pytest.raises(InvalidInput):
        protocols.parse_decisions("  \n ", TODAY)
    assert protocols.parse_speeches("Петрова О. И. — поделилась опытом\nСидоров: вопрос") == [
        {"who": "Петрова О. И.", "note": "поделилась опытом"},
        {"who": "Сидоров", "note": "вопрос"},
    ]
    with pytest.raises(InvalidInput):
        protocols.parse_speeches("просто текст без тире")
    assert protocols.place_of("https://telemost.yandex.ru/j/1") == "онлайн, Яндекс Телемост"
    assert protocols.place_of("https://meet.example.ru/x") == "онлайн, meet.example.ru"


async def test_numbering_per_academic_year(session) -> None:
    leader, association, _ = await _world(session)
    actor = Actor(leader.telegram_id)
    spring = await _meeting(session, association, datetime(2026, 5, 10, 9, tzinfo=UTC), 1, 2025)
    first = await _meeting(session, association, datetime(2026, 10, 1, 9, tzinfo=UTC), 1, 2026)
    second = await _meeting(session, association, datetime(2026, 11, 1, 9, tzinfo=UTC), 2, 2026)
    numbers = []
    for meeting in (first, spring, second):
        p = await protocols.save_draft(session, actor, meeting_id=meeting.id, items=[ITEM])
        numbers.append((p.academic_year, p.number))
    assert numbers == [(2026, 1), (2025, 1), (2026, 2)]
    again = await protocols.save_draft(session, actor, meeting_id=first.id, items=[ITEM])
    assert again.number == 1  # a re-saved draft keeps its number
    assert [p.number for p in await protocols.year_protocols(session, association)] == [1, 2]


async def test_permissions_and_future_meetings(session) -> None:
    leader, association, people = await _world(session)
    held = await _meeting(session, association, datetime(2026, 11, 1, 9, tzinfo=UTC), 1, 2026)
    future = await _meeting(session, association, datetime(2026, 12, 1, 9, tzinfo=UTC), 2, 2026)
    with pytest.raises(PermissionDenied):
        await protocols.prefill(session, Actor(people[0].telegram_id), held.id)
    with pytest.raises(protocols.NotHeldYet):
        await protocols.prefill(session, Actor(leader.telegram_id), future.id)
    secretary = people[1]
    membership = await add_member(
        session, association, await make_teacher(session, 610_900), role=MemberRole.SECRETARY
    )
    assert membership.role is MemberRole.SECRETARY
    info = await protocols.prefill(session, Actor(610_900), held.id)
    assert info.chair is not None and info.chair.id == leader.id
    assert info.secretary is not None and info.secretary.telegram_id == 610_900
    assert info.place == "онлайн, Яндекс Телемост" and secretary in info.absent


async def test_finalise_enqueues_group_and_members(session) -> None:
    leader, association, people = await _world(session, members=4)
    actor = Actor(leader.telegram_id)
    meeting = await _meeting(session, association, datetime(2026, 11, 1, 9, tzinfo=UTC), 1, 2026)
    for person in people[:3]:
        session.add(MeetingAttendance(meeting_id=meeting.id, user_id=person.id))
    await session.flush()
    draft = await protocols.save_draft(session, actor, meeting_id=meeting.id, items=[ITEM])
    with pytest.raises(PermissionDenied):
        await delivered(
            session, protocols.finalise(session, Actor(people[0].telegram_id), protocol_id=draft.id)
        )
    final = await delivered(session, protocols.finalise(session, actor, protocol_id=draft.id))
    assert final.status is ProtocolStatus.FINAL and final.file_id is not None
    rows = (
        await session.scalars(
            select(OutboxMessage).where(OutboxMessage.batch == f"prot-{final.id}")
        )
    ).all()
    chats = sorted(row.chat_id for row in rows)
    assert chats == sorted(
        [association.chat_id, leader.telegram_id, *(p.telegram_id for p in people)]
    )
    assert all(row.kind == "document" and row.file_id == final.file_id for row in rows)
    assert "Утверждён протокол № 1" in rows[0].payload["text"]
    with pytest.raises(protocols.ProtocolFinal):
        await delivered(session, protocols.finalise(session, actor, protocol_id=draft.id))
    with pytest.raises(protocols.ProtocolFinal):
        await protocols.save_draft(session, actor, meeting_id=meeting.id, items=[ITEM])
    pdf = await protocols.pdf_of(session, Actor(people[0].telegram_id), final.id)
    assert pdf.content.startswith(b"%PDF")


async def test_the_chair_and_the_secretary_are_never_absent_from_their_own_meeting(session):
    leader, association, people = await _world(session)
    secretary = await make_teacher(session, 610_901, full_name="Секретарёва Нина Олеговна")
    await add_member(session, association, secretary, role=MemberRole.SECRETARY)
    meeting = await _meeting(session, association, datetime(2026, 11, 1, 9, tzinfo=UTC), 1, 2026)
    session.add(MeetingAttendance(meeting_id=meeting.id, user_id=people[0].id))
    await session.flush()
    info = await protocols.prefill(session, Actor(leader.telegram_id), meeting.id)
    assert {u.id for u in info.present} == {leader.id, secretary.id, people[0].id}
    assert {u.id for u in info.absent} == {people[1].id, people[2].id}
    draft = await protocols.save_draft(
        session, Actor(leader.telegram_id), meeting_id=meeting.id, items=[ITEM]
    )
    data = await protocols.document_data(session, draft)
    names = {p.full_name for p in data.present}
    assert {"Иванова Анна Петровна", "Секретарёва Нина Олеговна"} <= names
    # (the factory's names may repeat, so the lists are counted, not compared by name)
    assert (len(data.present), len(data.absent)) == (3, 2)


async def test_approving_with_nobody_present_asks_first(session):
    leader, association, _people = await _world(session)
    actor = Actor(leader.telegram_id)
    meeting = await _meeting(session, association, datetime(2026, 11, 1, 9, tzinfo=UTC), 1, 2026)
    draft = await protocols.save_draft(session, actor, meeting_id=meeting.id, items=[ITEM])
    with pytest.raises(protocols.NobodyPresent):
        await delivered(session, protocols.finalise(session, actor, protocol_id=draft.id))
    assert draft.status is ProtocolStatus.DRAFT and draft.file_id is None
    final = await delivered(
        session, protocols.finalise(session, actor, protocol_id=draft.id, confirmed=True)
    )
    assert final.status is ProtocolStatus.FINAL


async def test_a_protocol_with_an_empty_agenda_cannot_be_approved(session):
    leader, association, _people = await _world(session)
    actor = Actor(leader.telegram_id)
    meeting = Meeting(
        association_id=association.id,
        number=1,
        academic_year=2026,
        topic="Без повестки",
        form="webinar",
        starts_at=datetime(2026, 11, 1, 9, tzinfo=UTC),
        link="https://telemost.yandex.ru/j/1",
        reminders_done=[],
    )
    session.add(meeting)
    await session.flush()
    draft = await protocols.save_draft(session, actor, meeting_id=meeting.id, items=[])
    with pytest.raises(protocols.EmptyAgenda):
        await protocols.finalise(session, actor, protocol_id=draft.id, confirmed=True)
    assert draft.status is ProtocolStatus.DRAFT


async def test_two_approvals_at_once_approve_the_protocol_once(sessions) -> None:  # type: ignore[no-untyped-def]
    async with unit_of_work(sessions) as session:
        leader, association, people = await _world(session)
        meeting = await _meeting(
            session, association, datetime(2026, 11, 1, 9, tzinfo=UTC), 1, 2026
        )
        session.add(MeetingAttendance(meeting_id=meeting.id, user_id=people[0].id))
        actor = Actor(leader.telegram_id)
        draft = await protocols.save_draft(session, actor, meeting_id=meeting.id, items=[ITEM])

    async def approve() -> str:
        try:
            async with unit_of_work(sessions) as session:
                await delivered(session, protocols.finalise(session, actor, protocol_id=draft.id))
        except protocols.ProtocolFinal:
            return "refused"
        return "approved"

    assert sorted(await asyncio.gather(approve(), approve())) == ["approved", "refused"]
    async with sessions() as session:
        files = await session.scalar(select(func.count()).select_from(StoredFile))
    assert files == 1  # one final PDF
