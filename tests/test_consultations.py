"""Consultations at the service level (SQLite and PostgreSQL): routing, the race to take a
question, answers and ratings, the sweeps' reminders and escalation, the FAQ, mentors,
timings, and /forget."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

import handlers.consultations  # noqa: F401  (registers the notices' renderers)
from bot.notices import NoticeRenderer
from models import MemberRole, NetworkRole, OutboxMessage
from models.consultations import Consultation, ConsultationStatus, Mentorship
from models.db import unit_of_work
from services import consultations as service
from services import privacy
from services.access import Actor
from services.clock import set_clock
from services.errors import PermissionDenied
from services.notices import take_pending
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def _at(hours: float) -> None:
    moment = NOW + timedelta(hours=hours)
    set_clock(lambda: moment)


def _told(session) -> list[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    """The notices recorded so far, as (kind, recipient's telegram id), forgotten."""
    return [(n.kind, n.user.telegram_id if n.user else None) for n in take_pending(session)]


async def _world(sessions) -> dict:  # type: ignore[no-untyped-def]
    """An association with a leader, an expert, a member, a young specialist and an
    experienced member; a network methodist and a network expert outside it."""
    _at(0)
    async with unit_of_work(sessions) as session:
        people = {
            name: await make_teacher(session, experience_years=years)
            for name, years in (
                ("leader", 20),
                ("expert", 12),
                ("member", 8),
                ("young", 1),
                ("senior", 25),
            )
        }
        people["methodist"] = await make_teacher(session, roles=(NetworkRole.METHODIST,))
        people["network_expert"] = await make_teacher(session, roles=(NetworkRole.EXPERT,))
        association = await make_association(session, leader=people["leader"])
        await add_member(session, association, people["expert"], role=MemberRole.EXPERT)
        for name in ("member", "young", "senior"):
            await add_member(session, association, people[name])
        return {
            "association": association.id,
            **{name: (user.id, Actor(user.telegram_id)) for name, user in people.items()},
        }


async def _ask(sessions, w, who: str = "member", *, network: bool = False) -> int:  # type: ignore[no-untyped-def]
    async with unit_of_work(sessions) as session:
        consultation = await service.ask(
            session,
            w[who][1],
            association_id=None if network else w["association"],
            text="Как вести портфолио ученика?",
            attachments=[service.Attachment("file-1"), service.Attachment("photo-1", True)],
        )
        await NoticeRenderer("ru").deliver(session)
        return consultation.id


async def test_an_association_question_goes_to_its_leader_and_experts(sessions):
    w = await _world(sessions)
    async with unit_of_work(sessions) as session:
        await service.ask(session, w["member"][1], association_id=w["association"], text="Вопрос?")
        told = _told(session)
    assert sorted(told) == sorted(
        [
            ("consultation.new", w["leader"][1].telegram_id),
            ("consultation.new", w["expert"][1].telegram_id),
        ]
    )


async def test_a_network_question_goes_to_methodists_and_network_experts(sessions):
    w = await _world(sessions)
    async with unit_of_work(sessions) as session:
        await service.ask(session, w["leader"][1], association_id=None, text="Вопрос сети?")
        told = {telegram_id for _, telegram_id in _told(session)}
    assert told == {w["methodist"][1].telegram_id, w["network_expert"][1].telegram_id}


async def test_one_cannot_ask_in_an_association_one_is_not_in(sessions):
    w = await _world(sessions)
    async with unit_of_work(sessions) as session:
        outsider = await make_teacher(session)
    async with sessions() as session:
        with pytest.raises(service.NotInAssociation):
            await service.ask(
                session,
                Actor(outsider.telegram_id),
                association_id=w["association"],
                text="Вопрос?",
            )
    with pytest.raises(service.BadQuestionText):
        service.clean_question("  ?  ")


async def _take(sessions, actor: Actor, consultation_id: int) -> str:  # type: ignore[no-untyped-def]
    try:
        async with unit_of_work(sessions) as session:
            await service.take(session, actor, consultation_id)
            await asyncio.sleep(0.05)  # hold the lock while the other one tries
            await NoticeRenderer("ru").deliver(session)
    except service.AlreadyTaken:
        return "refused"
    return "took"


async def test_two_take_at_once_only_one_wins_and_the_others_copy_is_edited(sessions):
    w = await _world(sessions)
    consultation_id = await _ask(sessions, w)
    results = await asyncio.gather(
        _take(sessions, w["leader"][1], consultation_id),
        _take(sessions, w["expert"][1], consultation_id),
    )
    assert sorted(results) == ["refused", "took"]
    winner = "leader" if results[0] == "took" else "expert"
    loser = "expert" if winner == "leader" else "leader"
    async with sessions() as session:
        consultation = await session.get(Consultation, consultation_id)
        assert consultation.assignee_id == w[winner][0]
        assert consultation.status is ConsultationStatus.ASSIGNED
        edits = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "edit"))
        ).all()
    assert [e.edit_of for e in edits] == [service.copy_key(consultation_id, w[loser][0])]
    async with sessions() as session:  # the loser may not answer it either
        with pytest.raises(service.AlreadyTaken):
            await service.answer(
                session, w[loser][1], consultation_id=consultation_id, text="Мой ответ"
            )


