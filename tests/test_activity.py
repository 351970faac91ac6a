"""The activity query layer: every form counted from where it is recorded, by association
and person, for a period; weights; held meetings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from models import ActivityEvent
from models.meetings import Meeting, MeetingAttendance, MeetingRsvp, MeetingStatus, RsvpAnswer
from models.polls import Poll, PollVote
from models.resources import Material, MaterialKind, MaterialStatus
from models.surveys import Survey, SurveyInvitation
from models.tasks import Task, TaskAssignment, TaskAudience
from services import activity
from services.activity import Form, Period
from services.clock import set_clock
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
YEAR = Period(date(2026, 9, 1), date(2027, 8, 31))


def _meeting(association_id: int, number: int, starts_at: datetime, **extra) -> Meeting:  # type: ignore[no-untyped-def]
    return Meeting(
        association_id=association_id,
        number=number,
        academic_year=2026,
        topic=f"Заседание {number}",
        form="online",
        starts_at=starts_at,
        link="https://example.org/m",
        **extra,
    )


async def _world(session):  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    leader = await make_teacher(session, 770_001)
    one = await make_teacher(session, 770_002)
    two = await make_teacher(session, 770_003)
    association = await make_association(session, leader=leader)
    other = await make_association(session, name="ВМО учителей истории")
    for person in (one, two):
        await add_member(session, association, person)
    await add_member(session, other, one)

    held = _meeting(association.id, 1, NOW - timedelta(days=30))
    held2 = _meeting(association.id, 2, NOW - timedelta(days=10))
    cancelled = _meeting(association.id, 3, NOW - timedelta(days=5), status=MeetingStatus.CANCELLED)
    future = _meeting(association.id, 4, NOW + timedelta(days=5))
    session.add_all([held, held2, cancelled, future])
    await session.flush()
    session.add_all(
        [
            MeetingAttendance(meeting_id=held.id, user_id=one.id, source="self"),
            # «Will attend» counts once the meeting has begun, unless corrected to absent.
            MeetingRsvp(meeting_id=held.id, user_id=two.id, answer=RsvpAnswer.GOING),
            MeetingRsvp(meeting_id=held2.id, user_id=two.id, answer=RsvpAnswer.GOING),
            MeetingAttendance(meeting_id=held2.id, user_id=two.id, source="absent"),
            MeetingRsvp(meeting_id=held2.id, user_id=one.id, answer=RsvpAnswer.GOING),
            MeetingAttendance(meeting_id=held2.id, user_id=one.id, source="self"),
            MeetingAttendance(meeting_id=cancelled.id, user_id=one.id, source="self"),
            MeetingRsvp(meeting_id=future.id, user_id=one.id, answer=RsvpAnswer.GOING),
        ]
    )
    for kind, person, where, at in (
        ("group_message", one, association, NOW - timedelta(days=1)),
        ("group_message", one, association, NOW - timedelta(days=2)),
        ("group_message", one, other, NOW - timedelta(days=2)),
        ("group_message", two, association, datetime(2026, 8, 20, tzinfo=UTC)),  # last year
        ("consultation_asked", two, association, NOW - timedelta(days=3)),
        ("consultation_answered", leader, association, NOW - timedelta(days=3)),
        ("material_downloaded", two, association, NOW - timedelta(days=3)),
    ):
        session.add(ActivityEvent(kind=kind, user_id=person.id, association_id=where.id, at=at))
    poll = Poll(
        association_id=association.id,
        question="Когда?",
        options=["Пн", "Вт"],
        is_anonymous=False,
        allows_multiple=False,
        closes_at=NOW,
        chat_id=-100,
        totals=[1, 0],
        created_at=NOW - timedelta(days=7),
    )
    survey = Survey(
        association_id=association.id,
        title="Анкета",
        closes_at=NOW,
        created_at=NOW - timedelta(days=7),
    )
    task = Task(
        association_id=association.id,
        title="Конспект",
        description="…",
        audience=TaskAudience.ALL,
        due_on=date(2027, 3, 10),
    )
    session.add_all([poll, survey, task])
    await session.flush()
    session.add_all(
        [
            PollVote(poll_id=poll.id, user_id=one.id, option_ids=[0]),
            SurveyInvitation(survey_id=survey.id, user_id=two.id, answered=True),
            SurveyInvitation(survey_id=survey.id, user_id=one.id, answered=False),
            TaskAssignment(
                task_id=task.id, user_id=two.id, submissions=1, submitted_at=NOW - timedelta(1)
            ),
            TaskAssignment(task_id=task.id, user_id=one.id),
            Material(
                association_id=association.id,
                author_user_id=one.id,
                kind=MaterialKind.LESSON_PLAN,
                title="Дроби",
                status=MaterialStatus.APPROVED,
                approved_at=NOW - timedelta(days=4),
            ),
            Material(
                association_id=association.id,
                author_user_id=two.id,
                kind=MaterialKind.LESSON_PLAN,
                title="Проценты",
                status=MaterialStatus.PENDING,
            ),
        ]
    )
    await session.flush()
    return association, other, leader, one, two


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    yield
    set_clock(None)


async def test_every_form_is_counted_where_it_is_recorded(session) -> None:  # type: ignore[no-untyped-def]
    association, other, leader, one, two = await _world(session)
    start, end = YEAR.bounds()

    result = await activity.tally(session, start=start, end=end)

    mine = result.of_association(association.id)
    assert dict(mine[one.id].by_form) == {
        Form.MEETINGS: 2,  # held and held2; the cancelled and the future one do not count
        Form.GROUP_MESSAGES: 2,
        Form.POLLS: 1,
        Form.MATERIALS: 1,
    }
    assert dict(mine[two.id].by_form) == {
        Form.MEETINGS: 1,  # held2's «will attend» was corrected to absent
        Form.SURVEYS: 1,
        Form.QUESTIONS: 1,
        Form.DOWNLOADS: 1,
        Form.TASKS: 1,
    }
    assert dict(mine[leader.id].by_form) == {Form.ANSWERS: 1}
    assert dict(result.of_association(other.id)[one.id].by_form) == {Form.GROUP_MESSAGES: 1}
    assert set(result.of_person(one.id)) == {association.id, other.id}


async def test_scope_person_and_forms_narrow_the_tally(session) -> None:  # type: ignore[no-untyped-def]
    association, other, _leader, one, _two = await _world(session)
    start, end = YEAR.bounds()

    narrowed = await activity.tally(
        session, start=start, end=end, association_ids=[other.id], user_id=one.id
    )
    assert set(narrowed.counts) == {(other.id, one.id)}

    meetings_only = await activity.tally(
        session, start=start, end=end, association_ids=[association.id], forms=[Form.MEETINGS]
    )
    assert {form for c in meetings_only.counts.values() for form in c.by_form} == {Form.MEETINGS}
    assert (await activity.tally(session, start=start, end=end, association_ids=[])).counts == {}


async def test_held_meetings_and_ranking(session) -> None:  # type: ignore[no-untyped-def]
    association, other, _leader, one, two = await _world(session)
    start, end = YEAR.bounds()

    assert await activity.held_meetings(
        session, start=start, end=end, association_ids=[association.id, other.id]
    ) == {association.id: 2, other.id: 0}
    counts = (await activity.tally(session, start=start, end=end)).of_association(association.id)
    weights = activity.parse_weights("meetings=10, group_messages=0")
    assert counts[one.id].score(weights) == 2 * 10 + 1 + 5
    order = [person for person, _score in activity.ranked(counts, weights)]
    assert order[:2] == [one.id, two.id]
    assert counts[two.id].forms_used == 5


def test_weights_are_checked() -> None:
    assert activity.parse_weights("")[Form.MEETINGS] == activity.DEFAULT_WEIGHTS[Form.MEETINGS]
    with pytest.raises(activity.BadWeights):
        activity.parse_weights("meetings=much")
    with pytest.raises(activity.BadWeights):
        activity.parse_weights("dancing=3")


def test_period_bounds_are_local_days() -> None:
    start, end = Period(date(2026, 9, 1), date(2026, 9, 30), "Asia/Yekaterinburg").bounds()
    assert start == datetime(2026, 8, 31, 19, 0, tzinfo=UTC)
    assert end == datetime(2026, 9, 30, 19, 0, tzinfo=UTC)
