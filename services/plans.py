"""Year work plans: items, checks, proposals, the approval route, versions, progress.

Who is told what is recorded as notices (`plan.*` kinds, services/notices.py); their words
live in handlers/plans/notices.py. A decision on a plan is taken under a lock on the plan's
row, so two presses at once decide it once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from documents import Approval, AssociationInfo, Person, PlanData, PlanItem, build_plan
from models import (
    Association,
    MemberRole,
    Membership,
    MembershipStatus,
    NetworkRole,
    NetworkRoleGrant,
    User,
)
from models.meetings import Meeting, MeetingStatus
from models.plans import (
    Plan,
    PlanApproval,
    PlanEntry,
    PlanItemStatus,
    PlanProposal,
    PlanRoute,
    PlanStatus,
    ProposalStatus,
    RouteStep,
)
from services.access import Actor, network_roles, require_association_role, require_registered
from services.clock import academic_year_start, now
from services.dateparse import MONTHS
from services.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from services.locks import lock
from services.meetings import FORMS, active_members
from services.notices import Notice, tell
from services.outbox import store_file
from services.texts import N_, T_

MANAGERS = (MemberRole.LEADER, MemberRole.SECRETARY)
ROUTE_ROLES = (NetworkRole.APPROVER, NetworkRole.METHODIST)
MIN_MEETINGS = 4
MAX_ITEMS = 40
STUDY_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5)


class BadMonth(InvalidInput):
    message = N_(
        "Please write the month or the date, for example: <i>December</i>, <i>12.2026</i> "
        "or <i>15.12.2026</i>."
    )


class BadPlanText(InvalidInput):
    message = N_("Please write it in 3 to 300 characters.")


class TooManyItems(InvalidInput):
    message = N_("A plan may have at most {limit} items.")


class PlanFrozen(DomainError):
    message = N_(
        "The plan is with the approvers now; it can be changed after they decide or return it."
    )


class NoRoute(DomainError):
    message = N_(
        "Set the approval route first: at least the approver (the «🧭 Route» button under "
        "the plan)."
    )


class EmptyPlan(DomainError):
    message = N_("The plan has no items yet.")


class NotYourStep(DomainError):
    message = N_("This plan is not waiting for your decision.")


class NotAnApprover(DomainError):
    message = N_(
        "{name} does not have the role «approver» or «network methodist». These roles are "
        "granted by the platform administrator."
    )


class PlanAlreadyDecided(NotYourStep):
    message = N_("This step of the plan is already decided: nothing more is needed from you.")


class ProposalDecided(DomainError):
    message = N_("This proposal has already been decided.")


class NotApproved(DomainError):
    message = N_("Progress is marked on the approved plan.")


# cleaning input ------------------------------------------------------------------------
_MONTH_YEAR = re.compile(r"^(?P<m>\d{1,2})[./](?P<y>\d{4})$")
_DAY = re.compile(r"^(?P<d>\d{1,2})[./](?P<m>\d{1,2})(?:[./](?P<y>\d{4}))?$")
_WORD = re.compile(r"^(?P<mon>[^\W\d_]+)(?:\s+(?P<y>\d{4}))?(?:\s*г\.?)?$")


def _word_month(word: str) -> int | None:
    word = word.lower()
    if word in ("май", "мая", "мае", "may"):
        return 5
    for stem, number in MONTHS.items():
        if stem != "ма" and word.startswith(stem):
            return number
    return None


def _year_for(month: int, academic_year: int) -> int:
    return academic_year if month >= 9 else academic_year + 1


def parse_when(text: str, academic_year: int) -> tuple[int, int, date | None]:
    """«декабрь», "December", "12.2026", "15.12.2026" or "15.12" -> (year, month, date)."""
    value = " ".join(text.strip().split()).lower()
    try:
        if match := _MONTH_YEAR.match(value):
            month, year = int(match["m"]), int(match["y"])
            if not 1 <= month <= 12:
                raise BadMonth()
            return year, month, None
        if match := _DAY.match(value):
            day, month = int(match["d"]), int(match["m"])
            year = int(match["y"]) if match["y"] else _year_for(month, academic_year)
            on = date(year, month, day)
            return on.year, on.month, on
        if match := _WORD.match(value):
            month = _word_month(match["mon"])
            if month is None:
                raise BadMonth()
            year = int(match["y"]) if match["y"] else _year_for(month, academic_year)
            return year, month, None
    except ValueError as error:
        raise BadMonth() from error
    raise BadMonth()


def clean_query(text: str) -> str:
    """A search for route people: at least two letters of a name or a school."""
    needle = " ".join(text.lower().split())
    if len(needle) < 2:
        raise BadPlanText()
    return needle


def clean_text(text: str) -> str:
    value = " ".join(text.split())
    if not 3 <= len(value) <= 300:
        raise BadPlanText()
    return value


# reading ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanView:
    plan: Plan
    association: Association
    items: list[PlanEntry]
    people: dict[int, User]


def current_academic_year(association: Association) -> int:
    today = now().date()
    if today < association.period_start:
        today = association.period_start
    return academic_year_start(today)


async def _latest(session: AsyncSession, association_id: int, year: int) -> Plan | None:
    return await session.scalar(
        select(Plan)
        .where(Plan.association_id == association_id, Plan.academic_year == year)
        .order_by(Plan.version.desc())
        .limit(1)
    )


async def current_plan(session: AsyncSession, association_id: int) -> Plan:
    """The newest version of this year's plan (an empty draft is created when none)."""
    association = await session.get_one(Association, association_id)
    year = current_academic_year(association)
    plan = await _latest(session, association_id, year)
    if plan is None:
        plan = Plan(association_id=association_id, academic_year=year, version=1, route=[])
        session.add(plan)
        await session.flush()
    return plan


