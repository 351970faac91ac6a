"""/report end to end: the leader chooses the period, confirms one goal, corrects another
with a reason, writes the conclusions and gets the PDF in private (read back); a custom
period is parsed and a bad one explained; a plain member is refused politely; /report in
the group answers with a way to the private chat and sends nothing into the group."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models.db import unit_of_work
from models.meetings import Meeting
from models.plans import Plan, PlanEntry, PlanItemStatus
from models.report import Fulfilment, ReportConclusions, ReportGoalAssessment
from services.clock import set_clock
from tests.documents.pdf_probe import contains
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

LEADER = 771_001
MEMBER = 771_002
GROUP = -100_771_000
NOW = datetime(2027, 5, 20, 9, 0, tzinfo=UTC)
GOALS = "1. Освоить обновлённые ФГОС\n2. Провести открытые уроки"


async def _world(harness, fake_api, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DOCUMENT_PROCESSES", "0")
    set_clock(lambda: NOW)
    fake_api.add_user(LEADER, "Анна")
    fake_api.add_user(MEMBER, "Иван")
    fake_api.add_chat(GROUP, "ВМО математиков", members={LEADER: "creator", MEMBER: "member"})
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Иванова Анна Петровна")
        association = await make_association(session, leader=leader)
        association.goals = GOALS
        association.chat_id = GROUP
        await add_member(
            session, association, await make_teacher(session, MEMBER, full_name="Петров Иван")
        )
        session.add_all(
            Meeting(
                association_id=association.id,
                number=n,
                academic_year=2026,
                topic=f"Тема {n}",
                form="online",
                starts_at=NOW - timedelta(days=30 * n),
                link="https://example.org/m",
            )
            for n in (1, 2, 3)
        )
        plan = Plan(association_id=association.id, academic_year=2026)
        session.add(plan)
        await session.flush()
        session.add_all(
            PlanEntry(
                plan_id=plan.id, year=2026, month=9 + i, topic=f"П{i}", form="online", status=s
            )
            for i, s in enumerate(
                (PlanItemStatus.DONE, PlanItemStatus.DONE, PlanItemStatus.PLANNED)
            )
        )


async def _pdf(harness, fake_api) -> bytes:  # type: ignore[no-untyped-def]
    await harness.idle(0.2)
    await harness.app.bot_data["outbox"].drain()
    sent = await fake_api.wait_for_message(LEADER, "Аналитическая справка о работе")
    assert sent["chat"]["id"] == LEADER
    return fake_api.world.files.get(sent["document"]["file_id"]).content


async def test_the_leader_assesses_goals_and_gets_the_pdf(harness, fake_api, monkeypatch):
    await _world(harness, fake_api, monkeypatch)
    period = await say(fake_api, LEADER, "/report", "За какой период?")
    goal = await press(fake_api, LEADER, period, "Текущий учебный год (2026/2027)", "из 2")
    # 2 of 3 items done, 3 meetings: «partly» proposed, with the facts it rests on.
    assert "Освоить обновлённые ФГОС" in goal["text"]
    assert "Бот предлагает оценку: выполнена частично" in goal["text"]
    assert "выполнено пунктов плана: 2 из 3; проведено 3 заседания при нормативе 4" in goal["text"]
    first, markup = goal, goal["reply_markup"]
    goal = await press(fake_api, LEADER, goal, "Полностью", "Цель (задача) 2 из 2", new=True)
    assert "Провести открытые уроки" in goal["text"]
    settled = fake_api.world.chat(LEADER).messages[first["message_id"]]
    assert "➡️ ✅ Полностью" in settled["text"] and not settled.get("reply_markup")
    # a forged press under the first goal's question does not assess the second
    forged = {**settled, "reply_markup": markup}
    fake_api.world.chat(LEADER).messages[first["message_id"]] = forged
    fake_api.user_presses(LEADER, forged, button(forged, "Не выполнена"))
    again = await fake_api.wait_for_message(LEADER, "Цель (задача) 2 из 2", edits=False)
    assert "Провести открытые уроки" in again["text"]
    await harness.restart()  # the dialog goes on where it stopped
    why = await press(fake_api, LEADER, goal, "Не выполнена", "почему?", new=True)
    assert "Цель не выполнена — почему?" in why["text"]
    await say(fake_api, LEADER, "   ", "несколько слов")  # empty: explained, asked again
    await say(fake_api, LEADER, "учителя на курсах", "Напишите ваши выводы")
    await say(fake_api, LEADER, "Работа удовлетворительна.\nЗадача: шесть заседаний.", "готовится")
    pdf = await _pdf(harness, fake_api)
    assert contains(pdf, "Освоить обновлённые ФГОС выполнена полностью")
    assert contains(pdf, "Провести открытые уроки не выполнена учителя на курсах")
    assert contains(pdf, "Работа удовлетворительна.")
    assert contains(pdf, "Задача: шесть заседаний.")
    async with harness.sessions() as session:
        stored = (await session.scalars(select(ReportGoalAssessment))).all()
        assert [(a.goal, a.proposed, a.confirmed, a.reason) for a in stored] == [
            ("Освоить обновлённые ФГОС", Fulfilment.PARTLY, Fulfilment.FULLY, None),
            (
                "Провести открытые уроки",
                Fulfilment.PARTLY,
                Fulfilment.NOT_DONE,
                "учителя на курсах",
            ),
        ]
    assert not [m for m in fake_api.sent_to(GROUP) if m.get("document")]

    # Again, with a custom period: all kept as proposed, the conclusions kept.
    period = await say(fake_api, LEADER, "/report", "За какой период?")
    await press(fake_api, LEADER, period, "Другой период", "две даты")
    await say(fake_api, LEADER, "с первого сентября", "Не удалось прочитать период")
    await say(fake_api, LEADER, "31.05.2027 – 01.09.2026", "раньше, чем начинается")
    goal = await say(fake_api, LEADER, "01.09.2026 – 31.05.2027", "из 2")
    assert "Ваша прежняя оценка: выполнена полностью" in goal["text"]
    keep = await press(fake_api, LEADER, goal, "Оставить все оценки", "оставьте написанные")
    assert "Работа удовлетворительна." in keep["text"]
    await press(fake_api, LEADER, keep, "Оставить эти", "готовится", new=True)
    pdf = await _pdf(harness, fake_api)
    assert contains(pdf, "Освоить обновлённые ФГОС выполнена частично")
    assert contains(pdf, "Работа удовлетворительна.")
    async with harness.sessions() as session:
        rows = (await session.scalars(select(ReportConclusions))).all()
        assert len(rows) == 1 and rows[0].academic_year == 2026


async def test_a_member_is_refused_and_the_group_is_sent_to_private(harness, fake_api, monkeypatch):
    await _world(harness, fake_api, monkeypatch)
    refused = await say(fake_api, MEMBER, "/report", "руководитель объединения")
    assert "Аналитическую справку составляет" in refused["text"]
    fake_api.user_sends(LEADER, "/report", chat_id=GROUP)
    answer = await fake_api.wait_for_message(GROUP, "только в личном чате")
    link = answer["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert link.endswith("?start=report")
    # the link's /start opens the choice in private
    period = await say(fake_api, LEADER, "/start report", "За какой период?")
    assert button(period, "Текущий учебный год (2026/2027)")
    assert not [m for m in fake_api.sent_to(GROUP) if m.get("document")]


async def test_a_stale_goal_button_is_refused(harness, fake_api, monkeypatch):
    await _world(harness, fake_api, monkeypatch)
    period = await say(fake_api, LEADER, "/report", "За какой период?")
    goal = await press(fake_api, LEADER, period, "Текущий учебный год", "из 2")
    await say(fake_api, LEADER, "/cancel")
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(
        LEADER, goal, goal["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    )
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    async with harness.sessions() as session:
        assert not (await session.scalars(select(ReportGoalAssessment))).all()


async def test_a_methodist_gets_the_network_summary_and_a_report(harness, fake_api, monkeypatch):
    from models.user import NetworkRole

    methodist = 771_009
    await _world(harness, fake_api, monkeypatch)
    fake_api.add_user(methodist, "Ольга")
    async with unit_of_work(harness.sessions) as session:
        await make_teacher(session, methodist, roles=(NetworkRole.METHODIST,))
    choice = await say(fake_api, methodist, "/report", "О каком объединении справка?")
    period = await press(fake_api, methodist, choice, "Сводная справка по сети", "За какой период?")
    await press(fake_api, methodist, period, "Текущий учебный год", "готовится", new=True)
    await harness.idle(0.2)
    await harness.app.bot_data["outbox"].drain()
    sent = await fake_api.wait_for_message(methodist, "Сводная справка о работе объединений")
    assert contains(
        fake_api.world.files.get(sent["document"]["file_id"]).content, "СВОДНАЯ СПРАВКА"
    )
    # an association's report: no goals dialog for a methodist, the bot's proposals printed
    choice = await say(fake_api, methodist, "/report математ", "О каком объединении справка?")
    period = await press(fake_api, methodist, choice, "ВМО учителей математики", "За какой период?")
    await press(fake_api, methodist, period, "Текущий учебный год", "готовится", new=True)
    await harness.idle(0.2)
    await harness.app.bot_data["outbox"].drain()
    sent = await fake_api.wait_for_message(methodist, "Аналитическая справка о работе")
    pdf = fake_api.world.files.get(sent["document"]["file_id"]).content
    assert contains(pdf, "Освоить обновлённые ФГОС выполнена частично (предложено по данным плана)")
    nothing = await say(fake_api, methodist, "/report биология", "Нет объединения")
    assert "«биология»" in nothing["text"]
