"""The annual analytical report: the data layer's numbers and the PDF read back."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from documents.report import build_network, build_report
from models.meetings import Meeting, MeetingAttendance
from models.plans import Plan, PlanEntry, PlanItemStatus
from models.user import QualificationCategory
from services import report
from services.activity import Period
from services.clock import set_clock
from tests.documents.pdf_probe import full_text
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2027, 6, 20, 9, 0, tzinfo=UTC)
YEAR = Period(date(2026, 9, 1), date(2027, 8, 31))


async def _world(session):  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    leader = await make_teacher(session, 880_001, full_name="Иванова Анна Петровна")
    one = await make_teacher(session, 880_002, full_name="Петров Илья Сергеевич")
    two = await make_teacher(session, 880_003, full_name="Сидорова Мария Олеговна")
    for person, years, category in (
        (leader, 25, QualificationCategory.HIGHEST),
        (one, 2, QualificationCategory.FIRST),
        (two, 12, QualificationCategory.FIRST),
    ):
        person.experience_years = years
        person.category = category
        person.organisation = "МБОУ СОШ № 1"
        person.position = "учитель математики"
    association = await make_association(session, leader=leader)
    for person in (one, two):
        await add_member(session, association, person)
    meetings = [
        Meeting(
            association_id=association.id,
            number=n,
            academic_year=2026,
            topic=f"Тема заседания {n}",
            form="online",
            starts_at=NOW - timedelta(days=100 - 20 * n),
            link="https://example.org/m",
        )
        for n in (1, 2, 3, 4)
    ]
    session.add_all(meetings)
    plan = Plan(association_id=association.id, academic_year=2026)
    session.add(plan)
    await session.flush()
    session.add_all(
        [MeetingAttendance(meeting_id=m.id, user_id=one.id, source="self") for m in meetings]
        + [MeetingAttendance(meeting_id=meetings[0].id, user_id=two.id, source="self")]
        + [
            PlanEntry(
                plan_id=plan.id, year=2026, month=9 + i, topic=f"П{i}", form="online", status=s
            )
            for i, s in enumerate(
                (
                    PlanItemStatus.DONE,
                    PlanItemStatus.DONE,
                    PlanItemStatus.MOVED,
                    PlanItemStatus.PLANNED,
                )
            )
        ]
    )
    await session.flush()
    return association


async def test_numbers_from_the_database(session) -> None:  # type: ignore[no-untyped-def]
    association = await _world(session)
    data = await report.gather(session, association.id, YEAR)
    assert data.members == 3
    assert data.leader == "Иванова Анна Петровна"
    assert [(s.label, s.count) for s in data.by_category] == [("первая", 2), ("высшая", 1)]
    assert {s.label: s.count for s in data.by_experience} == {
        "до 3 лет": 1,
        "от 10 до 20 лет": 1,
        "20 лет и более": 1,
    }
    assert (data.plan.planned, data.plan.done, data.plan.moved, data.plan.not_done) == (4, 2, 1, 1)
    assert [m.present for m in data.meetings] == [2, 1, 1, 1]
    assert data.meetings[0].share == 67
    assert data.norm_met
    assert data.most_active[0] == "Петров Илья Сергеевич"
    assert data.least_active[0] == "Иванова Анна Петровна"


async def test_pdf_text(session) -> None:  # type: ignore[no-untyped-def]
    association = await _world(session)
    pdf = build_report(await report.gather(session, association.id, YEAR))
    text = full_text(pdf)
    assert "за 2026/2027 учебный год" in text.replace("\u00a0", " ")
    assert "Формирование функциональной грамотности" in text
    assert "Всего участников: 3 чел." in text
    assert "банк ресурсов не поступали" in text
    assert "выполнено: 2; перенесено: 1" in text
    assert "Проведено заседаний: 4 при нормативе 4 (норматив выполнен)" in text
    assert "Посещаемость заседаний, чел." in text
    assert "Тема заседания 3" in text


async def test_empty_association(session) -> None:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    association = await make_association(session, name="ВМО учителей химии")
    data = await report.gather(session, association.id, YEAR)
    assert data.members == 0 and data.held == 0 and data.active_in_many.percent == 0
    text = full_text(build_report(data))
    assert "В объединении пока нет участников." in text
    assert "заседания не проводились" in text
    assert "норматив не выполнен" in text


async def test_command_line(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bot.__main__ import _report
    from bot.settings import load_settings
    from models.db import create_engine, create_session_factory, unit_of_work
    from models.migrate import upgrade

    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    async with unit_of_work(create_session_factory(engine)) as session:
        association_id = (await _world(session)).id
    await engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    pdf = await _report(load_settings(), association_id, "2026-09-01", "2027-08-31")
    assert "Проведено заседаний: 4" in full_text(pdf)


async def test_network_summary(session) -> None:  # type: ignore[no-untyped-def]
    association = await _world(session)
    await make_association(session, name="ВМО учителей истории")
    data = await report.gather_network(session, YEAR)
    line = next(line for line in data.lines if line.association_id == association.id)
    assert (line.members, line.held, line.planned, line.done) == (3, 4, 4, 2)
    assert line.active_percent == 67 and line.plan_percent == 50
    assert data.norm_met == 1
    text = full_text(build_network(data))
    assert "СВОДНАЯ СПРАВКА" in text
    assert "норматив в четыре заседания выполнили 1 (50 %)" in text
    assert "ВМО учителей истории" in text


async def test_resource_bank(session) -> None:  # type: ignore[no-untyped-def]
    from models import ActivityEvent
    from tests.factories import make_material

    association = await _world(session)
    october = datetime(2026, 10, 5, 9, tzinfo=UTC)
    first = await make_material(session, title="Задачи на проценты", association=association)
    second = await make_material(session, title="Рабочий лист", association=association)
    first.submitted_at = first.approved_at = second.submitted_at = october
    second.approved_at = datetime(2026, 11, 2, 9, tzinfo=UTC)
    january = datetime(2027, 1, 9, tzinfo=UTC)
    downloads = [
        (first.id, october),
        (first.id, october),
        (second.id, january),
    ]
    session.add_all(
        ActivityEvent(kind="material_downloaded", association_id=association.id, ref_id=ref, at=at)
        for ref, at in downloads
    )
    await session.flush()
    bank = (await report.gather(session, association.id, YEAR)).bank
    assert (bank.added, bank.approved, bank.downloads) == (2, 2, 3)
    months = {(m.year, m.month): (m.added, m.approved, m.downloads) for m in bank.months}
    assert months[(2026, 10)] == (2, 1, 2) and months[(2026, 11)] == (0, 1, 0)
    assert months[(2027, 1)] == (0, 0, 1) and len(bank.months) == 12
    assert bank.top == (("Задачи на проценты", 2), ("Рабочий лист", 1))
    text = full_text(build_report(await report.gather(session, association.id, YEAR)))
    assert "Поступило материалов: 2; одобрено: 2; скачиваний: 3." in text
    assert "Скачивания материалов по месяцам" in text and "Задачи на проценты" in text


async def test_sent_privately_to_the_leader_and_approvers_once(session) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from bot.notices import NoticeRenderer
    from models.outbox import OutboxMessage
    from models.user import NetworkRole
    from services.report_delivery import send_annual_reports

    association = await _world(session)
    approver = await make_teacher(session, 880_010, roles=(NetworkRole.APPROVER,))
    association.chat_id = -100_555
    await session.flush()
    import handlers.report.notices  # noqa: F401

    renderer = NoticeRenderer("ru")
    assert await send_annual_reports(session) == 2
    await renderer.deliver(session)
    assert await send_annual_reports(session) == 0
    rows = (await session.execute(select(OutboxMessage))).scalars().all()
    chats = sorted(row.chat_id for row in rows)
    assert chats == sorted([880_001, approver.telegram_id])
    assert all(row.file_id for row in rows)
    assert "Аналитическая справка о работе «ВМО учителей математики»" in rows[0].payload["text"]


async def test_not_before_the_season(session) -> None:  # type: ignore[no-untyped-def]
    from services.report_delivery import send_annual_reports

    await _world(session)
    set_clock(lambda: datetime(2027, 5, 20, 9, tzinfo=UTC))
    assert await send_annual_reports(session) == 0


async def test_consultations_and_tasks(session) -> None:  # type: ignore[no-untyped-def]
    from models.consultations import Consultation

    association = await _world(session)
    asker = (await make_teacher(session, 880_020)).id
    asked = datetime(2026, 10, 1, 9, tzinfo=UTC)
    session.add_all(
        [
            Consultation(
                asker_id=asker,
                association_id=association.id,
                question="Как?",
                created_at=asked,
                answered_at=asked + timedelta(hours=2),
                rating=5,
            ),
            Consultation(
                asker_id=asker,
                association_id=association.id,
                question="Где?",
                created_at=asked,
                answered_at=asked + timedelta(hours=6),
                rating=4,
            ),
            Consultation(
                asker_id=asker, association_id=association.id, question="Когда?", created_at=asked
            ),
        ]
    )
    await session.flush()
    sup = (await report.gather(session, association.id, YEAR)).support
    assert (sup.questions, sup.answered, sup.median_hours, sup.average_rating) == (3, 2, 4.0, 4.5)
    assert sup.tasks == 0
    text = full_text(build_report(await report.gather(session, association.id, YEAR)))
    assert "Задано вопросов: 3; получили ответ: 2. Время ответа (медиана): 4,0 ч." in text
    assert "Средняя оценка ответов: 4,5 из 5 (оценок: 2)." in text
    assert "задания участникам не выдавались" in text
    assert "анкетирования не проводились" in text


async def test_statements_do_not_grow_with_members(session) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import event

    association = await _world(session)
    statements: list[str] = []

    def count(*args) -> None:  # type: ignore[no-untyped-def]
        statements.append(args[2])

    engine = session.bind.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        await report.gather(session, association.id, YEAR)
        few = len(statements)
        for n in range(20):
            await add_member(session, association, await make_teacher(session, 881_000 + n))
        statements.clear()
        await report.gather(session, association.id, YEAR)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert 0 < len(statements) == few


async def test_anonymous_names(session) -> None:  # type: ignore[no-untyped-def]
    association = await _world(session)
    data = await report.gather(session, association.id, YEAR, anonymous=True)
    assert data.most_active[0] == "участник № 2"
    text = full_text(build_report(data))
    assert "Петров" not in text.split("Наиболее активные")[1]


async def test_survey_response_rate(session) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from models.association import Membership
    from models.surveys import Survey, SurveyInvitation

    association = await _world(session)
    survey = Survey(
        association_id=association.id,
        title="Итоги года",
        closes_at=datetime(2027, 5, 30, tzinfo=UTC),
    )
    session.add(survey)
    await session.flush()
    members = (
        await session.execute(
            select(Membership.user_id).where(Membership.association_id == association.id)
        )
    ).scalars()
    session.add_all(
        SurveyInvitation(survey_id=survey.id, user_id=user, answered=n < 2)
        for n, user in enumerate(members)
    )
    await session.flush()
    sup = (await report.gather(session, association.id, YEAR)).support
    assert (sup.surveys, sup.invited, sup.responded) == (1, 3, 2)
    text = full_text(build_report(await report.gather(session, association.id, YEAR)))
    assert "Проведено анкетирований: 1; приглашений: 3; ответили: 2 (67 %)." in text