async def approved_plan(session: AsyncSession, association_id: int) -> Plan | None:
    association = await session.get_one(Association, association_id)
    return await session.scalar(
        select(Plan)
        .where(
            Plan.association_id == association_id,
            Plan.academic_year == current_academic_year(association),
            Plan.status == PlanStatus.APPROVED,
        )
        .order_by(Plan.version.desc())
        .limit(1)
    )


async def get_plan(session: AsyncSession, plan_id: int) -> Plan:
    plan = await session.get(Plan, plan_id)
    if plan is None:
        raise NotFound()
    return plan


async def items_of(session: AsyncSession, plan_id: int) -> list[PlanEntry]:
    rows = await session.scalars(
        select(PlanEntry)
        .where(PlanEntry.plan_id == plan_id)
        .order_by(PlanEntry.year, PlanEntry.month, PlanEntry.on_date, PlanEntry.id)
    )
    return list(rows.all())


async def view_of(session: AsyncSession, plan: Plan) -> PlanView:
    association = await session.get_one(Association, plan.association_id)
    items = await items_of(session, plan.id)
    ids = {uid for item in items for uid in item.responsible_user_ids}
    ids |= {step["user_id"] for step in plan.route}
    people = {}
    if ids:
        people = {u.id: u for u in (await session.scalars(select(User).where(User.id.in_(ids))))}
    return PlanView(plan, association, items, people)


async def my_associations(session: AsyncSession, actor: Actor) -> list[tuple[Association, bool]]:
    """The actor's associations and whether they manage each plan."""
    user = await require_registered(session, actor)
    rows = await session.execute(
        select(Association, Membership.role)
        .join(Membership, Membership.association_id == Association.id)
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Association.name)
    )
    return [(a, role in MANAGERS) for a, role in rows.all()]


async def can_manage(session: AsyncSession, actor: Actor, association_id: int) -> bool:
    try:
        await require_association_role(session, actor, association_id, *MANAGERS)
    except PermissionDenied:
        return False
    return True


# what the screens show -----------------------------------------------------------------
@dataclass(frozen=True)
class PlanScreen:
    """The plan as a member or a manager sees it in /plan."""

    view: PlanView
    manager: bool
    route: list[tuple[PlanRoute, User]]
    approved: Plan | None  # the approved version, when it is not the one shown


