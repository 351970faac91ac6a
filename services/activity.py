"""Taking part, counted: one query layer for the activity ranking, the certificates' rules,
the portfolio and the analytical report.

Each form of activity is read where it is recorded best: group messages, consultations,
downloads and member messages from `activity_events`; meetings from the attendance marks
and «will attend» answers (services.meetings.present_ids, in SQL); named poll answers,
survey answers, approved materials and handed-in tasks from their own tables. Every
source answers for a set of associations (or all) and a period at once, grouped by
association and person, so a network of a hundred associations is a dozen statements.

Features added later register their own source with `@source(Form.X)`.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, Subquery, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from models import ActivityEvent
from models.contests import Contest, ContestEntry
from models.meetings import Meeting, MeetingAttendance, MeetingRsvp, MeetingStatus, RsvpAnswer
from models.polls import Poll, PollVote
from models.resources import Material
from models.surveys import Survey, SurveyInvitation
from models.tasks import Task, TaskAssignment
from services.clock import now
from services.errors import InvalidInput
from services.texts import T_

ABSENT = "absent"  # services.meetings' mark of someone corrected to absent


class Form(enum.StrEnum):
    """A form of taking part (форма участия), as the ranking and the report name it."""

    MEETINGS = "meetings"
    GROUP_MESSAGES = "group_messages"
    POLLS = "polls"
    SURVEYS = "surveys"
    QUESTIONS = "questions"  # consultations asked
    ANSWERS = "answers"  # consultations answered
    MATERIALS = "materials"  # materials approved into the bank
    DOWNLOADS = "downloads"  # materials of the bank taken
    TASKS = "tasks"  # tasks handed in
    MESSAGES = "messages"  # member-to-member messages
    CONTESTS = "contests"  # contest entries


FORM_TITLES: dict[Form, str] = {
    Form.MEETINGS: T_("meetings attended"),
    Form.GROUP_MESSAGES: T_("messages in the group"),
    Form.POLLS: T_("poll answers"),
    Form.SURVEYS: T_("survey answers"),
    Form.QUESTIONS: T_("questions asked"),
    Form.ANSWERS: T_("questions answered"),
    Form.MATERIALS: T_("materials in the bank"),
    Form.DOWNLOADS: T_("materials downloaded"),
    Form.TASKS: T_("tasks handed in"),
    Form.MESSAGES: T_("messages to members"),
    Form.CONTESTS: T_("contest entries"),
}

# How much one act of each form weighs in the ranking; ACTIVITY_WEIGHTS overrides them.
DEFAULT_WEIGHTS: dict[Form, float] = {
    Form.MEETINGS: 5,
    Form.GROUP_MESSAGES: 0.2,
    Form.POLLS: 1,
    Form.SURVEYS: 2,
    Form.QUESTIONS: 1,
    Form.ANSWERS: 3,
    Form.MATERIALS: 5,
    Form.DOWNLOADS: 0.5,
    Form.TASKS: 3,
    Form.MESSAGES: 0.2,
    Form.CONTESTS: 5,
}


class BadWeights(InvalidInput):
    message = T_("ACTIVITY_WEIGHTS: write form=weight pairs separated by commas, e.g. meetings=5")


def parse_weights(text: str) -> dict[Form, float]:
    """`meetings=5, materials=4` → the default weights with those two replaced."""
    weights = dict(DEFAULT_WEIGHTS)
    for pair in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = pair.partition("=")
        try:
            weights[Form(name.strip())] = float(value)
        except ValueError as error:
            raise BadWeights() from error
    return weights


@dataclass(frozen=True, slots=True)
class Period:
    """From `start` to `end` inclusive, in the association's time zone."""

    start: date
    end: date
    timezone: str = "Europe/Moscow"

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware instants: [start 00:00, the day after end 00:00)."""
        zone = ZoneInfo(self.timezone)
        begin = datetime.combine(self.start, time(), zone)
        finish = datetime.combine(self.end + timedelta(days=1), time(), zone)
        return begin, finish


@dataclass(slots=True)
class Counts:
    """One person's acts of each form in one association."""

    by_form: Counter[Form] = field(default_factory=Counter)

    def score(self, weights: Mapping[Form, float] = DEFAULT_WEIGHTS) -> float:
        return sum(weights.get(form, 0) * count for form, count in self.by_form.items())

    @property
    def forms_used(self) -> int:
        return sum(1 for count in self.by_form.values() if count > 0)

    @property
    def total(self) -> int:
        return sum(self.by_form.values())


@dataclass(slots=True)
class Activity:
    """Counts by association and person."""

    counts: dict[tuple[int, int], Counts] = field(default_factory=dict)

    def add(self, association_id: int, user_id: int, form: Form, count: int) -> None:
        self.counts.setdefault((association_id, user_id), Counts()).by_form[form] += count

    def of_association(self, association_id: int) -> dict[int, Counts]:
        return {user: c for (assoc, user), c in self.counts.items() if assoc == association_id}

    def of_person(self, user_id: int) -> dict[int, Counts]:
        return {assoc: c for (assoc, user), c in self.counts.items() if user == user_id}


