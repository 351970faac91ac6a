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
from tests.documents.pdf_probe import contains, full_text
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


class _Said:
    """`phrase in _Said(pdf)`: the phrase is in the PDF's text, whatever its hyphenation."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf = pdf

    def __contains__(self, phrase: str) -> bool:
        return contains(self.pdf, phrase)


# ---- section 2: goals and their fulfilment; section 10: the leader's conclusions ----------


def test_goals_are_split_into_items() -> None:
    from services.report.goals import split_goals

    text = "Цель:\n1. Повысить качество уроков;\n2) Внедрить ФОП\n– Обобщить опыт\n\n"
    assert split_goals(text) == ["Повысить качество уроков", "Внедрить ФОП", "Обобщить опыт"]
    assert split_goals("Первое; второе; третье") == ["Первое", "второе", "третье"]
    assert split_goals(None) == [] and split_goals("  \n") == []


def test_the_proposal_rule() -> None:
    from models.report import Fulfilment
    from services.report import PlanFulfilment
    from services.report.goals import propose

    def plan(planned: int, done: int, cancelled: int = 0) -> PlanFulfilment:
        return PlanFulfilment(planned, done, 0, cancelled, ())

    assert propose(plan(5, 4, cancelled=1), 4) is Fulfilment.FULLY  # 4 of 4, norm met
    assert propose(plan(5, 5), 3) is Fulfilment.PARTLY  # the norm is not met
    assert propose(plan(10, 2), 1) is Fulfilment.NOT_DONE
    assert propose(plan(10, 2), 2) is Fulfilment.PARTLY
    assert propose(plan(0, 0), 4) is Fulfilment.FULLY
    assert propose(plan(0, 0), 1) is Fulfilment.PARTLY
    assert propose(plan(0, 0), 0) is Fulfilment.NOT_DONE


async def test_goals_table_and_conclusions_in_the_pdf(session) -> None:  # type: ignore[no-untyped-def]
    from models.report import Fulfilment
    from services.report import goals

    association = await _world(session)
    association.goals = "1. Освоить ФОП\n2. Провести открытые уроки\n3. Обобщить опыт"
    await session.flush()
    data = await report.gather(session, association.id, YEAR)
    # The world: 2 of 4 items done, 4 meetings: «partly» proposed for every goal.
    assert [(g.number, g.text, g.proposed, g.confirmed) for g in data.goal_lines] == [
        (1, "Освоить ФОП", Fulfilment.PARTLY, None),
        (2, "Провести открытые уроки", Fulfilment.PARTLY, None),
        (3, "Обобщить опыт", Fulfilment.PARTLY, None),
    ]
    await goals.save_assessments(
        session,
        association_id=association.id,
        year=2026,
        user_id=None,
        assessments=[
            goals.Assessment("Освоить ФОП", Fulfilment.PARTLY, Fulfilment.FULLY),
            goals.Assessment(
                "Провести открытые уроки", Fulfilment.PARTLY, Fulfilment.PARTLY, "болел учитель"
            ),
            goals.Assessment("Обобщить опыт", Fulfilment.PARTLY, Fulfilment.NOT_DONE, "нет тем"),
        ],
    )
    await goals.save_conclusions(
        session,
        association_id=association.id,
        year=2026,
        user_id=None,
        text="Работа признана удовлетворительной.\nЗадача: провести шесть заседаний.",
    )
    data = await report.gather(session, association.id, YEAR)
    assert [g.value for g in data.goal_lines] == [
        Fulfilment.FULLY,
        Fulfilment.PARTLY,
        Fulfilment.NOT_DONE,
    ]
    assert data.goal_lines[1].reason == "болел учитель"
    text = _Said(build_report(data))
    assert "Освоить ФОП выполнена полностью" in text
    assert "выполнена частично болел учитель" in text
    assert "не выполнена нет тем" in text
    assert "выполнено 2 из 4 пунктов плана" in text
    assert "Из 3 целей и задач выполнено полностью — 1, частично — 1, не выполнено — 1." in text
    assert "Работа признана удовлетворительной." in text
    assert "Задача: провести шесть заседаний." in text
    # Another year sees neither; skipping next year keeps these conclusions.
    other = await report.gather(
        session, association.id, Period(date(2027, 9, 1), date(2028, 8, 31))
    )
    assert other.conclusions == "" and all(g.confirmed is None for g in other.goal_lines)
    assert await goals.kept_conclusions(session, association.id, 2027) == data.conclusions


# ---- section 9: the members' evaluation; section 8: the needs summary --------------------


async def _survey(session, association, template, questions, answers):  # type: ignore[no-untyped-def]
    from models.surveys import (
        Survey,
        SurveyQuestion,
        SurveyResponse,
        SurveyStatus,
    )

    survey = Survey(
        association_id=association.id,
        template=template,
        title="Анкета",
        status=SurveyStatus.CLOSED,
        closes_at=datetime(2027, 5, 25, tzinfo=UTC),
    )
    session.add(survey)
    await session.flush()
    rows = []
    for position, (kind, text, options) in enumerate(questions, 1):
        rows.append(
            SurveyQuestion(
                survey_id=survey.id,
                position=position,
                kind=kind,
                text=text,
                options=list(options),
                builtin=True,
            )
        )
    session.add_all(rows)
    await session.flush()
    session.add_all(
        SurveyResponse(
            id=survey.id * 1000 + n,
            survey_id=survey.id,
            submitted_on=date(2027, 5, 20),
            answers={str(rows[i].id): value for i, value in enumerate(answer)},
        )
        for n, answer in enumerate(answers)
    )
    await session.flush()
    return survey


async def test_members_evaluation(session) -> None:  # type: ignore[no-untyped-def]
    from models.surveys import QuestionKind, SurveyTemplate

    association = await _world(session)
    scale, text = QuestionKind.SCALE, QuestionKind.TEXT
    await _survey(
        session,
        association,
        SurveyTemplate.YEAR,
        [(scale, "Rate the content", ()), (scale, "Rate the leader", ()), (text, "Why?", ())],
        [(5, 4, "хорошо"), (4, 4, None), (3, None, None)],
    )
    words = {
        "Rate the content": "Оцените содержание (от 1 до 5)",
        "Rate the leader": "Оцените руководителя",
    }
    data = await report.gather(session, association.id, YEAR, word=lambda s: words.get(s, s))
    found = data.evaluation
    assert (found.surveys, found.respondents) == (1, 3)
    content, leader = found.scales
    assert (content.text, content.counts, content.answers) == (
        "Оцените содержание",
        (0, 0, 1, 1, 1),
        3,
    )
    assert content.average == 4.0
    assert (leader.counts, leader.answers, leader.average) == ((0, 0, 0, 2, 0), 2, 4.0)
    text_ = _Said(build_report(data))
    assert "9. Оценка работы объединения участниками" in text_
    assert "ответили: 3 чел." in text_
    assert "Оцените содержание 4,0 3 0 0 1 1 1" in text_
    assert "Средний балл по вопросам анкеты (из 5)" in text_
    assert "Средняя оценка работы объединения участниками — 4,0 из 5" in text_


async def test_needs_summary(session) -> None:  # type: ignore[no-untyped-def]
    from models.surveys import QuestionKind, SurveyTemplate

    association = await _world(session)
    options = ("Оценивание", "ОГЭ", "Одарённые", "Родители", "Цифровые ресурсы", "Отчёты")
    await _survey(
        session,
        association,
        SurveyTemplate.NEEDS,
        [(QuestionKind.MULTI, "Difficulties?", options), (QuestionKind.SINGLE, "Format?", ("a",))],
        [([0, 1, 4], 0), ([0, 1], 0), ([0, 3, 5], 0), ([2], 0)],
    )
    needs = (await report.gather(session, association.id, YEAR)).needs
    assert (needs.surveys, needs.respondents) == (1, 4)
    assert [(s.label, s.count, s.percent) for s in needs.top] == [
        ("Оценивание", 3, 75),
        ("ОГЭ", 2, 50),
        ("Одарённые", 1, 25),
        ("Отчёты", 1, 25),
        ("Родители", 1, 25),
    ]
    text = _Said(build_report(await report.gather(session, association.id, YEAR)))
    assert "Диагностика профессиональных потребностей: ответили 4 чел." in text
    assert "Оценивание 3 75" in text and "Цифровые ресурсы" not in text


async def test_empty_association_sections(session) -> None:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    association = await make_association(session, name="ВМО учителей химии")
    association.goals = None
    await session.flush()
    text = _Said(build_report(await report.gather(session, association.id, YEAR)))
    assert "Цели и задачи объединения в системе не записаны." in text
    assert "Диагностика профессиональных потребностей в отчётном периоде не проводилась." in text
    assert "по итогам года в отчётном периоде не проводилось." in text
    assert "Руководитель объединения выводы и задачи пока не сформулировал." in text
    assert "за год не выполнен: заседания не проводились." in text


async def test_the_leaders_texts_are_in_mydata(session) -> None:  # type: ignore[no-untyped-def]
    from models.report import Fulfilment
    from services.access import Actor, user_by_telegram_id
    from services.privacy import export_personal_data
    from services.report import goals

    association = await _world(session)
    leader = await user_by_telegram_id(session, 880_001)
    assert leader is not None
    for call in (
        goals.save_conclusions(
            session, association_id=association.id, year=2026, user_id=leader.id, text="Итоги."
        ),
        goals.save_assessments(
            session,
            association_id=association.id,
            year=2026,
            user_id=leader.id,
            assessments=[goals.Assessment("Цель", Fulfilment.FULLY, Fulfilment.PARTLY, "курсы")],
        ),
    ):
        await call
    exported = await export_personal_data(session, actor=Actor(880_001))
    records = exported["records"]
    assert records["report_conclusions"][0]["text"] == "Итоги."
    assert records["report_goal_assessments"][0]["reason"] == "курсы"