@dataclass(frozen=True)
class ItemScreen:
    """One item of a plan, for the people who manage the plan."""

    item: PlanEntry
    view: PlanView


async def _association(session: AsyncSession, association_id: int) -> Association:
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    return association


async def plan_screen(session: AsyncSession, actor: Actor, association_id: int) -> PlanScreen:
    """The newest version of the association's plan for a member (or a manager)."""
    await _association(session, association_id)
    await require_association_role(session, actor, association_id)
    plan = await current_plan(session, association_id)
    approved = await approved_plan(session, association_id)
    return PlanScreen(
        view=await view_of(session, plan),
        manager=await can_manage(session, actor, association_id),
        route=await route_of(session, association_id),
        approved=approved if approved is not None and approved.id != plan.id else None,
    )


async def item_screen(session: AsyncSession, actor: Actor, item_id: int) -> ItemScreen:
    """An item with its plan, for a manager of the plan."""
    item = await session.get(PlanEntry, item_id)
    if item is None:
        raise NotFound()
    plan = await get_plan(session, item.plan_id)
    await require_association_role(session, actor, plan.association_id, *MANAGERS)
    return ItemScreen(item, await view_of(session, plan))


async def academic_year_of(session: AsyncSession, association_id: int) -> int:
    """The academic year the association's plan is for now (dates are read in it)."""
    return current_academic_year(await _association(session, association_id))


async def start_item(
    session: AsyncSession, actor: Actor, association_id: int
) -> tuple[int, list[User]]:
    """Before a new item is asked for: the academic year and who may be responsible."""
    await _association(session, association_id)
    await editable_plan(session, actor, association_id)
    return (
        await academic_year_of(session, association_id),
        await active_members(session, association_id),
    )


async def start_proposal(session: AsyncSession, actor: Actor, association_id: int) -> int:
    """Before a member proposes an item: the academic year it is read in."""
    await _association(session, association_id)
    await require_association_role(session, actor, association_id)
    return await academic_year_of(session, association_id)


async def meetings_for_item(
    session: AsyncSession, actor: Actor, item_id: int
) -> tuple[ItemScreen, list[Meeting]]:
    """The held meetings that may have fulfilled the item."""
    screen = await item_screen(session, actor, item_id)
    return screen, await held_meetings(session, screen.view.plan.association_id)


async def managed_route(
    session: AsyncSession, actor: Actor, association_id: int
) -> list[tuple[PlanRoute, User]]:
    """The association's route, for its managers."""
    await _association(session, association_id)
    await require_association_role(session, actor, association_id, *MANAGERS)
    return await route_of(session, association_id)


@dataclass(frozen=True)
class Checks:
    """What the leader reads before sending the plan along its route."""

    plan: Plan
    warnings: list[Warning]
    route: list[tuple[PlanRoute, User]]


async def checks_of(session: AsyncSession, actor: Actor, plan_id: int) -> Checks:
    plan = await get_plan(session, plan_id)
    route = await managed_route(session, actor, plan.association_id)
    return Checks(plan, check(await view_of(session, plan)), route)


async def plan_pdf(session: AsyncSession, actor: Actor, plan_id: int) -> tuple[Plan, bytes]:
    """A version of the plan as a PDF, for a member of the association."""
    plan = await get_plan(session, plan_id)
    await require_association_role(session, actor, plan.association_id)
    return plan, await pdf_of(session, await view_of(session, plan))


# checks ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Warning:
    message: str
    params: dict[str, object]


MONTH_NAMES = {
    1: T_("January"), 2: T_("February"), 3: T_("March"), 4: T_("April"), 5: T_("May"),
    9: T_("September"), 10: T_("October"), 11: T_("November"), 12: T_("December"),
}  # fmt: skip