async def test_the_answer_reaches_the_asker_who_rates_it_once(sessions):
    w = await _world(sessions)
    consultation_id = await _ask(sessions, w)
    async with sessions() as session:
        with pytest.raises(service.NotAnswered):
            await service.rate(session, w["member"][1], consultation_id=consultation_id, score=5)
        with pytest.raises(PermissionDenied):  # a plain member is no responder
            await service.answer(
                session, w["senior"][1], consultation_id=consultation_id, text="Ответ"
            )
    async with unit_of_work(sessions) as session:
        await service.answer(
            session,
            w["expert"][1],
            consultation_id=consultation_id,
            text="Ведите по разделам.",
            attachments=[service.Attachment("answer-file")],
        )
        told = _told(session)
    assert ("consultation.answered", w["member"][1].telegram_id) in told
    async with sessions() as session:
        with pytest.raises(service.BadRating):
            await service.rate(session, w["member"][1], consultation_id=consultation_id, score=6)
        with pytest.raises(service.NotFound):  # somebody else's question
            await service.rate(session, w["senior"][1], consultation_id=consultation_id, score=5)
        answer_files = await service.files(
            session, w["member"][1], consultation_id, service.FilePart.ANSWER
        )
        assert [f.telegram_file_id for f in answer_files] == ["answer-file"]
    async with unit_of_work(sessions) as session:
        await service.rate(session, w["member"][1], consultation_id=consultation_id, score=4)
        assert _told(session) == [("consultation.rated", w["expert"][1].telegram_id)]
    async with sessions() as session:
        consultation = await session.get(Consultation, consultation_id)
        assert (consultation.rating, consultation.status) == (4, ConsultationStatus.CLOSED)
        with pytest.raises(service.QuestionClosed):
            await service.close(session, w["member"][1], consultation_id)


async def test_reminder_then_escalation_once_each_then_the_leader_takes_over(sessions):
    w = await _world(sessions)
    consultation_id = await _ask(sessions, w)
    async with unit_of_work(sessions) as session:
        await service.take(session, w["expert"][1], consultation_id)
        take_pending(session)
    expert, leader = w["expert"][1].telegram_id, w["leader"][1].telegram_id
    for hours, sweep, expected in (
        (23, service.remind_unanswered, []),
        (25, service.remind_unanswered, [("consultation.reminder", expert)]),
        (26, service.remind_unanswered, []),
        (71, service.escalate_unanswered, []),
        (73, service.escalate_unanswered, [("consultation.escalated", leader)]),
        (80, service.escalate_unanswered, []),
    ):
        _at(hours)
        async with unit_of_work(sessions) as session:
            await sweep(session)
            assert _told(session) == expected, hours
    async with unit_of_work(sessions) as session:
        await service.take(session, w["leader"][1], consultation_id)
        take_pending(session)
        consultation = await session.get(Consultation, consultation_id)
        assert consultation.assignee_id == w["leader"][0]
    async with sessions() as session:  # only the one it was escalated to takes it over
        with pytest.raises(service.AlreadyTaken):
            await service.take(session, w["expert"][1], consultation_id)


async def test_timings_per_association_move_the_reminder(sessions):
    w = await _world(sessions)
    async with unit_of_work(sessions) as session:
        with pytest.raises(PermissionDenied):
            await service.set_timings(
                session, w["expert"][1], association_id=w["association"], remind=2, escalate=5
            )
    async with unit_of_work(sessions) as session:
        await service.set_timings(
            session, w["leader"][1], association_id=w["association"], remind=2, escalate=5
        )
    assert service.clean_timings("2, 5") == (2, 5)
    for wrong in ("5 2", "24", "0 10", "1 1000", "a b"):
        with pytest.raises(service.BadTimings):
            service.clean_timings(wrong)
    consultation_id = await _ask(sessions, w)
    _at(3)
    async with unit_of_work(sessions) as session:
        assert await service.remind_unanswered(session) == 1
        told = {kind for kind, _ in _told(session)}
    assert told == {"consultation.reminder"}  # untaken: the responders are reminded
    _at(6)
    async with unit_of_work(sessions) as session:
        assert await service.escalate_unanswered(session) == 1
        take_pending(session)
        consultation = await session.get(Consultation, consultation_id)
        assert consultation.escalated_at is not None