# A source: the statement giving (association_id, user_id, count) rows for the period.
Scope = Sequence[int] | None  # association ids, or None for every association
Source = Callable[[Scope, datetime, datetime, int | None], Select]
_SOURCES: dict[Form, Source] = {}


def source(form: Form) -> Callable[[Source], Source]:
    def register(build: Source) -> Source:
        _SOURCES[form] = build
        return build

    return register


def _where(
    query: Select,
    association_col: ColumnElement[int],
    user_col: ColumnElement[int],
    scope: Scope,
    user_id: int | None,
) -> Select:
    if scope is not None:
        query = query.where(association_col.in_(list(scope)))
    if user_id is not None:
        query = query.where(user_col == user_id)
    return query


# The forms counted from activity_events, by the event's kind: read in one statement.
EVENT_FORMS: dict[str, Form] = {
    "group_message": Form.GROUP_MESSAGES,
    "consultation_asked": Form.QUESTIONS,
    "consultation_answered": Form.ANSWERS,
    "material_downloaded": Form.DOWNLOADS,
    "member_message": Form.MESSAGES,
}


def _events(
    kinds: Sequence[str], scope: Scope, start: datetime, end: datetime, user_id: int | None
) -> Select:
    """(association, person, kind, count) of the events of those kinds in the period."""
    query = (
        select(
            ActivityEvent.association_id, ActivityEvent.user_id, ActivityEvent.kind, func.count()
        )
        .where(
            ActivityEvent.kind.in_(kinds),
            ActivityEvent.user_id.is_not(None),
            ActivityEvent.association_id.is_not(None),
            ActivityEvent.at >= start,
            ActivityEvent.at < end,
        )
        .group_by(ActivityEvent.association_id, ActivityEvent.user_id, ActivityEvent.kind)
    )
    return _where(query, ActivityEvent.association_id, ActivityEvent.user_id, scope, user_id)