def check(view: PlanView) -> list[Warning]:
    """What the leader should see before submitting."""
    items = [i for i in view.items if i.status is not PlanItemStatus.CANCELLED]
    found: list[Warning] = []
    if len(items) < MIN_MEETINGS:
        found.append(
            Warning(
                N_("Fewer than {minimum} meetings are planned ({count})."),
                {"minimum": MIN_MEETINGS, "count": len(items)},
            )
        )
    if len({i.form for i in items}) <= 1 and items:
        found.append(Warning(N_("Only one form of work is used."), {}))
    months = {i.month for i in items}
    empty = [MONTH_NAMES[m] for m in STUDY_MONTHS if m not in months]
    if empty:
        found.append(Warning(N_("Months with nothing planned: {months}."), {"months": empty}))
    association = view.association
    outside = []
    for index, item in enumerate(view.items, 1):
        first = item.on_date or date(item.year, item.month, 1)
        last = item.on_date or date(item.year + item.month // 12, item.month % 12 + 1, 1)
        if (
            last <= association.period_start
            or first > association.period_end
            or (
                item.on_date
                and not association.period_start <= item.on_date <= association.period_end
            )
        ):
            outside.append(str(index))
    if outside:
        found.append(
            Warning(
                N_("Items outside the association's period: {numbers}."),
                {"numbers": ", ".join(outside)},
            )
        )
    return found


# editing ---------------------------------------------------------------------------------
async def editable_plan(session: AsyncSession, actor: Actor, association_id: int) -> Plan:
    """The version the leader may change; after approval a new version (a copy) is made."""
    await require_association_role(session, actor, association_id, *MANAGERS)
    plan = await current_plan(session, association_id)
    if plan.status in (PlanStatus.SUBMITTED, PlanStatus.AGREED):
        raise PlanFrozen()
    if plan.status is PlanStatus.APPROVED:
        copy = Plan(
            association_id=association_id,
            academic_year=plan.academic_year,
            version=plan.version + 1,
            route=[],
        )
        session.add(copy)
        await session.flush()
        for item in await items_of(session, plan.id):
            session.add(
                PlanEntry(
                    plan_id=copy.id,
                    year=item.year,
                    month=item.month,
                    on_date=item.on_date,
                    topic=item.topic,
                    form=item.form,
                    responsible_user_ids=list(item.responsible_user_ids),
                    expected_result=item.expected_result,
                    status=item.status,
                    meeting_id=item.meeting_id,
                )
            )
        await session.flush()
        plan = copy
    return plan


async def _item_for_edit(session: AsyncSession, actor: Actor, item_id: int) -> PlanEntry:
    """The item (in the editable version: a copy if the plan was approved)."""
    item = await session.get(PlanEntry, item_id)
    if item is None:
        raise NotFound()
    old_plan = await get_plan(session, item.plan_id)
    plan = await editable_plan(session, actor, old_plan.association_id)
    if plan.id == item.plan_id:
        return item
    # the approved version was copied: find the same line in the copy
    old_items = await items_of(session, old_plan.id)
    new_items = await items_of(session, plan.id)
    if old_plan.version + 1 != plan.version or len(old_items) != len(new_items):
        raise NotFound()
    return new_items[[i.id for i in old_items].index(item.id)]


async def _check_people(session: AsyncSession, association_id: int, ids: Sequence[int]) -> None:
    members = {u.id for u in await active_members(session, association_id)}
    if not set(ids) <= members:
        raise InvalidInput()


async def add_item(
    session: AsyncSession,
    actor: Actor,
    *,
    association_id: int,
    when: tuple[int, int, date | None],
    topic: str,
    form: str,
    responsible: Sequence[int],
    expected_result: str,
) -> PlanEntry:
    plan = await editable_plan(session, actor, association_id)
    if form not in FORMS:
        raise InvalidInput()
    count = await session.scalar(select(func.count()).where(PlanEntry.plan_id == plan.id))
    if (count or 0) >= MAX_ITEMS:
        raise TooManyItems(limit=MAX_ITEMS)
    await _check_people(session, association_id, responsible)
    item = PlanEntry(
        plan_id=plan.id,
        year=when[0],
        month=when[1],
        on_date=when[2],
        topic=clean_text(topic),
        form=form,
        responsible_user_ids=list(dict.fromkeys(responsible)),
        expected_result=clean_text(expected_result),
    )
    session.add(item)
    _reopen(plan)
    await session.flush()
    return item


def _reopen(plan: Plan) -> None:
    if plan.status is PlanStatus.RETURNED:
        plan.status = PlanStatus.DRAFT


async def move_item(
    session: AsyncSession, actor: Actor, *, item_id: int, when: tuple[int, int, date | None]
) -> PlanEntry:
    item = await _item_for_edit(session, actor, item_id)
    item.year, item.month, item.on_date = when
    _reopen(await get_plan(session, item.plan_id))
    await session.flush()
    return item


async def edit_topic(session: AsyncSession, actor: Actor, *, item_id: int, topic: str) -> PlanEntry:
    item = await _item_for_edit(session, actor, item_id)
    item.topic = clean_text(topic)
    _reopen(await get_plan(session, item.plan_id))
    await session.flush()
    return item


async def delete_item(session: AsyncSession, actor: Actor, *, item_id: int) -> Plan:
    item = await _item_for_edit(session, actor, item_id)
    plan = await get_plan(session, item.plan_id)
    await session.delete(item)
    _reopen(plan)
    await session.flush()
    return plan


# the route -------------------------------------------------------------------------------
async def route_of(session: AsyncSession, association_id: int) -> list[tuple[PlanRoute, User]]:
    rows = await session.execute(
        select(PlanRoute, User)
        .join(User, User.id == PlanRoute.user_id)
        .where(PlanRoute.association_id == association_id)
    )
    order = {RouteStep.AGREEMENT: 0, RouteStep.APPROVAL: 1}
    return sorted(
        [(row, user) for row, user in rows.all()], key=lambda pair: order[RouteStep(pair[0].step)]
    )


async def search_route_people(session: AsyncSession, query: str, *, limit: int = 10) -> list[User]:
    """Registered users with the approver or methodist role whose name or school matches."""
    needle = clean_query(query)
    holders = select(NetworkRoleGrant.user_id).where(NetworkRoleGrant.role.in_(ROUTE_ROLES))
    rows = await session.scalars(
        select(User)
        .where(
            User.id.in_(holders),
            User.registered_at.is_not(None),
            User.forgotten_at.is_(None),
            User.search_text.contains(needle, autoescape=True),
        )
        .order_by(User.full_name)
        .limit(limit)
    )
    return list(rows.all())


async def set_route_step(
    session: AsyncSession,
    actor: Actor,
    *,
    association_id: int,
    step: RouteStep,
    user_id: int,
    position: str,
) -> PlanRoute:
    await require_association_role(session, actor, association_id, *MANAGERS)
    person = await session.get(User, user_id)
    if person is None or not person.is_registered:
        raise NotFound()
    if not (await network_roles(session, user_id)) & set(ROUTE_ROLES):
        raise NotAnApprover(name=person.full_name or "")
    row = await session.scalar(
        select(PlanRoute).where(PlanRoute.association_id == association_id, PlanRoute.step == step)
    )
    if row is None:
        row = PlanRoute(association_id=association_id, step=step, user_id=user_id, position="")
        session.add(row)
    row.user_id = user_id
    row.position = clean_text(position)
    await session.flush()
    return row


async def remove_agreement(session: AsyncSession, actor: Actor, *, association_id: int) -> None:
    await require_association_role(session, actor, association_id, *MANAGERS)
    row = await session.scalar(
        select(PlanRoute).where(
            PlanRoute.association_id == association_id, PlanRoute.step == RouteStep.AGREEMENT
        )
    )
    if row is not None:
        await session.delete(row)
        await session.flush()


# submission and decisions ------------------------------------------------------------------
async def submit(session: AsyncSession, actor: Actor, *, plan_id: int) -> Plan:
    """Send the current version along the association's route (to its first step)."""
    plan = await get_plan(session, plan_id)
    await require_association_role(session, actor, plan.association_id, *MANAGERS)
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise PlanFrozen()
    if plan.id != (await current_plan(session, plan.association_id)).id:
        raise NotFound()
    if not await items_of(session, plan.id):
        raise EmptyPlan()
    route = await route_of(session, plan.association_id)
    if not any(row.step == RouteStep.APPROVAL for row, _ in route):
        raise NoRoute()
    plan.route = [
        {"step": str(row.step), "user_id": row.user_id, "position": row.position}
        for row, _ in route
    ]
    plan.current_step = 0
    plan.status = PlanStatus.SUBMITTED
    plan.returned_comment = None
    plan.submitted_at = now()
    await session.flush()
    await _send_for_review(session, plan)
    return plan


def waiting_step(plan: Plan) -> RouteStep | None:
    """The kind of step the plan is waiting for (None when nobody is deciding it)."""
    if plan.current_step is None or plan.status not in (PlanStatus.SUBMITTED, PlanStatus.AGREED):
        return None
    return RouteStep(plan.route[plan.current_step]["step"])


async def _send_for_review(session: AsyncSession, plan: Plan) -> None:
    step = plan.current_step or 0
    view = await view_of(session, plan)
    person = view.people[plan.route[step]["user_id"]]
    rounds = len(await approvals_of(session, plan.id))
    tell(
        session,
        Notice(
            "plan.review",
            {
                "name": view.association.name,
                "academic_year": plan.academic_year,
                "version": plan.version,
                "step_kind": RouteStep(plan.route[step]["step"]),
                "plan_id": plan.id,
                "step": step,
            },
            user=person,
            file_id=await _stored_pdf(session, view),
            dedupe_key=f"plan:{plan.id}:review:{step}:{rounds}",
        ),
    )


async def _stored_pdf(session: AsyncSession, view: PlanView) -> int:
    stored = await store_file(
        session,
        filename=f"plan-{view.plan.academic_year}-v{view.plan.version}.pdf",
        mime_type="application/pdf",
        content=await pdf_of(session, view),
    )
    return stored.id


async def deciding_plan(session: AsyncSession, actor: Actor, *, plan_id: int, step: int) -> Plan:
    """The plan, locked, if it is waiting for the actor's decision at route step `step`.

    Taken under the plan's row lock (services/locks.py): of two presses at once the second
    sees the first one's decision and is told the plan is already decided.
    """
    plan, _ = await _deciding(session, actor, plan_id, step)
    return plan


async def _deciding(
    session: AsyncSession, actor: Actor, plan_id: int, step: int
) -> tuple[Plan, User]:
    user = await require_registered(session, actor)
    try:
        plan = await lock(session, Plan, plan_id)
    except LookupError as error:
        raise NotYourStep() from error
    if not 0 <= step < len(plan.route) or plan.route[step]["user_id"] != user.id:
        raise NotYourStep()
    if plan.current_step != step or plan.status not in (PlanStatus.SUBMITTED, PlanStatus.AGREED):
        raise PlanAlreadyDecided()
    return plan, user


async def decide(
    session: AsyncSession,
    actor: Actor,
    *,
    plan_id: int,
    step: int,
    accept: bool,
    comment: str = "",
) -> Plan:
    """The person of route step `step` agrees/approves or returns the plan, once."""
    plan, user = await _deciding(session, actor, plan_id, step)
    entry = plan.route[step]
    kind = RouteStep(entry["step"])
    if not accept:
        comment = clean_text(comment)
        decision = "returned"
    else:
        decision = "approved" if kind is RouteStep.APPROVAL else "agreed"
    session.add(
        PlanApproval(
            plan_id=plan.id,
            step=kind,
            user_id=user.id,
            position=entry["position"],
            decision=decision,
            comment=comment or None,
            decided_at=now(),
        )
    )
    _apply(plan, decision, comment)
    await session.flush()
    view = await view_of(session, plan)
    await _tell_managers(session, view, decision, by=user, comment=comment)
    if decision == "agreed":
        await _send_for_review(session, plan)
    if decision == "approved" and view.association.chat_id is not None:
        await _post_approved(session, view)
    return plan


def _apply(plan: Plan, decision: str, comment: str) -> None:
    if decision == "returned":
        plan.status = PlanStatus.RETURNED
        plan.returned_comment = comment
        plan.current_step = None
    elif decision == "approved":
        plan.status = PlanStatus.APPROVED
        plan.approved_at = now()
        plan.current_step = None
    else:
        plan.status = PlanStatus.AGREED
        plan.current_step = (plan.current_step or 0) + 1


async def _tell_managers(
    session: AsyncSession, view: PlanView, decision: str, *, by: User, comment: str
) -> None:
    params = {
        "name": view.association.name,
        "version": view.plan.version,
        "person": by.full_name or "",
        "comment": comment,
    }
    tell(
        session,
        *(
            Notice(f"plan.{decision}", params, user=leader)
            for leader in await _managers(session, view.plan.association_id)
        ),
    )


async def _post_approved(session: AsyncSession, view: PlanView) -> None:
    association = view.association
    assert association.chat_id is not None
    thread = association.forum_topics.get("announcements") if association.chat_is_forum else None
    tell(
        session,
        Notice(
            "plan.approved_post",
            {"academic_year": view.plan.academic_year},
            chat_id=association.chat_id,
            thread_id=thread,
            file_id=await _stored_pdf(session, view),
            dedupe_key=f"plan:{view.plan.id}:approved",
        ),
    )


async def _managers(session: AsyncSession, association_id: int) -> list[User]:
    rows = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role == MemberRole.LEADER,
        )
    )
    return list(rows.all())


