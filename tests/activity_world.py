"""A year of known activity in one association, for the ranking, nominations and /portfolio
tests (services and end to end).

On 1 March 2027 (Moscow), in «ВМО учителей математики» (6 meetings held this academic
year, one cancelled, one to come; one held the year before):

- Петров Иван Сергеевич: 5 meetings, the material «Дроби в 5 классе», a task → 33
- Сидорова Мария Ивановна: 3 meetings, 10 group messages, a question → 18
- the leader Иванова Анна Петровна: 1 meeting → 5
- nine members with n group messages (n = 1…9) → 0.2 n
- Попов Пётр Петрович, Васильева Вера Викторовна: nothing → 0
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from models import ActivityEvent, Association, Membership, User
from models.meetings import Meeting, MeetingAttendance, MeetingStatus
from models.resources import Material, MaterialKind, MaterialStatus
from models.tasks import Task, TaskAssignment, TaskAudience
from services.clock import set_clock
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LEADER_NAME = "Иванова Анна Петровна"
STAR = "Петров Иван Сергеевич"
SECOND = "Сидорова Мария Ивановна"
ZEROES = ("Попов Пётр Петрович", "Васильева Вера Викторовна")
CHATTY = (
    "Кузнецов Олег Викторович",
    "Смирнова Елена Олеговна",
    "Лебедев Артём Игоревич",
    "Козлова Ирина Павловна",
    "Новиков Денис Андреевич",
    "Морозова Ольга Сергеевна",
    "Волков Никита Ильич",
    "Соколова Дарья Максимовна",
    "Константинопольская Екатерина Александровна",
)
TOPICS = (
    "Функциональная грамотность на уроках математики",
    "Формирующее оценивание",
    "Подготовка к ОГЭ: задачи с практическим содержанием",
    "Проектная деятельность в 5–6 классах",
    "Цифровые инструменты учителя",
    "Наставничество молодых педагогов",
)


@dataclass
class World:
    association: Association
    leader: User
    star: User
    second: User
    chatty: list[User]
    zeroes: list[User]
    meetings: list[Meeting]


async def build_world(session: AsyncSession, telegram_base: int = 790_000) -> World:
    """The association and its year; telegram ids are `telegram_base` + 1 (the leader),
    + 2 (Петров), + 3 (Сидорова), + 10… (the others)."""
    set_clock(lambda: NOW)
    leader = await make_teacher(session, telegram_base + 1, full_name=LEADER_NAME)
    association = await make_association(session, leader=leader)
    star = await make_teacher(
        session, telegram_base + 2, full_name=STAR, organisation="МБОУ «Гимназия № 12»"
    )
    second = await make_teacher(session, telegram_base + 3, full_name=SECOND, position="methodist")
    chatty = [
        await make_teacher(session, telegram_base + 10 + n, full_name=name)
        for n, name in enumerate(CHATTY)
    ]
    zeroes = [
        await make_teacher(session, telegram_base + 30 + n, full_name=name)
        for n, name in enumerate(ZEROES)
    ]
    for person in (star, second, *chatty, *zeroes):
        await add_member(session, association, person)
    await session.execute(  # everyone joined before the previous academic year ended
        update(Membership)
        .where(Membership.association_id == association.id)
        .values(joined_at=datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    )

    meetings = [
        Meeting(
            association_id=association.id,
            number=n + 1,
            academic_year=2026,
            topic=topic,
            form="webinar",
            starts_at=datetime(2026, 9 + n, 15, 12, 0, tzinfo=UTC)
            if n < 4
            else datetime(2027, n - 3, 20, 12, 0, tzinfo=UTC),
            link="https://example.org/m",
        )
        for n, topic in enumerate(TOPICS)
    ]
    cancelled = Meeting(
        association_id=association.id,
        number=7,
        academic_year=2026,
        topic="Отменённое заседание",
        form="webinar",
        starts_at=NOW - timedelta(days=3),
        link="https://example.org/m",
        status=MeetingStatus.CANCELLED,
    )
    coming = Meeting(
        association_id=association.id,
        number=8,
        academic_year=2026,
        topic="Будущее заседание",
        form="webinar",
        starts_at=NOW + timedelta(days=10),
        link="https://example.org/m",
    )
    last_year = Meeting(
        association_id=association.id,
        number=4,
        academic_year=2025,
        topic="Итоги прошлого года",
        form="seminar",
        starts_at=datetime(2026, 5, 20, 12, 0, tzinfo=UTC),
        link="https://example.org/m",
    )
    session.add_all([*meetings, cancelled, coming, last_year])
    await session.flush()
    marks = [(m, star) for m in meetings[:5]] + [(m, second) for m in meetings[:3]]
    marks += [(meetings[0], leader), (cancelled, star), (last_year, star)]
    session.add_all(
        MeetingAttendance(meeting_id=m.id, user_id=person.id, source="self") for m, person in marks
    )
    events = [("group_message", second, NOW - timedelta(days=d + 1)) for d in range(10)]
    events += [
        ("group_message", person, NOW - timedelta(days=d + 1))
        for n, person in enumerate(chatty, 1)
        for d in range(n)
    ]
    events.append(("consultation_asked", second, NOW - timedelta(days=5)))
    session.add_all(
        ActivityEvent(kind=kind, user_id=person.id, association_id=association.id, at=at)
        for kind, person, at in events
    )
    task = Task(
        association_id=association.id,
        title="Конспект открытого урока",
        description="Подготовьте конспект",
        audience=TaskAudience.ALL,
        due_on=date(2027, 2, 1),
    )
    session.add_all(
        [
            task,
            Material(
                association_id=association.id,
                author_user_id=star.id,
                kind=MaterialKind.LESSON_PLAN,
                title="Дроби в 5 классе",
                status=MaterialStatus.APPROVED,
                approved_at=datetime(2026, 11, 10, 10, 0, tzinfo=UTC),
            ),
        ]
    )
    await session.flush()
    session.add(
        TaskAssignment(
            task_id=task.id,
            user_id=star.id,
            submissions=1,
            submitted_at=datetime(2027, 1, 25, 10, 0, tzinfo=UTC),
        )
    )
    await session.flush()
    return World(association, leader, star, second, chatty, zeroes, meetings)
