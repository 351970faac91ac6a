"""Year plans at the service level: checks, the route, decisions, versions, permissions."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

import handlers.plans  # noqa: F401  (the words of the plan notices)
from bot.i18n import Translator
from bot.notices import NoticeRenderer
from handlers.plans.wording import clip, status_title
from models import NetworkRole, OutboxMessage
from models.db import unit_of_work
from models.plans import PlanApproval, PlanItemStatus, PlanStatus, ProposalStatus, RouteStep
from services import plans
from services.access import Actor
from services.clock import set_clock
from services.errors import PermissionDenied
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


async def _setup(session, *, two_steps: bool = True):  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    leader = await make_teacher(session, full_name="Иванова Анна Петровна")
    association = await make_association(session, leader=leader, chat_id=-100900)
    member = await make_teacher(session, full_name="Петров Иван Сергеевич")
    await add_member(session, association, member)
    deputy = await make_teacher(
        session, full_name="Сидорова Мария Ивановна", roles=(NetworkRole.METHODIST,)
    )
    director = await make_teacher(
        session, full_name="Кузнецов Олег Викторович", roles=(NetworkRole.APPROVER,)
    )
    actor = Actor(leader.telegram_id)
    if two_steps:
        await plans.set_route_step(
            session,
            actor,
            association_id=association.id,
            step=RouteStep.AGREEMENT,
            user_id=deputy.id,
            position="Заместитель директора по УВР",
        )
    await plans.set_route_step(
        session,
        actor,
        association_id=association.id,
        step=RouteStep.APPROVAL,
        user_id=director.id,
        position="Директор",
    )
    return leader, association, member, deputy, director


async def _add(session, leader, association, when, form="webinar", people=None):  # type: ignore[no-untyped-def]
    return await plans.add_item(
        session,
        Actor(leader.telegram_id),
        association_id=association.id,
        when=plans.parse_when(when, 2026),
        topic=f"Тема {when}",
        form=form,
        responsible=people or [leader.id],
        expected_result="Методические рекомендации",
    )


def test_parse_when() -> None:
    assert plans.parse_when("декабрь", 2026) == (2026, 12, None)
    assert plans.parse_when("December", 2026) == (2026, 12, None)
    assert plans.parse_when("март", 2026) == (2027, 3, None)
    assert plans.parse_when("12.2026", 2026) == (2026, 12, None)
    assert plans.parse_when("15.12.2026", 2026) == (2026, 12, date(2026, 12, 15))
    assert plans.parse_when("май", 2026) == (2027, 5, None)
    for bad in ("когда-нибудь", "13.2026", "31.02.2027", ""):
        with pytest.raises(plans.BadMonth):
            plans.parse_when(bad, 2026)


async def test_checks_warn(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, *_ = await _setup(session)
    await _add(session, leader, association, "октябрь")
    await _add(session, leader, association, "12.2027")  # outside the period
    view = await plans.view_of(session, await plans.current_plan(session, association.id))
    messages = {w.message: w.params for w in plans.check(view)}
    assert messages["Fewer than {minimum} meetings are planned ({count})."]["count"] == 2
    assert "Only one form of work is used." in messages
    empty = messages["Months with nothing planned: {months}."]["months"]
    assert "September" in empty and "October" not in empty
    assert messages["Items outside the association's period: {numbers}."] == {"numbers": "2"}
    for month, form in (("ноябрь", "forum"), ("декабрь", "seminar")):
        await _add(session, leader, association, month, form)
    view = await plans.view_of(session, await plans.current_plan(session, association.id))
    messages = {w.message for w in plans.check(view)}
    assert "Only one form of work is used." not in messages
    assert "Fewer than {minimum} meetings are planned ({count})." not in messages


async def test_two_step_route_return_and_reapproval(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, member, deputy, director = await _setup(session)
    for month, form in (("октябрь", "webinar"), ("декабрь", "forum")):
        item = await _add(session, leader, association, month, form, [leader.id, member.id])
    plan = await plans.current_plan(session, association.id)
    await plans.submit(session, Actor(leader.telegram_id), plan_id=plan.id)
    assert plan.status is PlanStatus.SUBMITTED
    with pytest.raises(plans.PlanFrozen):
        await _add(session, leader, association, "март")
    # the approver cannot act before the agreement step; nor can a stranger
    with pytest.raises(plans.NotYourStep):
        await plans.decide(
            session, Actor(director.telegram_id), plan_id=plan.id, step=1, accept=True
        )
    with pytest.raises(plans.NotYourStep):
        await plans.decide(session, Actor(member.telegram_id), plan_id=plan.id, step=0, accept=True)
    await plans.decide(session, Actor(deputy.telegram_id), plan_id=plan.id, step=0, accept=True)
    assert plan.status is PlanStatus.AGREED and plan.current_step == 1
    # the same (now stale) button pressed again
    with pytest.raises(plans.NotYourStep):
        await plans.decide(session, Actor(deputy.telegram_id), plan_id=plan.id, step=0, accept=True)
    await plans.decide(
        session,
        Actor(director.telegram_id),
        plan_id=plan.id,
        step=1,
        accept=False,
        comment="Добавьте заседание в марте",
    )
    assert plan.status is PlanStatus.RETURNED
    assert plan.returned_comment == "Добавьте заседание в марте"
    await NoticeRenderer("ru").deliver(session)
    texts = [
        m.payload.get("text", "")
        for m in (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.chat_id == leader.telegram_id)
            )
        ).all()
    ]
    assert any("согласован (Сидорова Мария Ивановна)" in t for t in texts)
    assert any("Добавьте заседание в марте" in t for t in texts)
    await _add(session, leader, association, "март", "seminar")
    assert plan.status is PlanStatus.DRAFT
    await plans.submit(session, Actor(leader.telegram_id), plan_id=plan.id)
    for person, step in ((deputy, 0), (director, 1)):
        await plans.decide(
            session, Actor(person.telegram_id), plan_id=plan.id, step=step, accept=True
        )
    assert plan.status is PlanStatus.APPROVED and plan.version == 1
    decisions = (await session.scalars(select(PlanApproval).order_by(PlanApproval.id))).all()
    assert [d.decision for d in decisions] == ["agreed", "returned", "agreed", "approved"]
    assert decisions[-1].user_id == director.id and decisions[-1].decided_at is not None
    await NoticeRenderer("ru").deliver(session)
    group = await session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == -100900))
    assert group is not None and group.kind == "document"

    # a change after approval makes version 2, which goes along the route again
    moved = await plans.move_item(
        session, Actor(leader.telegram_id), item_id=item.id, when=plans.parse_when("январь", 2026)
    )
    assert moved.id != item.id and item.month == 12 and moved.month == 1
    current = await plans.current_plan(session, association.id)
    assert current.version == 2 and current.status is PlanStatus.DRAFT
    assert len(await plans.items_of(session, current.id)) == 3
    assert (await plans.approved_plan(session, association.id)).id == plan.id  # type: ignore[union-attr]
    await plans.submit(session, Actor(leader.telegram_id), plan_id=current.id)
    assert current.status is PlanStatus.SUBMITTED and current.current_step == 0


async def test_one_step_route_and_pdf(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, _, _, director = await _setup(session, two_steps=False)
    await _add(session, leader, association, "октябрь")
    plan = await plans.current_plan(session, association.id)
    await plans.submit(session, Actor(leader.telegram_id), plan_id=plan.id)
    await NoticeRenderer("ru").deliver(session)
    review = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.chat_id == director.telegram_id)
    )
    assert review is not None and review.kind == "document"
    assert "plan2:ok" in str(review.payload["buttons"])
    await plans.decide(session, Actor(director.telegram_id), plan_id=plan.id, step=0, accept=True)
    assert plan.status is PlanStatus.APPROVED
    from io import BytesIO

    from pypdf import PdfReader

    pdf = await plans.pdf_of(session, await plans.view_of(session, plan))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "УТВЕРЖДАЮ" in text and "Кузнецов" in text and "СОГЛАСОВАНО" not in text


async def test_permissions(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, member, deputy, _ = await _setup(session)
    with pytest.raises(PermissionDenied):
        await _add(session, member, association, "октябрь")
    item = await _add(session, leader, association, "октябрь")
    with pytest.raises(PermissionDenied):
        await plans.delete_item(session, Actor(member.telegram_id), item_id=item.id)
    with pytest.raises(PermissionDenied):
        await plans.set_route_step(
            session,
            Actor(member.telegram_id),
            association_id=association.id,
            step=RouteStep.APPROVAL,
            user_id=member.id,
            position="Директор",
        )
    with pytest.raises(plans.NotAnApprover):
        await plans.set_route_step(
            session,
            Actor(leader.telegram_id),
            association_id=association.id,
            step=RouteStep.APPROVAL,
            user_id=member.id,
            position="Директор",
        )
    plan = await plans.current_plan(session, association.id)
    with pytest.raises(PermissionDenied):
        await plans.submit(session, Actor(member.telegram_id), plan_id=plan.id)
    # a methodist (not a member) may edit; the search finds route people only
    await _add(session, deputy, association, "ноябрь", people=[leader.id])
    found = await plans.search_route_people(session, "сидор")
    assert [u.id for u in found] == [deputy.id]
    assert await plans.search_route_people(session, "петров") == []


async def test_proposals_and_progress(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, member, _, director = await _setup(session, two_steps=False)
    proposal = await plans.propose(
        session,
        Actor(member.telegram_id),
        association_id=association.id,
        when=plans.parse_when("февраль", 2026),
        topic="Обмен опытом по ВПР",
    )
    await NoticeRenderer("ru").deliver(session)
    to_leader = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.chat_id == leader.telegram_id)
    )
    assert to_leader is not None and "plan2:pans" in str(to_leader.payload["buttons"])
    with pytest.raises(PermissionDenied):
        await plans.decide_proposal(
            session, Actor(member.telegram_id), proposal_id=proposal.id, accept=True
        )
    await plans.decide_proposal(
        session, Actor(leader.telegram_id), proposal_id=proposal.id, accept=True
    )
    assert proposal.status is ProposalStatus.ACCEPTED
    with pytest.raises(plans.ProposalDecided):
        await plans.decide_proposal(
            session, Actor(leader.telegram_id), proposal_id=proposal.id, accept=False
        )
    await NoticeRenderer("ru").deliver(session)
    told = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.chat_id == member.telegram_id)
    )
    assert told is not None and "Обмен опытом" in told.payload["text"]
    plan = await plans.current_plan(session, association.id)
    (item,) = await plans.items_of(session, plan.id)
    assert item.responsible_user_ids == [member.id] and item.month == 2 and item.year == 2027
    with pytest.raises(plans.NotApproved):
        await plans.mark_progress(
            session, Actor(leader.telegram_id), item_id=item.id, status=PlanItemStatus.CANCELLED
        )
    await plans.submit(session, Actor(leader.telegram_id), plan_id=plan.id)
    await plans.decide(session, Actor(director.telegram_id), plan_id=plan.id, step=0, accept=True)
    await plans.mark_progress(
        session, Actor(leader.telegram_id), item_id=item.id, status=PlanItemStatus.MOVED
    )
    assert item.status is PlanItemStatus.MOVED


def test_a_decision_is_dated_where_the_association_is() -> None:
    late_evening_utc = PlanApproval(decided_at=datetime(2026, 11, 25, 22, 30, tzinfo=UTC))
    assert plans._day(late_evening_utc, "Europe/Moscow") == date(2026, 11, 26)
    assert plans._day(late_evening_utc, "Asia/Novosibirsk") == date(2026, 11, 26)
    assert plans._day(late_evening_utc, "Europe/London") == date(2026, 11, 25)


async def _submitted(sessions, *, two_steps: bool):  # type: ignore[no-untyped-def]
    """A world whose plan is sent along its route (one item), committed."""
    async with unit_of_work(sessions) as session:
        people = await _setup(session, two_steps=two_steps)
        leader, association = people[0], people[1]
        await _add(session, leader, association, "октябрь")
        plan = await plans.current_plan(session, association.id)
        await plans.submit(session, Actor(leader.telegram_id), plan_id=plan.id)
        await NoticeRenderer("ru").deliver(session)
    return plan, *people


async def test_two_presses_at_once_decide_once(sessions) -> None:  # type: ignore[no-untyped-def]
    plan, leader, _, _, _, director = await _submitted(sessions, two_steps=False)
    said: list[str] = []

    async def approve() -> None:
        try:
            async with unit_of_work(sessions) as session:
                await plans.decide(
                    session, Actor(director.telegram_id), plan_id=plan.id, step=0, accept=True
                )
                await NoticeRenderer("ru").deliver(session)
            said.append("decided")
        except plans.PlanAlreadyDecided as error:
            said.append(Translator("ru").plain(error.message))

    await asyncio.gather(approve(), approve())
    assert sorted(said) == [
        "decided",
        "Этот этап рассмотрения плана уже пройден: от вас больше ничего не требуется.",
    ]
    async with sessions() as session:
        decisions = (await session.scalars(select(PlanApproval))).all()
        told = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.chat_id == leader.telegram_id)
            )
        ).all()
        group = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == -100900))
        ).all()
    assert [d.decision for d in decisions] == ["approved"]
    assert len(told) == 1 and "утверждён" in told[0].payload["text"]
    assert len(group) == 1


async def test_an_approval_and_a_return_at_once_decide_once(sessions) -> None:  # type: ignore[no-untyped-def]
    plan, _, _, _, deputy, _ = await _submitted(sessions, two_steps=True)
    outcomes: list[str] = []

    async def decide(accept: bool) -> None:
        try:
            async with unit_of_work(sessions) as session:
                await plans.decide(
                    session,
                    Actor(deputy.telegram_id),
                    plan_id=plan.id,
                    step=0,
                    accept=accept,
                    comment="Уточните сроки",
                )
                await NoticeRenderer("ru").deliver(session)
            outcomes.append("agreed" if accept else "returned")
        except plans.PlanAlreadyDecided:
            outcomes.append("refused")

    await asyncio.gather(decide(True), decide(False))
    assert sorted(outcomes) in (["agreed", "refused"], ["refused", "returned"])
    async with sessions() as session:
        decisions = (await session.scalars(select(PlanApproval))).all()
        fresh = await session.get_one(type(plan), plan.id)
    assert len(decisions) == 1
    expected = PlanStatus.AGREED if "agreed" in outcomes else PlanStatus.RETURNED
    assert fresh.status is expected


async def test_the_status_reads_after_the_step_actually_taken(session) -> None:  # type: ignore[no-untyped-def]
    ru = Translator("ru")
    for two_steps, expected in (
        (False, "направлен на утверждение"),
        (True, "направлен на согласование"),
    ):
        leader, association, *_ = await _setup(session, two_steps=two_steps)
        await _add(session, leader, association, "октябрь")
        plan = await plans.current_plan(session, association.id)
        await plans.submit(session, Actor(leader.telegram_id), plan_id=plan.id)
        assert status_title(ru, plan) == expected
    plan.status, plan.current_step = PlanStatus.AGREED, 1
    assert status_title(ru, plan) == "согласован, ожидает утверждения"


def test_item_labels_are_cut_on_a_word_with_an_ellipsis() -> None:
    label = clip("1. Формирование функциональной грамотности школьников")
    assert label == "1. Формирование функциональной…" and len(label) <= 40
    assert clip("1. Итоги года") == "1. Итоги года"
