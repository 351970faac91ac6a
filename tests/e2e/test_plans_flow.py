"""/plan end to end: the leader builds a plan, sets a two-step route and submits; the
agreeing person agrees, the approving person returns it with a comment, the leader
resubmits, it is approved; the approved PDF is read back."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from models import NetworkRole, OutboxMessage, User
from models.db import unit_of_work
from models.plans import Plan, PlanApproval, PlanEntry, PlanStatus, RouteStep
from services import plans
from services.access import Actor
from services.clock import set_clock
from services.notices import take_pending
from services.outbox import Outgoing, enqueue
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, press_edit, say

LEADER = 750_001
MEMBER = 750_002
DEPUTY = 750_003
DIRECTOR = 750_004
GROUP = -100_750_001
NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


async def _world(harness, fake_api) -> None:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    for telegram_id, name in (
        (LEADER, "Анна"),
        (MEMBER, "Иван"),
        (DEPUTY, "Мария"),
        (DIRECTOR, "Олег"),
    ):
        fake_api.add_user(telegram_id, name)
    fake_api.add_chat(GROUP, "ВМО математиков", members={LEADER: "administrator"})
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Иванова Анна Петровна")
        association = await make_association(session, leader=leader, chat_id=GROUP)
        await add_member(
            session,
            association,
            await make_teacher(session, MEMBER, full_name="Петров Иван Сергеевич"),
        )
        await make_teacher(
            session, DEPUTY, full_name="Сидорова Мария Ивановна", roles=(NetworkRole.METHODIST,)
        )
        await make_teacher(
            session, DIRECTOR, full_name="Кузнецов Олег Викторович", roles=(NetworkRole.APPROVER,)
        )


async def _add_item(fake_api, screen: dict, when: str, topic: str, form: str) -> dict:  # type: ignore[no-untyped-def]
    await press(fake_api, LEADER, screen, "Добавить", "Укажите месяц или дату")
    await say(fake_api, LEADER, when, "Напишите тему пункта")
    forms = await say(fake_api, LEADER, topic, "Выберите форму проведения")
    people = await press(fake_api, LEADER, forms, form, "Выберите ответственных")
    fake_api.user_presses(LEADER, people, button(people, "Петров"))
    chat = fake_api.world.chat(LEADER)
    await fake_api.wait_for(lambda: "✅ Петров" in str(chat.messages[people["message_id"]]))
    people = chat.messages[people["message_id"]]
    await press(fake_api, LEADER, people, "Готово", "Какой ожидаемый результат")
    chosen = chat.messages[people["message_id"]]
    assert "Ответственные: Петров И. С." in chosen["text"] and not chosen.get("reply_markup")
    return await say(fake_api, LEADER, "Методические рекомендации", "Пункт добавлен")


async def _set_route(fake_api, route: dict, label: str, search: str, position: str) -> dict:  # type: ignore[no-untyped-def]
    await press(fake_api, LEADER, route, label, "часть фамилии")
    found = await say(fake_api, LEADER, search, "Выберите")
    await press(fake_api, LEADER, found, search[:4].capitalize(), "Укажите должность")
    saved = await say(fake_api, LEADER, position, "Маршрут сохранён")
    assert button(saved, "К плану").startswith("plan2:assoc:")  # no dead end
    return await press(fake_api, LEADER, saved, "Маршрут", "Маршрут утверждения")


async def _submit(fake_api) -> None:  # type: ignore[no-untyped-def]
    screen = await say(fake_api, LEADER, "/plan", "План работы")
    checks = await press(fake_api, LEADER, screen, "На согласование", "Перед отправкой")
    fake_api.user_presses(LEADER, checks, button(checks, "тправить"))


async def test_plan_from_dialog_to_approval(harness, fake_api):
    await _world(harness, fake_api)
    screen = await say(fake_api, LEADER, "/plan", "Пунктов пока нет")
    await press(fake_api, LEADER, screen, "Добавить", "Укажите месяц или дату")
    await say(fake_api, LEADER, "когда-нибудь", "Напишите месяц или дату")
    await say(fake_api, LEADER, "/cancel")
    for when, topic, form in (
        ("октябрь", "Функциональная грамотность", "вебинар"),
        ("December", "Формирующее оценивание", "форум"),
        ("02.2027", "Подготовка к ВПР", "семинар"),
        ("15.04.2027", "Итоги года", "конференция"),
    ):
        screen = await _add_item(
            fake_api, await say(fake_api, LEADER, "/plan", "План работы"), when, topic, form
        )
    screen = await say(fake_api, LEADER, "/plan", "4. 15 апреля 2027")
    assert "Функциональная грамотность" in screen["text"]

    route = await press(fake_api, LEADER, screen, "Маршрут", "Пока не задан")
    route = await _set_route(
        fake_api, route, "Кто согласует", "сидорова", "Заместитель директора по УВР"
    )
    route = await _set_route(fake_api, route, "Кто утверждает", "кузнецов", "Директор")
    assert "Согласование: Сидорова" in route["text"] and "Утверждение: Кузнецов" in route["text"]

    screen = await say(fake_api, LEADER, "/plan", "План работы")
    checks = await press(fake_api, LEADER, screen, "На согласование", "Перед отправкой")
    assert "Месяцы без мероприятий" in checks["text"] and "сентябрь" in checks["text"]
    assert "меньше 4" not in checks["text"]
    fake_api.user_presses(LEADER, checks, button(checks, "Всё равно отправить"))
    await harness.app.bot_data["outbox"].drain()

    review = await fake_api.wait_for_message(DEPUTY, "направлен вам на согласование")
    assert review["document"]["file_name"].endswith(".pdf")
    # the approver presses a forged button for the agreement step: refused with an alert
    fake_api.user_presses(DIRECTOR, review, button(review, "Согласовать"))
    await fake_api.wait_for(
        lambda: any(c.params.get("show_alert") for c in fake_api.calls_of("answerCallbackQuery"))
    )
    fake_api.user_presses(DEPUTY, review, button(review, "Согласовать"))
    agreed = await fake_api.wait_for_message(DEPUTY, "Согласовано")
    assert agreed["message_id"] == review["message_id"] and not agreed.get("reply_markup")
    await harness.app.bot_data["outbox"].drain()
    await fake_api.wait_for_message(LEADER, "согласован (Сидорова Мария Ивановна)")

    review = await fake_api.wait_for_message(DIRECTOR, "направлен вам на утверждение")
    await press(fake_api, DIRECTOR, review, "Вернуть", "Что нужно исправить")
    await say(fake_api, DIRECTOR, "Добавьте заседание в марте", "возвращён руководителю")
    settled = fake_api.world.chat(DIRECTOR).messages[review["message_id"]]
    assert "Возвращено на доработку" in settled["caption"] and not settled.get("reply_markup")
    await harness.app.bot_data["outbox"].drain()
    returned = await fake_api.wait_for_message(LEADER, "возвращён на доработку (Кузнецов")
    assert "Добавьте заседание в марте" in returned["text"]

    await _submit(fake_api)
    await harness.app.bot_data["outbox"].drain()
    review = await fake_api.wait_for_message(DEPUTY, "направлен вам на согласование")
    fake_api.user_presses(DEPUTY, review, button(review, "Согласовать"))
    await harness.app.bot_data["outbox"].drain()
    review = await fake_api.wait_for_message(DIRECTOR, "направлен вам на утверждение")
    fake_api.user_presses(DIRECTOR, review, button(review, "Утвердить"))
    approved = await fake_api.wait_for_message(DIRECTOR, "Утверждено")
    assert approved["message_id"] == review["message_id"] and not approved.get("reply_markup")
    await harness.app.bot_data["outbox"].drain()
    await fake_api.wait_for_message(LEADER, "утверждён (версия 1, Кузнецов Олег Викторович)")
    posted = await fake_api.wait_for_message(GROUP, "утверждён")
    assert posted["document"]["file_name"].endswith(".pdf")

    async with harness.sessions() as session:
        plan = await session.scalar(select(Plan))
        assert plan is not None and plan.status is PlanStatus.APPROVED and plan.version == 1

    screen = await say(fake_api, LEADER, "/plan", "утверждён")
    before = len(fake_api.calls_of("sendDocument"))
    fake_api.user_presses(LEADER, screen, button(screen, "PDF"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("sendDocument")) > before)
    sent = fake_api.calls_of("sendDocument")[-1]
    assert int(sent.params["chat_id"]) == LEADER
    text = _pdf_text(sent.files["document"])
    assert "УТВЕРЖДАЮ" in text and "СОГЛАСОВАНО" in text and "Кузнецов" in text
    assert "план работы" in text.lower()
    assert "ПРОЕКТ" not in text
    fake_api.assert_clean()


async def _one_step_world(harness, fake_api) -> None:  # type: ignore[no-untyped-def]
    """The world of `_world`, with a route of one step (the director approves) and an item."""
    await _world(harness, fake_api)
    async with unit_of_work(harness.sessions) as session:
        leader = await session.scalar(select(User).where(User.telegram_id == LEADER))
        director = await session.scalar(select(User).where(User.telegram_id == DIRECTOR))
        assert leader is not None and director is not None
        (association,) = await plans.my_associations(session, Actor(LEADER))
        await plans.set_route_step(
            session,
            Actor(LEADER),
            association_id=association[0].id,
            step=RouteStep.APPROVAL,
            user_id=director.id,
            position="Директор",
        )
        await plans.add_item(
            session,
            Actor(LEADER),
            association_id=association[0].id,
            when=plans.parse_when("октябрь", 2026),
            topic="Функциональная грамотность",
            form="webinar",
            responsible=[leader.id],
            expected_result="Методические рекомендации",
        )


async def test_a_double_press_on_approve_decides_once(harness, fake_api):
    await _one_step_world(harness, fake_api)
    screen = await say(fake_api, LEADER, "/plan", "План работы")
    checks = await press(fake_api, LEADER, screen, "На утверждение", "Перед отправкой")
    fake_api.user_presses(LEADER, checks, button(checks, "тправить"))
    screen = await fake_api.wait_for_message(LEADER, "направлен на утверждение")
    assert "на согласование" not in screen["text"]
    await harness.app.bot_data["outbox"].drain()
    review = await fake_api.wait_for_message(DIRECTOR, "направлен вам на утверждение")

    approve = button(review, "Утвердить")
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(DIRECTOR, review, approve)
    fake_api.user_presses(DIRECTOR, review, approve)
    answers = await fake_api.wait_for(
        lambda: (
            (calls := fake_api.calls_of("answerCallbackQuery")[before:])
            and len(calls) >= 2
            and calls
        )
    )
    alerts = [c.params.get("text", "") for c in answers if c.params.get("show_alert")]
    assert len(alerts) == 1 and "уже пройден" in alerts[0]
    await harness.app.bot_data["outbox"].drain()
    await fake_api.wait_for_message(LEADER, "утверждён (версия 1, Кузнецов Олег Викторович)")
    settled = fake_api.world.chat(DIRECTOR).messages[review["message_id"]]
    assert not settled.get("reply_markup") and "Утверждено" in settled["caption"]
    async with harness.sessions() as session:
        decisions = (await session.scalars(select(PlanApproval))).all()
        told = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == LEADER))
        ).all()
    assert [d.decision for d in decisions] == ["approved"]
    assert len(told) == 1
    fake_api.assert_clean()


async def test_a_members_proposal_is_accepted_once_and_the_proposer_told(harness, fake_api):
    await _world(harness, fake_api)
    screen = await say(fake_api, MEMBER, "/plan", "План работы")
    await press(fake_api, MEMBER, screen, "Предложить пункт", "Укажите месяц или дату")
    await say(fake_api, MEMBER, "февраль", "Что вы предлагаете")
    await say(fake_api, MEMBER, "Обмен опытом по ВПР", "Руководитель рассмотрит")
    await harness.app.bot_data["outbox"].drain()
    offer = await fake_api.wait_for_message(LEADER, "Петров Иван Сергеевич предлагает пункт плана")
    assert "«Обмен опытом по ВПР». Срок: Февраль 2027." in offer["text"]

    accept = button(offer, "Принять")
    fake_api.user_presses(LEADER, offer, accept)
    fake_api.user_presses(LEADER, offer, accept)
    settled = await fake_api.wait_for_message(LEADER, "Включено в план")
    assert settled["message_id"] == offer["message_id"] and not settled.get("reply_markup")
    await fake_api.wait_for(
        lambda: any(
            "уже" in c.params.get("text", "") and c.params.get("show_alert")
            for c in fake_api.calls_of("answerCallbackQuery")
        )
    )
    await harness.app.bot_data["outbox"].drain()
    await fake_api.wait_for_message(
        MEMBER, "Ваше предложение «Обмен опытом по ВПР» включено в план"
    )
    async with harness.sessions() as session:
        items = (await session.scalars(select(PlanEntry))).all()
    assert [item.topic for item in items] == ["Обмен опытом по ВПР"]
    fake_api.assert_clean()


async def test_an_approval_button_of_version_1_still_decides(harness, fake_api):
    """Review messages sent before the `plan2` buttons keep their Approve button working."""
    await _one_step_world(harness, fake_api)
    async with unit_of_work(harness.sessions) as session:
        (association,) = await plans.my_associations(session, Actor(LEADER))
        plan = await plans.current_plan(session, association[0].id)
        await plans.submit(session, Actor(LEADER), plan_id=plan.id)
        take_pending(session)  # the review notice of today is not sent: the old one was
        old = [[{"text": "✅ Утвердить", "callback": f"planr:ok:{plan.id}:0"}]]
        await enqueue(session, [Outgoing(chat_id=DIRECTOR, text="📋 План", buttons=old)])
    await harness.app.bot_data["outbox"].drain()
    review = await fake_api.wait_for_message(DIRECTOR, "📋 План")
    fake_api.user_presses(DIRECTOR, review, button(review, "Утвердить"))
    settled = await fake_api.wait_for_message(DIRECTOR, "Утверждено")
    assert not settled.get("reply_markup")
    await harness.idle()
    async with harness.sessions() as session:
        decided = await session.get_one(Plan, plan.id)
    assert decided.status is PlanStatus.APPROVED


async def test_an_approved_plans_items_are_marked_and_changed_in_a_new_version(harness, fake_api):
    await _one_step_world(harness, fake_api)
    async with unit_of_work(harness.sessions) as session:
        (association,) = await plans.my_associations(session, Actor(LEADER))
        plan = await plans.current_plan(session, association[0].id)
        await plans.submit(session, Actor(LEADER), plan_id=plan.id)
        await plans.decide(session, Actor(DIRECTOR), plan_id=plan.id, step=0, accept=True)
        await harness.app.bot_data["notices"].deliver(session)

    screen = await say(fake_api, LEADER, "/plan", "Версия 1 · утверждён")
    item = await press(fake_api, LEADER, screen, "1. Функциональная", "создаст версию 2")
    item = await press_edit(fake_api, LEADER, item, "Отменено")  # then the list marks it ✖
    screen = await press(fake_api, LEADER, item, "Назад", "✖ 1. Октябрь 2026")

    item = await press(fake_api, LEADER, screen, "1. Функциональная", "создаст версию 2")
    await press(fake_api, LEADER, item, "Изменить тему", "Напишите новую тему пункта")
    saved = await say(fake_api, LEADER, "Читательская грамотность", "Сохранено")
    screen = await press(fake_api, LEADER, saved, "К плану", "Версия 2 · черновик")
    assert "Читательская грамотность" in screen["text"]
    assert button(screen, "Утверждённая версия 1").startswith("plan2:pdf:")

    item = await press(fake_api, LEADER, screen, "1. Читательская", "Читательская грамотность")
    await press(fake_api, LEADER, item, "Удалить", "Пунктов пока нет")
    await harness.idle()  # the edit leaves before the commit
    async with harness.sessions() as session:
        versions = (await session.scalars(select(Plan).order_by(Plan.version))).all()
        kept = (await session.scalars(select(PlanEntry).order_by(PlanEntry.id))).all()
    assert [(p.version, p.status) for p in versions] == [
        (1, PlanStatus.APPROVED),
        (2, PlanStatus.DRAFT),
    ]
    assert [(i.plan_id, i.topic) for i in kept] == [(versions[0].id, "Функциональная грамотность")]
    fake_api.assert_clean()
