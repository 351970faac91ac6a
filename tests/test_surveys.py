"""Surveys at the service level (SQLite, and PostgreSQL when TEST_DATABASE_URL is set):
building from a template, inviting, answering and resuming, the rules of answers,
permissions, anonymity in the database, the reminder, closing, meeting feedback, /forget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Date, DateTime, func, inspect, select

from models import ActivityEvent, AuditEntry, NetworkRole
from models.meetings import Meeting, MeetingAttendance, MeetingRsvp, RsvpAnswer
from models.surveys import (
    QuestionKind,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyStatus,
    SurveyTemplate,
)
from services import surveys
from services.access import Actor
from services.audience import Audience
from services.clock import set_clock
from services.errors import PermissionDenied
from services.notices import take_pending
from services.privacy import forget
from tests.factories import add_member, make_association, make_teacher

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _at(moment: datetime) -> None:
    set_clock(lambda: moment)


async def _association_with_members(session, n: int = 3):  # type: ignore[no-untyped-def]
    leader = await make_teacher(session)
    association = await make_association(session, leader=leader)
    members = [await make_teacher(session) for _ in range(n)]
    for member in members:
        await add_member(session, association, member)
    return leader, association, members


async def _open_needs(session, leader, association, *, anonymous: bool = True):  # type: ignore[no-untyped-def]
    survey = await surveys.create_survey(
        session,
        Actor(leader.telegram_id),
        template=SurveyTemplate.NEEDS,
        association_id=association.id,
        audience=None,
        anonymous=anonymous,
        closes_at=START + timedelta(days=7),
    )
    await surveys.open_survey(session, Actor(leader.telegram_id), survey.id)
    return survey


async def _answer_all(session, person, survey_id: int, values: dict[QuestionKind, object]) -> None:  # type: ignore[no-untyped-def]
    found = await surveys.questionnaire(session, Actor(person.telegram_id), survey_id)
    for question in found.questions:
        raw = values.get(question.kind) if question.required else None
        await surveys.save_answer(
            session, Actor(person.telegram_id), survey_id, question_id=question.id, raw=raw
        )
    await surveys.submit(session, Actor(person.telegram_id), survey_id)


ANSWERS = {
    QuestionKind.MULTI: ["0", "4"],
    QuestionKind.SINGLE: "1",
    QuestionKind.SCALE: "4",
    QuestionKind.TEXT: "Нужна помощь с заданиями PISA",
}


async def test_a_needs_survey_is_copied_invites_members_and_counts_answers(session) -> None:  # type: ignore[no-untyped-def]
    _at(START)
    leader, association, members = await _association_with_members(session)
    survey = await _open_needs(session, leader, association)
    assert survey.status is SurveyStatus.OPEN
    invited = {n.user.id for n in take_pending(session) if n.kind == "survey.invitation"}
    assert invited == {leader.id, *(m.id for m in members)}

    await _answer_all(session, members[0], survey.id, ANSWERS)
    await _answer_all(session, members[1], survey.id, {**ANSWERS, QuestionKind.SCALE: "5"})
    early = await surveys.results(session, Actor(leader.telegram_id), survey.id)
    assert early.rows == [] and early.sealed == 2  # too few to store apart from their people
    await surveys.close_survey(session, Actor(leader.telegram_id), survey.id)
    found = await surveys.results(session, Actor(leader.telegram_id), survey.id)
    assert found.invited == 4 and len(found.rows) == 2 and found.sealed == 0
    difficulties, _, _, format_, confidence, _, wishes = found.questions
    assert difficulties.counts[0] == 2 and difficulties.counts[4] == 2
    assert sum(difficulties.counts) == 4 and difficulties.answered == 2
    assert format_.counts == [0, 2, 0, 0]
    assert confidence.counts == [0, 0, 0, 1, 1] and confidence.mean == pytest.approx(4.5)
    assert wishes.answered == 0 and wishes.texts == []  # optional, skipped by both
    assert all(row.respondent is None for row in found.rows)
    audited = await session.scalars(
        select(AuditEntry.action).where(AuditEntry.target_id == survey.id)
    )
    assert {"survey.create", "survey.open"} <= set(audited.all())


async def test_answers_are_kept_between_steps_so_a_person_resumes(session) -> None:  # type: ignore[no-untyped-def]
    _at(START)
    leader, association, members = await _association_with_members(session, 1)
    survey = await _open_needs(session, leader, association)
    person = Actor(members[0].telegram_id)
    first = (await surveys.questionnaire(session, person, survey.id)).questions[0]
    await surveys.save_answer(session, person, survey.id, question_id=first.id, raw=["2"])
    again = await surveys.questionnaire(session, person, survey.id)
    assert again.next_index() == 1 and again.answers[str(first.id)] == [2]
    menu = await surveys.survey_menu(session, person)
    assert [(s.id, started) for s, started in menu.to_answer] == [(survey.id, True)]
    restarted = await surveys.restart_answers(session, person, survey.id)
    assert restarted.next_index() == 0


async def test_answers_that_break_the_rules_are_refused(session) -> None:  # type: ignore[no-untyped-def]
    _at(START)
    leader, association, members = await _association_with_members(session, 1)
    survey = await _open_needs(session, leader, association)
    person = Actor(members[0].telegram_id)
    questions = (await surveys.questionnaire(session, person, survey.id)).questions
    multi, single, scale, text = (
        questions[0],
        questions[3],
        questions[4],
        questions[6],
    )
    cases = [
        (multi, None, surveys.AnswerRequired),
        (multi, ["99"], surveys.NotAnOption),
        (single, "x", surveys.NotAnOption),
        (scale, "6", surveys.NotAnOption),
        (scale, "0", surveys.NotAnOption),
        (text, "я" * 2001, surveys.AnswerTooLong),
    ]
    for question, raw, error in cases:
        with pytest.raises(error):
            await surveys.save_answer(session, person, survey.id, question_id=question.id, raw=raw)
    with pytest.raises(surveys.AnswerRequired):  # nothing answered yet
        await surveys.submit(session, person, survey.id)
    stranger = await make_teacher(session)
    with pytest.raises(surveys.NotInvited):
        await surveys.questionnaire(session, Actor(stranger.telegram_id), survey.id)
    await _answer_all(session, members[0], survey.id, ANSWERS)
    with pytest.raises(surveys.AlreadyAnswered):
        await surveys.questionnaire(session, person, survey.id)


async def test_only_the_leader_or_a_methodist_manages_a_survey(session) -> None:  # type: ignore[no-untyped-def]
    _at(START)
    leader, association, members = await _association_with_members(session, 1)
    member = Actor(members[0].telegram_id)
    with pytest.raises(PermissionDenied):
        await surveys.create_survey(
            session,
            member,
            template=SurveyTemplate.YEAR,
            association_id=association.id,
            audience=None,
            anonymous=True,
            closes_at=START + timedelta(days=3),
        )
    with pytest.raises(PermissionDenied):  # a network segment needs a methodist
        await surveys.create_survey(
            session,
            Actor(leader.telegram_id),
            template=SurveyTemplate.NEEDS,
            association_id=None,
            audience=Audience(),
            anonymous=True,
            closes_at=START + timedelta(days=3),
        )
    survey = await _open_needs(session, leader, association)
    for action in (surveys.results, surveys.close_survey, surveys.survey_screen):
        with pytest.raises(PermissionDenied):
            await action(session, member, survey.id)
    methodist = await make_teacher(session, roles=(NetworkRole.METHODIST,))
    assert (await surveys.results(session, Actor(methodist.telegram_id), survey.id)).invited == 2


async def test_a_methodist_surveys_the_teachers_of_a_subject(session) -> None:  # type: ignore[no-untyped-def]
    _at(START)
    methodist = await make_teacher(session, roles=(NetworkRole.METHODIST,), subjects=["history"])
    with pytest.raises(surveys.BadTitle):
        await surveys.create_survey(
            session, Actor(methodist.telegram_id), template=SurveyTemplate.BLANK,
            association_id=None, audience=Audience(subject="physics"), anonymous=False,
            closes_at=START + timedelta(days=3), title="   ",
        )  # fmt: skip
    physicist = await make_teacher(session, subjects=["physics"])
    await make_association(session, leader=await make_teacher(session, subjects=["math"]))
    scope = await surveys.author_scope(session, Actor(methodist.telegram_id))
    assert scope.network and scope.associations == []  # segments, not every association
    survey = await surveys.create_survey(
        session,
        Actor(methodist.telegram_id),
        template=SurveyTemplate.BLANK,
        association_id=None,
        audience=Audience(subject="physics"),
        anonymous=False,
        closes_at=START + timedelta(days=3),
        title="Оснащение кабинетов физики",
    )
    assert survey.title == "Оснащение кабинетов физики" and not survey.title_builtin
    with pytest.raises(surveys.NoQuestions):
        await surveys.open_survey(session, Actor(methodist.telegram_id), survey.id)
    await surveys.add_question(
        session,
        Actor(methodist.telegram_id),
        survey.id,
        kind=QuestionKind.SINGLE,
        text="Есть ли в кабинете цифровая лаборатория?",
        options=["Да", "Нет"],
    )
    with pytest.raises(surveys.BadOptions):
        await surveys.add_question(
            session, Actor(methodist.telegram_id), survey.id, kind=QuestionKind.MULTI,
            text="Один вариант?", options=["Только один"],
        )  # fmt: skip
    await surveys.open_survey(session, Actor(methodist.telegram_id), survey.id)
    audited = await session.scalars(
        select(AuditEntry.action).where(AuditEntry.target_id == survey.id)
    )
    assert "survey.question_add" in set(audited.all())
    invited = [n.user.id for n in take_pending(session)]
    assert invited == [physicist.id]
    await _answer_all(session, physicist, survey.id, {QuestionKind.SINGLE: "0"})
    found = await surveys.results(session, Actor(methodist.telegram_id), survey.id)
    assert [row.respondent for row in found.rows] == [physicist.full_name]
    with pytest.raises(surveys.NotEditable):
        await surveys.add_question(
            session, Actor(methodist.telegram_id), survey.id, kind=QuestionKind.TEXT, text="Ещё?"
        )


async def test_an_anonymous_response_cannot_be_joined_to_its_respondent(session) -> None:  # type: ignore[no-untyped-def]
    """No column, no timestamp finer than the day, no id sequence links them."""
    _at(START)
    leader, association, members = await _association_with_members(session, 3)
    survey = await _open_needs(session, leader, association)
    for hour, member in enumerate(members):
        _at(START + timedelta(hours=hour))
        await _answer_all(session, member, survey.id, ANSWERS)
        if hour < 2:  # one or two sealed responses are not stored yet: they would stand out
            assert await surveys.publish_sealed(session) == 0
    assert await surveys.publish_sealed(session) == 3  # together, shuffled
    await session.flush()

    columns = {c["name"]: c["type"] for c in await session.run_sync(
        lambda s: inspect(s.connection()).get_columns("survey_responses")
    )}  # fmt: skip
    assert set(columns) == {"id", "survey_id", "user_id", "submitted_on", "answers"}
    assert isinstance(columns["submitted_on"], Date) and not isinstance(
        columns["submitted_on"], DateTime
    )
    marks = {c["name"] for c in await session.run_sync(
        lambda s: inspect(s.connection()).get_columns("survey_invitations")
    )}  # fmt: skip
    assert marks == {"id", "survey_id", "user_id", "answered", "reminded", "draft"}  # no time

    responses = (await session.scalars(select(SurveyResponse))).all()
    assert len(responses) == 3
    assert all(r.user_id is None for r in responses)
    assert {r.submitted_on for r in responses} == {START.date()}
    assert all(r.id > 2**32 for r in responses)  # random, not a sequence
    invitations = (await session.scalars(select(SurveyInvitation))).all()
    assert all(i.draft is None for i in invitations)  # the answers left with the submission
    events = (
        await session.scalars(select(ActivityEvent).where(ActivityEvent.kind == "survey.answered"))
    ).all()
    assert len(events) == 3 and all(e.user_id is None for e in events)
    assert all(e.association_id == association.id for e in events)


async def test_non_respondents_get_one_reminder_before_the_close(session) -> None:  # type: ignore[no-untyped-def]
    _at(START)
    leader, association, members = await _association_with_members(session, 2)
    survey = await _open_needs(session, leader, association)
    take_pending(session)
    await _answer_all(session, members[0], survey.id, ANSWERS)
    _at(START + timedelta(days=5))
    assert await surveys.remind_due(session) == 0  # too early
    _at(START + timedelta(days=6, hours=1))
    assert await surveys.remind_due(session) == 2
    reminded = {n.user.id for n in take_pending(session)}
    assert reminded == {leader.id, members[1].id}
    assert await surveys.remind_due(session) == 0
    _at(START + timedelta(days=7, minutes=1))
    assert await surveys.close_due(session) == 1
    [closed] = take_pending(session)
    assert closed.kind == "survey.closed" and closed.user.id == leader.id
    assert closed.params["answered"] == 1
    with pytest.raises(surveys.SurveyNotOpen):
        await surveys.questionnaire(session, Actor(members[1].telegram_id), survey.id)


async def test_a_held_meeting_gets_one_feedback_survey_for_its_participants(session) -> None:  # type: ignore[no-untyped-def]
    _at(START)
    leader, association, members = await _association_with_members(session, 3)
    meeting = Meeting(
        association_id=association.id,
        number=1,
        academic_year=2026,
        topic="Функциональная грамотность",
        form="webinar",
        starts_at=START - timedelta(hours=3),
        duration_minutes=90,
        link="https://telemost.yandex.ru/j/1",
        reminders_done=[],
    )
    ongoing = Meeting(
        association_id=association.id,
        number=2,
        academic_year=2026,
        topic="Ещё идёт",
        form="webinar",
        starts_at=START - timedelta(minutes=30),
        duration_minutes=90,
        link="https://telemost.yandex.ru/j/2",
        reminders_done=[],
    )
    session.add_all([meeting, ongoing])
    await session.flush()
    session.add_all(
        [
            MeetingAttendance(meeting_id=meeting.id, user_id=members[0].id),
            MeetingRsvp(meeting_id=meeting.id, user_id=members[1].id, answer=RsvpAnswer.GOING),
            MeetingRsvp(meeting_id=meeting.id, user_id=members[2].id, answer=RsvpAnswer.NO),
            MeetingAttendance(meeting_id=ongoing.id, user_id=members[0].id),
        ]
    )
    await session.flush()
    assert await surveys.offer_meeting_feedback(session) == 1
    assert await surveys.offer_meeting_feedback(session) == 0
    survey = await session.scalar(select(Survey).where(Survey.meeting_id == meeting.id))
    assert survey is not None and survey.template is SurveyTemplate.FEEDBACK
    assert survey.anonymous and survey.status is SurveyStatus.OPEN
    invited = {n.user.id for n in take_pending(session)}
    assert invited == {members[0].id, members[1].id}
    questions = (
        await surveys.questionnaire(session, Actor(members[0].telegram_id), survey.id)
    ).questions
    assert [q.kind for q in questions] == [QuestionKind.SCALE] * 3 + [QuestionKind.TEXT]
    count = await session.scalar(select(func.count(Survey.id)))
    assert count == 1
    menu = await surveys.survey_menu(session, Actor(leader.telegram_id))
    assert [s.id for s in menu.mine] == [survey.id]  # the association's, for its leader


async def test_forget_erases_invitations_and_named_answers(session) -> None:  # type: ignore[no-untyped-def]
    _at(START)
    leader, association, members = await _association_with_members(session, 1)
    survey = await _open_needs(session, leader, association, anonymous=False)
    take_pending(session)
    await _answer_all(session, members[0], survey.id, ANSWERS)
    await forget(session, actor=Actor(members[0].telegram_id))
    left = await session.scalar(
        select(func.count(SurveyInvitation.id)).where(SurveyInvitation.user_id == members[0].id)
    )
    answered = await session.scalar(
        select(func.count(SurveyResponse.id)).where(SurveyResponse.user_id == members[0].id)
    )
    assert left == 0 and answered == 0


async def _network_survey(session, methodist):  # type: ignore[no-untyped-def]
    survey = await surveys.create_survey(
        session,
        Actor(methodist.telegram_id),
        template=SurveyTemplate.NEEDS,
        association_id=None,
        audience=Audience(subject="physics"),
        anonymous=True,
        closes_at=START + timedelta(days=7),
    )
    await surveys.open_survey(session, Actor(methodist.telegram_id), survey.id)
    return survey


async def test_a_network_survey_invites_a_page_at_a_time_until_it_closes(
    session, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(surveys, "INVITE_PAGE", 2)
    _at(START)
    methodist = await make_teacher(session, roles=(NetworkRole.METHODIST,), subjects=["history"])
    physicists = [await make_teacher(session, subjects=["physics"]) for _ in range(5)]
    survey = await _network_survey(session, methodist)
    assert [n.user.id for n in take_pending(session)] == [p.id for p in physicists[:2]]
    assert survey.invited_all_at is None
    assert await surveys.invite_pages(session) == 2  # the sweep: a page per pass
    assert await surveys.invite_pages(session) == 1
    assert survey.invited_all_at is not None
    assert await surveys.invite_pages(session) == 0
    invited = await session.scalars(
        select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == survey.id)
    )
    assert sorted(invited.all()) == [p.id for p in physicists]
    # Closed before its last page: nobody more is invited.
    later = await _network_survey(session, methodist)
    take_pending(session)
    await surveys.close_survey(session, Actor(methodist.telegram_id), later.id)
    assert await surveys.invite_pages(session) == 0
    assert take_pending(session) == []