async def approvals_of(session: AsyncSession, plan_id: int) -> list[PlanApproval]:
    rows = await session.scalars(
        select(PlanApproval).where(PlanApproval.plan_id == plan_id).order_by(PlanApproval.id)
    )
    return list(rows.all())


# the PDF ---------------------------------------------------------------------------------
async def pdf_of(session: AsyncSession, view: PlanView) -> bytes:
    plan, association = view.plan, view.association
    agreed = approved = None
    for entry in plan.route:
        stamp = Approval(
            position=entry["position"],
            full_name=(view.people[entry["user_id"]].full_name or ""),
        )
        if entry["step"] == RouteStep.AGREEMENT:
            agreed = stamp
        else:
            approved = stamp
    if not plan.route:
        rows = await route_of(session, association.id)
        for row, person in rows:
            stamp = Approval(position=row.position, full_name=person.full_name or "")
            if row.step == RouteStep.AGREEMENT:
                agreed = stamp
            else:
                approved = stamp
    for decision in await approvals_of(session, plan.id):
        if decision.decision == "agreed" and agreed is not None:
            agreed = Approval(
                agreed.position,
                full_name=agreed.full_name,
                signed_on=_day(decision, association.timezone),
            )
        elif decision.decision == "approved" and approved is not None:
            approved = Approval(
                approved.position,
                full_name=approved.full_name,
                signed_on=_day(decision, association.timezone),
            )
    leaders = await _managers(session, association.id)
    items = [
        PlanItem(
            topic=item.topic,
            month=(item.year, item.month),
            on_date=item.on_date,
            form=item.form,
            responsible=[
                view.people[uid].full_name or ""
                for uid in item.responsible_user_ids
                if uid in view.people
            ],
            expected_result=item.expected_result,
            done_mark=_done_mark(item),
        )
        for item in view.items
    ]
    data = PlanData(
        association=AssociationInfo(
            name=association.name,
            kind=str(association.kind),
            organisation=association.organisation or "",
        ),
        academic_year=plan.academic_year,
        items=items,
        methodological_topic=association.topic or "",
        agreed=agreed,
        approved=approved,
        status=str(plan.status),
        version=plan.version,
        leader=Person(leaders[0].full_name or "") if leaders else None,
        returned_comment=plan.returned_comment or "",
    )
    return build_plan(data)


