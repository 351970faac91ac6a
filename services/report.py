"""The annual analytical report of an association, gathered from the database.

The statements are fixed in number (the association, its members, its meetings with
attendance, its plan items, and the activity layer's own statements), whatever the number
of members or meetings. Everything is returned as frozen dataclasses; documents/report.py
turns them into the PDF.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.association import (
    Association,
    AssociationStatus,
    MemberRole,
    Membership,
    MembershipStatus,
)
from models.audit import ActivityEvent
from models.consultations import Consultation
from models.meetings import Meeting, MeetingStatus
from models.plans import Plan, PlanEntry, PlanItemStatus
from models.resources import Material
from models.surveys import Survey, SurveyInvitation
from models.tasks import AssignmentStatus, Task, TaskAssignment
from models.user import User
from services import activity, activity_rollup
from services.activity import Form, Period
from services.clock import now
from services.errors import NotFound

NORM_OF_MEETINGS = 4
DOWNLOAD = "material_downloaded"  # the activity event of a material taken from the bank
ACTIVE_IN_MANY_FORMS = 3

EXPERIENCE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 3, "до 3 лет"),
    (3, 10, "от 3 до 10 лет"),
    (10, 20, "от 10 до 20 лет"),
    (20, None, "20 лет и более"),
)


@dataclass(frozen=True)
class Share:
    """A count out of a whole; ``percent`` is 0 for an empty whole (no division by zero)."""

    label: str
    count: int
    whole: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.whole) if self.whole else 0


@dataclass(frozen=True)
class MeetingLine:
    number: int
    held_on: date
    form: str
    topic: str
    present: int
    members: int

    @property
    def share(self) -> int:
        return round(100 * self.present / self.members) if self.members else 0


@dataclass(frozen=True)
class PlanFulfilment:
    planned: int
    done: int
    moved: int
    cancelled: int
    forms: tuple[str, ...]

    @property
    def not_done(self) -> int:
        return self.planned - self.done - self.moved - self.cancelled


@dataclass(frozen=True)
class MonthLine:
    """One month of the resource bank: materials submitted, approved, downloads."""

    year: int
    month: int
    added: int
    approved: int
    downloads: int


@dataclass(frozen=True)
class Bank:
    months: tuple[MonthLine, ...]
    top: tuple[tuple[str, int], ...]  # the most downloaded materials' titles and downloads

    @property
    def added(self) -> int:
        return sum(m.added for m in self.months)

    @property
    def approved(self) -> int:
        return sum(m.approved for m in self.months)

    @property
    def downloads(self) -> int:
        return sum(m.downloads for m in self.months)


@dataclass(frozen=True)
class Support:
    """Consultations and tasks of the period."""

    questions: int = 0
    answered: int = 0
    median_hours: float | None = None  # from the question to the answer
    ratings: int = 0
    average_rating: float | None = None
    tasks: int = 0
    assignments: int = 0
    handed_in: int = 0
    accepted: int = 0
    surveys: int = 0
    invited: int = 0
    responded: int = 0


@dataclass(frozen=True)
class ReportData:
    association_id: int
    name: str
    kind: str
    topic: str
    goals: str
    organisation: str
    order_ref: str
    leader: str
    period: Period
    members: int
    by_organisation: tuple[Share, ...]
    by_position: tuple[Share, ...]
    by_category: tuple[Share, ...]
    by_experience: tuple[Share, ...]
    plan: PlanFulfilment
    meetings: tuple[MeetingLine, ...]
    forms_active: tuple[Share, ...]
    active_in_many: Share
    most_active: tuple[str, ...]
    least_active: tuple[str, ...]
    bank: Bank
    support: Support

    @property
    def held(self) -> int:
        return len(self.meetings)

    @property
    def norm_met(self) -> bool:
        return self.held >= NORM_OF_MEETINGS

    @property
    def year_label(self) -> str:
        return f"{self.period.start.year}/{self.period.end.year}"


def academic_year(today: date) -> tuple[date, date]:
    """The academic year containing ``today``: 1 September – 31 August."""
    first = today.year if today.month >= 9 else today.year - 1
    return date(first, 9, 1), date(first + 1, 8, 31)


def _shares(values: Sequence[str], whole: int, order: Sequence[str] = ()) -> tuple[Share, ...]:
    """Most frequent first, or in the given order of labels (experience: by years)."""
    counted = Counter(values)
    if order:
        rank = {label: i for i, label in enumerate(order)}
        ordered = sorted(counted.items(), key=lambda pair: rank.get(pair[0], len(rank)))
    else:
        ordered = sorted(counted.items(), key=lambda pair: (-pair[1], pair[0]))
    return tuple(Share(label, count, whole) for label, count in ordered)


def _experience_band(years: int | None) -> str:
    if years is None:
        return "не указан"
    for low, high, label in EXPERIENCE_BANDS:
        if years >= low and (high is None or years < high):
            return label
    return EXPERIENCE_BANDS[-1][2]


CATEGORY_WORDS = {
    "none": "без категории",
    "compliance": "соответствие занимаемой должности",
    "first": "первая",
    "highest": "высшая",
    "methodist": "педагог-методист",
    "mentor": "педагог-наставник",
}


async def _members(session: AsyncSession, association_id: int) -> list[tuple[User, MemberRole]]:
    rows = await session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
        .order_by(User.id)
    )
    return [(user, role) for user, role in rows.all()]


async def _meetings(
    session: AsyncSession, association_id: int, period: Period, members: int
) -> tuple[MeetingLine, ...]:
    start, end = period.bounds()
    rows = await session.execute(
        select(Meeting)
        .where(
            Meeting.association_id == association_id,
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.starts_at >= start,
            Meeting.starts_at < min(end, now()),
        )
        .order_by(Meeting.starts_at)
    )
    meetings = rows.scalars().all()
    present = await _present_by_meeting(session, [m.id for m in meetings], start, end)
    zone = ZoneInfo(period.timezone)
    return tuple(
        MeetingLine(
            m.number,
            _aware(m.starts_at).astimezone(zone).date(),
            m.form,
            m.topic,
            present.get(m.id, 0),
            members,
        )
        for m in meetings
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))


async def _present_by_meeting(
    session: AsyncSession, meeting_ids: list[int], start: datetime, end: datetime
) -> dict[int, int]:
    if not meeting_ids:
        return {}
    present = activity.present_pairs(None, start, end)  # the one definition of «present»
    rows = await session.execute(
        select(present.c.meeting_id, func.count())
        .where(present.c.meeting_id.in_(meeting_ids))
        .group_by(present.c.meeting_id)
    )
    return dict(rows.all())


async def _plan(session: AsyncSession, association_id: int, period: Period) -> PlanFulfilment:
    rows = await session.execute(
        select(PlanEntry.status, PlanEntry.form)
        .join(Plan, Plan.id == PlanEntry.plan_id)
        .where(Plan.association_id == association_id, Plan.academic_year == period.start.year)
    )
    items = rows.all()
    statuses = Counter(status for status, _ in items)
    forms = tuple(sorted({form for status, form in items if status == PlanItemStatus.DONE}))
    return PlanFulfilment(
        planned=len(items),
        done=statuses[PlanItemStatus.DONE],
        moved=statuses[PlanItemStatus.MOVED],
        cancelled=statuses[PlanItemStatus.CANCELLED],
        forms=forms,
    )


async def _participation(
    session: AsyncSession, association_id: int, period: Period, people: dict[int, str]
) -> tuple[tuple[Share, ...], Share, tuple[str, ...], tuple[str, ...]]:
    start, end = period.bounds()
    counts = await activity.tally(session, start=start, end=end, association_ids=[association_id])
    mine = {user: c for user, c in counts.of_association(association_id).items() if user in people}
    whole = len(people)
    forms = tuple(
        Share(form.value, sum(1 for c in mine.values() if c.by_form[form]), whole)
        for form in Form
        if any(c.by_form[form] for c in mine.values())
    )
    many = Share("", sum(1 for c in mine.values() if c.forms_used >= ACTIVE_IN_MANY_FORMS), whole)
    order = [user for user, score in activity.ranked(mine) if score > 0]
    idle = [user for user in people if user not in order]
    most = order[:3]
    # The least active are never also named among the most active (a small association).
    least = [user for user in (idle + order[::-1]) if user not in most][:3] if order else []
    return forms, many, tuple(people[u] for u in most), tuple(people[u] for u in least)


def _months(period: Period) -> list[tuple[int, int]]:
    months, (year, month) = [], (period.start.year, period.start.month)
    while (year, month) <= (period.end.year, period.end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month_of(moment: datetime | None, zone: ZoneInfo) -> tuple[int, int] | None:
    if moment is None:
        return None
    local = _aware(moment).astimezone(zone)
    return local.year, local.month


async def _bank(session: AsyncSession, association_id: int, period: Period) -> Bank:
    """Three statements: the materials' dates, the downloads, the top ten's titles."""
    start, end = period.bounds()
    zone = ZoneInfo(period.timezone)
    materials = (
        await session.execute(
            select(Material.submitted_at, Material.approved_at).where(
                Material.association_id == association_id,
                Material.submitted_at < end,
                (Material.submitted_at >= start) | (Material.approved_at >= start),
            )
        )
    ).all()
    downloads = (
        await session.execute(
            select(ActivityEvent.ref_id, ActivityEvent.at).where(
                ActivityEvent.kind == DOWNLOAD,
                ActivityEvent.association_id == association_id,
                ActivityEvent.at >= start,
                ActivityEvent.at < end,
            )
        )
    ).all()
    added = Counter(_month_of(submitted, zone) for submitted, _ in materials)
    approved = Counter(_month_of(at, zone) for _, at in materials if at and start <= _aware(at))
    taken = Counter(_month_of(at, zone) for _, at in downloads)
    by_material = Counter(ref for ref, _ in downloads if ref is not None)
    top = by_material.most_common(10)
    titles: dict[int, str] = {}
    if top:
        rows = await session.execute(
            select(Material.id, Material.title).where(Material.id.in_([i for i, _ in top]))
        )
        titles = dict(rows.all())
    months = tuple(
        MonthLine(y, m, added[(y, m)], approved[(y, m)], taken[(y, m)]) for y, m in _months(period)
    )
    return Bank(months, tuple((titles.get(i, f"№ {i}"), n) for i, n in top))


async def _support(session: AsyncSession, association_id: int, period: Period) -> Support:
    """Three statements: the consultations asked, the tasks set, the surveys closed."""
    start, end = period.bounds()
    asked = (
        await session.execute(
            select(Consultation.created_at, Consultation.answered_at, Consultation.rating).where(
                Consultation.association_id == association_id,
                Consultation.parent_id.is_(None),
                Consultation.created_at >= start,
                Consultation.created_at < end,
            )
        )
    ).all()
    tasks = (
        await session.execute(
            select(Task.id, TaskAssignment.status)
            .outerjoin(TaskAssignment, TaskAssignment.task_id == Task.id)
            .where(Task.association_id == association_id, Task.created_at >= start)
            .where(Task.created_at < end)
        )
    ).all()
    invited = (
        await session.execute(
            select(Survey.id, SurveyInvitation.answered)
            .outerjoin(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
            .where(Survey.association_id == association_id, Survey.closes_at >= start)
            .where(Survey.closes_at < end)
        )
    ).all()
    waits = sorted(
        (_aware(answered) - _aware(created)).total_seconds() / 3600
        for created, answered, _ in asked
        if answered is not None
    )
    ratings = [rating for _, _, rating in asked if rating]
    statuses = [status for _, status in tasks if status is not None]
    done = (AssignmentStatus.SUBMITTED, AssignmentStatus.ACCEPTED)
    return Support(
        questions=len(asked),
        answered=len(waits),
        median_hours=median(waits) if waits else None,
        ratings=len(ratings),
        average_rating=sum(ratings) / len(ratings) if ratings else None,
        tasks=len({task for task, _ in tasks}),
        assignments=len(statuses),
        handed_in=sum(1 for status in statuses if status in done),
        accepted=sum(1 for status in statuses if status == AssignmentStatus.ACCEPTED),
        surveys=len({survey for survey, _ in invited}),
        invited=sum(1 for _, answered in invited if answered is not None),
        responded=sum(1 for _, answered in invited if answered),
    )


async def gather(
    session: AsyncSession,
    association_id: int,
    period: Period | None = None,
    *,
    anonymous: bool = False,
) -> ReportData:
    """Everything the report says about the association for the period (default: this year).

    ``anonymous`` names the most and the least active members by their number in the roster
    («участник № 3») instead of their names, as the leader may choose.
    """
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    if period is None:
        start, end = academic_year(now().astimezone(ZoneInfo(association.timezone)).date())
        period = Period(start, end, association.timezone)
    members = await _members(session, association_id)
    users = [user for user, _ in members]
    whole = len(users)
    leader = next((u.full_name or "" for u, role in members if role == MemberRole.LEADER), "")
    people = {
        u.id: f"участник № {n}" if anonymous or not u.full_name else u.full_name
        for n, u in enumerate(users, 1)
    }
    forms, many, most, least = await _participation(session, association_id, period, people)
    return ReportData(
        association_id=association.id,
        name=association.name,
        kind=association.kind.value,
        topic=association.topic or "",
        goals=association.goals or "",
        organisation=association.organisation or "",
        order_ref=association.order_ref or "",
        leader=leader,
        period=period,
        members=whole,
        by_organisation=_shares([u.organisation or "не указана" for u in users], whole),
        by_position=_shares([u.position or "не указана" for u in users], whole),
        by_category=_shares(
            [CATEGORY_WORDS.get(u.category.value if u.category else "none", "") for u in users],
            whole,
        ),
        by_experience=_shares(
            [_experience_band(u.experience_years) for u in users],
            whole,
            order=[label for _low, _high, label in EXPERIENCE_BANDS],
        ),
        plan=await _plan(session, association_id, period),
        meetings=await _meetings(session, association_id, period, whole),
        forms_active=forms,
        active_in_many=many,
        most_active=most,
        least_active=least,
        bank=await _bank(session, association_id, period),
        support=await _support(session, association_id, period),
    )


@dataclass(frozen=True)
class NetworkLine:
    """One association's key indicators in the methodists' network summary."""

    association_id: int
    name: str
    kind: str
    members: int
    held: int
    planned: int
    done: int
    active: int

    @property
    def active_percent(self) -> int:
        return round(100 * self.active / self.members) if self.members else 0

    @property
    def plan_percent(self) -> int:
        return round(100 * self.done / self.planned) if self.planned else 0


@dataclass(frozen=True)
class NetworkData:
    period: Period
    lines: tuple[NetworkLine, ...]

    @property
    def norm_met(self) -> int:
        return sum(1 for line in self.lines if line.held >= NORM_OF_MEETINGS)

    @property
    def year_label(self) -> str:
        return f"{self.period.start.year}/{self.period.end.year}"


async def _grouped(session: AsyncSession, query) -> dict[int, int]:  # type: ignore[no-untyped-def]
    return {key: count for key, count in (await session.execute(query)).all()}


async def gather_network(session: AsyncSession, period: Period) -> NetworkData:
    """Every active association's indicators for the period, in six statements or so."""
    associations = (
        await session.execute(
            select(Association.id, Association.name, Association.kind)
            .where(Association.status == AssociationStatus.ACTIVE)
            .order_by(Association.name, Association.id)
        )
    ).all()
    ids = [row.id for row in associations]
    start, end = period.bounds()
    members = await _grouped(
        session,
        select(Membership.association_id, func.count())
        .where(Membership.status == MembershipStatus.ACTIVE)
        .group_by(Membership.association_id),
    )
    planned = await _grouped(
        session,
        select(Plan.association_id, func.count(PlanEntry.id))
        .join(PlanEntry, PlanEntry.plan_id == Plan.id)
        .where(Plan.academic_year == period.start.year)
        .group_by(Plan.association_id),
    )
    done = await _grouped(
        session,
        select(Plan.association_id, func.count(PlanEntry.id))
        .join(PlanEntry, PlanEntry.plan_id == Plan.id)
        .where(Plan.academic_year == period.start.year, PlanEntry.status == PlanItemStatus.DONE)
        .group_by(Plan.association_id),
    )
    held = await activity.held_meetings(session, start=start, end=end, association_ids=ids)
    active = await activity_rollup.active_people(session, start=start, end=end)
    return NetworkData(
        period,
        tuple(
            NetworkLine(
                row.id,
                row.name,
                row.kind.value,
                members.get(row.id, 0),
                held.get(row.id, 0),
                planned.get(row.id, 0),
                done.get(row.id, 0),
                min(active.get(row.id, 0), members.get(row.id, 0)),
            )
            for row in associations
        ),
    )