def _held(start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    """The meetings of the period that took place: not cancelled, already begun."""
    return [
        Meeting.status != MeetingStatus.CANCELLED,
        Meeting.starts_at >= start,
        Meeting.starts_at < min(end, now()),
    ]


def present_pairs(scope: Scope, start: datetime, end: datetime) -> Subquery:
    """(meeting, person) pairs counted present: marked, or «will attend» and not corrected."""
    held = _held(start, end)
    if scope is not None:
        held.append(Meeting.association_id.in_(list(scope)))
    marked = (
        select(MeetingAttendance.meeting_id, MeetingAttendance.user_id)
        .join(Meeting, Meeting.id == MeetingAttendance.meeting_id)
        .where(MeetingAttendance.source != ABSENT, *held)
    )
    # «Will attend» counts where the person has no mark at all: a mark is either counted
    # above or a correction to absent, so the two parts never overlap (UNION ALL, no sort).
    marked_at_all = select(MeetingAttendance.id).where(
        MeetingAttendance.meeting_id == MeetingRsvp.meeting_id,
        MeetingAttendance.user_id == MeetingRsvp.user_id,
    )
    going = (
        select(MeetingRsvp.meeting_id, MeetingRsvp.user_id)
        .join(Meeting, Meeting.id == MeetingRsvp.meeting_id)
        .where(MeetingRsvp.answer == RsvpAnswer.GOING, ~marked_at_all.exists(), *held)
    )
    return union_all(marked, going).subquery()


@source(Form.MEETINGS)
def _meetings(scope: Scope, start: datetime, end: datetime, user_id: int | None) -> Select:
    present = present_pairs(scope, start, end)
    query = (
        select(Meeting.association_id, present.c.user_id, func.count())
        .join(Meeting, Meeting.id == present.c.meeting_id)
        .group_by(Meeting.association_id, present.c.user_id)
    )
    return _where(query, Meeting.association_id, present.c.user_id, scope, user_id)


@source(Form.POLLS)
def _polls(scope: Scope, start: datetime, end: datetime, user_id: int | None) -> Select:
    query = (
        select(Poll.association_id, PollVote.user_id, func.count())
        .join(Poll, Poll.id == PollVote.poll_id)
        .where(Poll.created_at >= start, Poll.created_at < end)
        .group_by(Poll.association_id, PollVote.user_id)
    )
    return _where(query, Poll.association_id, PollVote.user_id, scope, user_id)


@source(Form.SURVEYS)
def _surveys(scope: Scope, start: datetime, end: datetime, user_id: int | None) -> Select:
    # The invitation's "answered" mark, not the response: an anonymous answer stays unnamed.
    query = (
        select(Survey.association_id, SurveyInvitation.user_id, func.count())
        .join(Survey, Survey.id == SurveyInvitation.survey_id)
        .where(
            SurveyInvitation.answered.is_(True),
            Survey.association_id.is_not(None),
            Survey.created_at >= start,
            Survey.created_at < end,
        )
        .group_by(Survey.association_id, SurveyInvitation.user_id)
    )
    return _where(query, Survey.association_id, SurveyInvitation.user_id, scope, user_id)


@source(Form.MATERIALS)
def _materials(scope: Scope, start: datetime, end: datetime, user_id: int | None) -> Select:
    query = (
        select(Material.association_id, Material.author_user_id, func.count())
        .where(
            Material.approved_at.is_not(None),
            Material.approved_at >= start,
            Material.approved_at < end,
            Material.association_id.is_not(None),
            Material.author_user_id.is_not(None),
        )
        .group_by(Material.association_id, Material.author_user_id)
    )
    return _where(query, Material.association_id, Material.author_user_id, scope, user_id)


@source(Form.TASKS)
def _tasks(scope: Scope, start: datetime, end: datetime, user_id: int | None) -> Select:
    query = (
        select(Task.association_id, TaskAssignment.user_id, func.count())
        .join(Task, Task.id == TaskAssignment.task_id)
        .where(
            TaskAssignment.submissions > 0,
            TaskAssignment.submitted_at >= start,
            TaskAssignment.submitted_at < end,
        )
        .group_by(Task.association_id, TaskAssignment.user_id)
    )
    return _where(query, Task.association_id, TaskAssignment.user_id, scope, user_id)


@source(Form.CONTESTS)
def _contests(scope: Scope, start: datetime, end: datetime, user_id: int | None) -> Select:
    """Entries submitted to the association's contests (a replaced entry counts once)."""
    query = (
        select(Contest.association_id, ContestEntry.user_id, func.count())
        .join(Contest, Contest.id == ContestEntry.contest_id)
        .where(
            Contest.association_id.is_not(None),
            ContestEntry.submitted_at >= start,
            ContestEntry.submitted_at < end,
        )
        .group_by(Contest.association_id, ContestEntry.user_id)
    )
    return _where(query, Contest.association_id, ContestEntry.user_id, scope, user_id)


async def tally(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    association_ids: Iterable[int] | None = None,
    user_id: int | None = None,
    forms: Iterable[Form] | None = None,
) -> Activity:
    """Everyone's acts of each form in the associations (all when None) between the instants."""
    scope = None if association_ids is None else sorted(set(association_ids))
    activity = Activity()
    if scope is not None and not scope:
        return activity
    wanted = list(forms or Form)
    kinds = [kind for kind, form in EVENT_FORMS.items() if form in wanted]
    if kinds:
        rows = await session.execute(_events(kinds, scope, start, end, user_id))
        for association_id, person, kind, count in rows.all():
            activity.add(association_id, person, EVENT_FORMS[kind], count)
    for form in wanted:
        build = _SOURCES.get(form)
        if build is None:
            continue
        rows = await session.execute(build(scope, start, end, user_id))
        for association_id, person, count in rows.all():
            activity.add(association_id, person, form, count)
    return activity


def active_pairs(scope: Scope, start: datetime, end: datetime) -> list[Select]:
    """Statements of (association, person) pairs with an act of any form in the period
    (repeats included: union them to count people)."""
    parts = [_events(list(EVENT_FORMS), scope, start, end, None)]
    parts += [build(scope, start, end, None) for build in _SOURCES.values()]
    return [part.with_only_columns(*part.selected_columns[:2]) for part in parts]


async def held_meetings(
    session: AsyncSession, *, start: datetime, end: datetime, association_ids: Iterable[int]
) -> dict[int, int]:
    """How many meetings each association held in the period (not cancelled, begun)."""
    scope = sorted(set(association_ids))
    if not scope:
        return {}
    rows = await session.execute(
        select(Meeting.association_id, func.count())
        .where(Meeting.association_id.in_(scope), *_held(start, end))
        .group_by(Meeting.association_id)
    )
    counts = dict(rows.all())
    return {association_id: counts.get(association_id, 0) for association_id in scope}


def ranked(
    counts: Mapping[int, Counts], weights: Mapping[Form, float] = DEFAULT_WEIGHTS
) -> list[tuple[int, float]]:
    """People by score, highest first (ties by id, so the order is stable)."""
    return sorted(
        ((person, c.score(weights)) for person, c in counts.items()),
        key=lambda pair: (-pair[1], pair[0]),
    )


__all__ = [
    "DEFAULT_WEIGHTS",
    "FORM_TITLES",
    "Activity",
    "Counts",
    "Form",
    "Period",
    "active_pairs",
    "held_meetings",
    "parse_weights",
    "ranked",
    "source",
    "tally",
]