def _day(decision: PlanApproval, timezone: str) -> date:
    """The calendar day of the decision where the association is (not in UTC)."""
    return decision.decided_at.astimezone(ZoneInfo(timezone)).date()


_DONE_MARKS = {
    PlanItemStatus.DONE: "выполнено",
    PlanItemStatus.MOVED: "перенесено",
    PlanItemStatus.CANCELLED: "отменено",
}


def _done_mark(item: PlanEntry) -> str:
    return _DONE_MARKS.get(PlanItemStatus(item.status), "")


# proposals -------------------------------------------------------------------------------
async def propose(
    session: AsyncSession,
    actor: Actor,
    *,
    association_id: int,
    when: tuple[int, int, date | None],
    topic: str,
) -> PlanProposal:
    """A member proposes an item; the leaders are asked to accept or decline it."""
    user = await require_association_role(session, actor, association_id)
    proposal = PlanProposal(
        association_id=association_id,
        user_id=user.id,
        year=when[0],
        month=when[1],
        on_date=when[2],
        topic=clean_text(topic),
    )
    session.add(proposal)
    await session.flush()
    params = {
        "proposal_id": proposal.id,
        "person": user.full_name or "",
        "topic": proposal.topic,
        "when": (proposal.year, proposal.month, proposal.on_date),
    }
    tell(
        session,
        *(
            Notice("plan.proposal", params, user=leader)
            for leader in await _managers(session, association_id)
        ),
    )
    return proposal


