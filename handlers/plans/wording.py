"""How plans read, shared by the screens and the notices of /plan."""

from __future__ import annotations

from datetime import date

from bot.i18n import Translator
from bot.meeting_forms import FORM_TITLES
from models import User
from models.plans import Plan, PlanItemStatus, PlanRoute, PlanStatus, RouteStep
from services import plans as service
from services.formatting import format_date, format_month
from services.texts import T_

STATUS_TITLES = {
    PlanStatus.DRAFT: T_("draft"),
    PlanStatus.AGREED: T_("agreed, waiting for approval"),
    PlanStatus.APPROVED: T_("approved"),
    PlanStatus.RETURNED: T_("returned for revision"),
}
# A submitted plan is with the person of its current step: it reads after that step.
WAITING_TITLES = {
    RouteStep.AGREEMENT: T_("submitted for agreement"),
    RouteStep.APPROVAL: T_("submitted for approval"),
}
ITEM_MARKS = {
    PlanItemStatus.PLANNED: "▫️",
    PlanItemStatus.DONE: "✅",
    PlanItemStatus.MOVED: "↪️",
    PlanItemStatus.CANCELLED: "✖",
}
STEP_TITLES = {RouteStep.AGREEMENT: T_("Agreement"), RouteStep.APPROVAL: T_("Approval")}
LABEL_LIMIT = 40


def status_title(t: Translator, plan: Plan) -> str:
    """The plan's status in words (plain text), after the step actually taken."""
    if plan.status is PlanStatus.SUBMITTED:
        return t.plain(WAITING_TITLES[service.waiting_step(plan) or RouteStep.APPROVAL])
    return t.plain(STATUS_TITLES[PlanStatus(plan.status)])


def when(t: Translator, year: int, month: int, on_date: date | None) -> str:
    if on_date is not None:
        return format_date(on_date, t.language)
    return format_month(year, month, t.language)


def form_title(t: Translator, form: str) -> str:
    return t.plain(FORM_TITLES.get(form, FORM_TITLES["other"]))


def clip(text: str, limit: int = LABEL_LIMIT) -> str:
    """A button label cut on a word boundary, with «…» when it was cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:—-") + "…"


def route_lines(t: Translator, route: list[tuple[PlanRoute, User]]) -> list[str]:
    return [
        t.gettext(
            "{step}: {person}, {position}",
            step=t.plain(STEP_TITLES[RouteStep(row.step)]),
            person=person.full_name or "",
            position=row.position,
        )
        for row, person in route
    ]


def first_step(route: list[tuple[PlanRoute, User]]) -> RouteStep:
    """Where the plan goes when it is submitted (the approval when nobody agrees it)."""
    return RouteStep(route[0][0].step) if route else RouteStep.APPROVAL
