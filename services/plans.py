"""Year work plans: items, checks, proposals, the approval route, versions, progress.

Texts for other people are composed by the caller (`PlanTexts`), so this module stays free
of the messenger and of translations: it decides who gets what and enqueues it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol
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
from services.meetings import FORMS, active_members
from services.outbox import Buttons, Outgoing, enqueue, store_file
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
    message = N_("Set the approval route first: at least the person who approves.")


class EmptyPlan(DomainError):
    message = N_("The plan has no items yet.")


class NotYourStep(DomainError):
    message = N_("This plan is not waiting for your decision.")


class NotAnApprover(DomainError):
    message = N_("{name} does not have the approver or methodist role.")


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


class PlanTexts(Protocol):
    def review_request(self, view: PlanView, user: User, step: int) -> tuple[str, Buttons]: ...

    def outcome(self, view: PlanView, user: User, decision: str, by: User, comment: str) -> str: ...

    def approved_post(self, view: PlanView) -> str: ...

    def proposal(self, proposal: PlanProposal, by: User, user: User) -> tuple[str, Buttons]: ...

    def proposal_outcome(self, proposal: PlanProposal, user: User) -> str: ...


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
    needle = " ".join(query.lower().split())
    if len(needle) < 2:
        raise BadPlanText()
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
async def submit(session: AsyncSession, actor: Actor, *, plan_id: int, texts: PlanTexts) -> Plan:
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
    await _send_for_review(session, plan, texts)
    return plan


async def _send_for_review(session: AsyncSession, plan: Plan, texts: PlanTexts) -> None:
    step = plan.current_step or 0
    view = await view_of(session, plan)
    person = view.people[plan.route[step]["user_id"]]
    pdf = await _stored_pdf(session, view)
    text, buttons = texts.review_request(view, person, step)
    rounds = len(await approvals_of(session, plan.id))
    await enqueue(
        session,
        [
            Outgoing(
                chat_id=person.telegram_id or 0,
                kind="document",
                file_id=pdf,
                text=text,
                buttons=buttons,
                dedupe_key=f"plan:{plan.id}:review:{step}:{rounds}",
            )
        ],
    )


async def _stored_pdf(session: AsyncSession, view: PlanView) -> int:
    stored = await store_file(
        session,
        filename=f"plan-{view.plan.academic_year}-v{view.plan.version}.pdf",
        mime_type="application/pdf",
        content=await pdf_of(session, view),
    )
    return stored.id


async def decide(
    session: AsyncSession,
    actor: Actor,
    *,
    plan_id: int,
    step: int,
    accept: bool,
    comment: str = "",
    texts: PlanTexts,
) -> Plan:
    """The person of route step `step` agrees/approves or returns the plan."""
    user = await require_registered(session, actor)
    plan = await session.get(Plan, plan_id)
    if (
        plan is None
        or plan.status not in (PlanStatus.SUBMITTED, PlanStatus.AGREED)
        or plan.current_step != step
        or not 0 <= step < len(plan.route)
        or plan.route[step]["user_id"] != user.id
    ):
        raise NotYourStep()
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
        plan.current_step = step + 1
    await session.flush()
    view = await view_of(session, plan)
    messages = [
        Outgoing(
            chat_id=leader.telegram_id or 0,
            text=texts.outcome(view, leader, decision, user, comment),
        )
        for leader in await _managers(session, plan.association_id)
    ]
    await enqueue(session, messages)
    if decision == "agreed":
        await _send_for_review(session, plan, texts)
    if decision == "approved" and view.association.chat_id is not None:
        pdf = await _stored_pdf(session, view)
        thread = (
            view.association.forum_topics.get("announcements")
            if view.association.chat_is_forum
            else None
        )
        await enqueue(
            session,
            [
                Outgoing(
                    chat_id=view.association.chat_id,
                    thread_id=thread,
                    kind="document",
                    file_id=pdf,
                    text=texts.approved_post(view),
                    dedupe_key=f"plan:{plan.id}:approved",
                )
            ],
        )
    return plan


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
    texts: PlanTexts,
) -> PlanProposal:
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
    await enqueue(
        session,
        [
            Outgoing(chat_id=leader.telegram_id or 0, text=text, buttons=buttons)
            for leader in await _managers(session, association_id)
            for text, buttons in [texts.proposal(proposal, user, leader)]
        ],
    )
    return proposal


async def decide_proposal(
    session: AsyncSession, actor: Actor, *, proposal_id: int, accept: bool, texts: PlanTexts
) -> PlanProposal:
    proposal = await session.get(PlanProposal, proposal_id)
    if proposal is None:
        raise NotFound()
    await require_association_role(session, actor, proposal.association_id, *MANAGERS)
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
    await enqueue(
        session,
        [
            Outgoing(
                chat_id=proposer.telegram_id or 0, text=texts.proposal_outcome(proposal, proposer)
            )
        ],
    )
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