async def test_a_network_question_escalates_to_the_methodists(sessions):
    w = await _world(sessions)
    await _ask(sessions, w, network=True)
    _at(73)
    async with unit_of_work(sessions) as session:
        await service.escalate_unanswered(session)
        assert _told(session) == [("consultation.escalated", w["methodist"][1].telegram_id)]


async def test_a_mentor_gets_the_young_specialists_questions_first(sessions):
    w = await _world(sessions)
    async with sessions() as session:
        with pytest.raises(service.NotAYoungSpecialist):
            await service.assign_mentor(
                session,
                w["leader"][1],
                association_id=w["association"],
                mentee_id=w["member"][0],
                mentor_id=w["senior"][0],
            )
        with pytest.raises(service.BadMentor):
            await service.assign_mentor(
                session,
                w["leader"][1],
                association_id=w["association"],
                mentee_id=w["young"][0],
                mentor_id=w["young"][0],
            )
        with pytest.raises(PermissionDenied):
            await service.assign_mentor(
                session,
                w["expert"][1],
                association_id=w["association"],
                mentee_id=w["young"][0],
                mentor_id=w["senior"][0],
            )
    async with unit_of_work(sessions) as session:
        await service.assign_mentor(
            session,
            w["leader"][1],
            association_id=w["association"],
            mentee_id=w["young"][0],
            mentor_id=w["senior"][0],
        )
        assert {kind for kind, _ in _told(session)} == {
            "consultation.mentor_for_mentee",
            "consultation.mentor_for_mentor",
        }
    async with unit_of_work(sessions) as session:
        young = await service.young_specialists(session, w["leader"][1], w["association"])
        assert [(p.user_id, p.mentor is not None) for p in young] == [(w["young"][0], True)]
        consultation = await service.ask(
            session, w["young"][1], association_id=w["association"], text="Как вести журнал?"
        )
        assert _told(session) == [("consultation.for_mentor", w["senior"][1].telegram_id)]
        assert consultation.assignee_id == w["senior"][0]
        assert consultation.status is ConsultationStatus.ASSIGNED


async def test_only_the_leader_publishes_an_answered_question_to_the_faq(sessions):
    w = await _world(sessions)
    consultation_id = await _ask(sessions, w)
    async with sessions() as session:
        with pytest.raises(service.NotForFaq):
            await service.publish(session, w["leader"][1], consultation_id)
    async with unit_of_work(sessions) as session:
        await service.answer(
            session, w["expert"][1], consultation_id=consultation_id, text="Ответ."
        )
        take_pending(session)
    async with sessions() as session:
        with pytest.raises(PermissionDenied):
            await service.publish(session, w["expert"][1], consultation_id)
    async with unit_of_work(sessions) as session:
        await service.publish(session, w["leader"][1], consultation_id)
    async with sessions() as session:
        name, entries = await service.faq(session, w["young"][1], w["association"])
        assert name == "ВМО учителей математики"
        assert [(e.question, e.answer) for e in entries] == [
            ("Как вести портфолио ученика?", "Ответ.")
        ]


async def test_forget_erases_the_persons_questions_not_the_ones_they_answered(sessions):
    w = await _world(sessions)
    asked = await _ask(sessions, w, "member")
    expert_question = await _ask(sessions, w, "expert")
    async with unit_of_work(sessions) as session:
        await service.answer(session, w["leader"][1], consultation_id=asked, text="Ответ.")
        await service.assign_mentor(
            session,
            w["leader"][1],
            association_id=w["association"],
            mentee_id=w["young"][0],
            mentor_id=w["senior"][0],
        )
        take_pending(session)
    async with unit_of_work(sessions) as session:
        await privacy.forget(session, actor=w["member"][1])  # the asker of `asked`
        await privacy.forget(session, actor=w["leader"][1])  # who answered it
        await privacy.forget(session, actor=w["senior"][1])  # a mentor
    async with sessions() as session:
        left = (await session.scalars(select(Consultation.id))).all()
        mentorships = await session.scalar(select(func.count()).select_from(Mentorship))
    assert left == [expert_question] and mentorships == 0