async def decide_proposal(
    session: AsyncSession, actor: Actor, *, proposal_id: int, accept: bool
) -> PlanProposal:
    """Accept (as an item of the plan) or decline a member's proposal, once."""
    proposal = await session.get(PlanProposal, proposal_id)
    if proposal is None:
        raise NotFound()
    await require_association_role(session, actor, proposal.association_id, *MANAGERS)
    proposal = await lock(session, PlanProposal, proposal_id)
    if proposal.status is not ProposalStatus.PENDING:
        raise ProposalDecided()
    if accept:
        await add_item(
            session,
            actor,
            association_id=proposal.association_id,
            when=(proposal.year, proposal.month, proposal.on_date),
            topic=proposal.topic,
            form="other",
            responsible=[proposal.user_id],
            expected_result=proposal.topic,
        )
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    proposal.decided_at = now()
    proposer = await session.get_one(User, proposal.user_id)
    kind = "plan.proposal_accepted" if accept else "plan.proposal_declined"
    tell(session, Notice(kind, {"topic": proposal.topic}, user=proposer))
    await session.flush()
    return proposal


# progress --------------------------------------------------------------------------------
async def held_meetings(session: AsyncSession, association_id: int) -> list[Meeting]:
    rows = await session.scalars(
        select(Meeting)
        .where(
            Meeting.association_id == association_id,
            Meeting.status.in_((MeetingStatus.SCHEDULED, MeetingStatus.PROTOCOL_APPROVED)),
            Meeting.starts_at <= now(),
        )
        .order_by(Meeting.starts_at.desc())
        .limit(20)
    )
    return list(rows.all())


async def mark_progress(
    session: AsyncSession,
    actor: Actor,
    *,
    item_id: int,
    status: PlanItemStatus,
    meeting_id: int | None = None,
) -> PlanEntry:
    """Mark an item of the approved plan done (with its meeting), moved or cancelled."""
    item = await session.get(PlanEntry, item_id)
    if item is None:
        raise NotFound()
    plan = await get_plan(session, item.plan_id)
    await require_association_role(session, actor, plan.association_id, *MANAGERS)
    if plan.status is not PlanStatus.APPROVED:
        raise NotApproved()
    if status is PlanItemStatus.DONE:
        meeting = await session.get(Meeting, meeting_id) if meeting_id else None
        if meeting is None or meeting.association_id != plan.association_id:
            raise NotFound()
        item.meeting_id = meeting.id
    else:
        item.meeting_id = None
    item.status = status
    await session.flush()
    return item
