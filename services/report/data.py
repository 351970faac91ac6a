"""The report's data: frozen dataclasses that documents/report.py turns into the PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.report import Fulfilment
from services.activity import Period

NORM_OF_MEETINGS = 4


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
class GoalLine:
    """One goal or task of the association and how it was fulfilled (section 2)."""

    number: int
    text: str
    proposed: Fulfilment
    confirmed: Fulfilment | None = None  # None: the leader has not assessed it yet
    reason: str = ""

    @property
    def value(self) -> Fulfilment:
        return self.confirmed or self.proposed


@dataclass(frozen=True)
class ScaleLine:
    """One 1–5 question of the end-of-year survey: how many gave each score (section 9)."""

    text: str
    counts: tuple[int, int, int, int, int]

    @property
    def answers(self) -> int:
        return sum(self.counts)

    @property
    def average(self) -> float | None:
        total = sum(score * n for score, n in enumerate(self.counts, 1))
        return total / self.answers if self.answers else None


@dataclass(frozen=True)
class Evaluation:
    """The members' evaluation from the end-of-year survey(s) of the period."""

    surveys: int = 0
    respondents: int = 0
    scales: tuple[ScaleLine, ...] = ()


@dataclass(frozen=True)
class Needs:
    """The needs diagnostics of the period: the most chosen options (section 8)."""

    surveys: int = 0
    respondents: int = 0
    top: tuple[Share, ...] = ()


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
    goal_lines: tuple[GoalLine, ...] = ()
    evaluation: Evaluation = field(default_factory=Evaluation)
    needs: Needs = field(default_factory=Needs)
    conclusions: str = ""  # the leader's own conclusions and tasks for next year

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
