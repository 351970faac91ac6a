"""Associations: creation, proposals from below, the catalogue, cards, join codes, group binding."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Association,
    AssociationKind,
    AssociationStatus,
    JoinPolicy,
    MemberRole,
    Membership,
    MembershipStatus,
    NetworkRole,
    SubjectScope,
    User,
)
from models.association import COMMUNITY_DEFAULT_CAP
from models.associations_extra import AssociationChatLink
from models.meetings import Meeting, MeetingStatus
from services.access import (
    Actor,
    membership_of,
    network_roles,
    require_association_role,
    require_network_role,
    require_registered,
    role_holder,
)
from services.audit import audit
from services.clock import now
from services.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from services.formatting import TIME_ZONES, academic_year_bounds, academic_year_of
from services.notices import Notice, tell
from services.texts import N_, T_

KIND_TITLES = {
    AssociationKind.VMO: T_("VMO (school virtual methodological association)"),
    AssociationKind.VPO: T_("VPO (municipal virtual professional association)"),
    AssociationKind.SMO: T_("SMO (regional network methodological association)"),
    AssociationKind.VMK: T_("VMK (virtual methodological cabinet)"),
    AssociationKind.COMMUNITY: T_("Network teachers' community"),
}
# Button labels (short: phones cut long buttons); the question spells the kinds out.
KIND_BUTTONS = {
    AssociationKind.VMO: T_("School VMO"),
    AssociationKind.VPO: T_("VPO (municipal)"),
    AssociationKind.SMO: T_("SMO (regional)"),
    AssociationKind.VMK: T_("VMK"),
    AssociationKind.COMMUNITY: T_("Network community"),
}
KIND_SHORT = {
    AssociationKind.VMO: T_("VMO"),
    AssociationKind.VPO: T_("VPO"),
    AssociationKind.SMO: T_("SMO"),
    AssociationKind.VMK: T_("VMK"),
    AssociationKind.COMMUNITY: T_("community"),
}
SCOPE_TITLES = {
    SubjectScope.MONO: T_("mono-subject"),
    SubjectScope.SUPRA: T_("supra-subject"),
    SubjectScope.MULTI: T_("multi-subject"),
}
POLICY_TITLES = {
    JoinPolicy.OPEN: T_("Open"),
    JoinPolicy.APPROVAL: T_("With the leader's approval"),
    JoinPolicy.INVITATION: T_("By invitation"),
}
ROLE_TITLES = {
    MemberRole.LEADER: T_("leader"),
    MemberRole.SECRETARY: T_("secretary"),
    MemberRole.ADMINISTRATOR: T_("administrator"),
    MemberRole.EXPERT: T_("expert"),
    MemberRole.MEMBER: T_("member"),
}
MANAGERS = (MemberRole.LEADER, MemberRole.ADMINISTRATOR)
REQUIRED_RIGHTS = {
    "can_invite_users": T_("invite users via links"),
    "can_pin_messages": T_("pin messages"),
    "can_delete_messages": T_("delete messages"),
    "can_restrict_members": T_("ban users"),
}
FORUM_RIGHTS = {"can_manage_topics": T_("manage topics")}
FORUM_TOPICS = {
    "announcements": N_("Announcements"),
    "meetings": N_("Meetings"),
    "resources": N_("Resources"),
    "consultations": N_("Consultations"),
}
MAX_CAP = 10_000
MAX_GOALS = 1000
MAX_PERIOD_YEARS = 2
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class BadName(InvalidInput):
    message = N_("Please write the association's name: 5 to 300 characters.")


class BadTopic(InvalidInput):
    message = N_("Please write the methodological topic: 5 to 1000 characters.")


class BadCap(InvalidInput):
    message = N_("Please send the largest number of members as a number from 2 to {limit}.")


class BadOrder(InvalidInput):
    message = N_(
        "Please write the order as «number from DD.MM.YYYY», for example «15 from 01.09.2026»."
    )


class BadOrganisation(InvalidInput):
    message = N_("Please write the organisation's name: 3 to 300 characters.")


class BadGoals(InvalidInput):
    message = N_("Please write the goals and objectives: 3 to 1000 characters.")


class MonoNeedsOneSubject(InvalidInput):
    message = N_(
        "A mono-subject association has exactly one subject. Please leave one, or go back "
        "with /cancel and choose another scope."
    )


class PeriodError(InvalidInput):
    """A period the association cannot have; the dialog asks for the period again."""


class BadPeriodFormat(PeriodError):
    message = N_(
        "Please send two dates, the start and the end, for example: "
        "<code>01.09.2026 – 31.05.2027</code>."
    )


class PeriodReversed(PeriodError):
    message = N_("The period ends before it starts. Please check the dates.")


class PeriodTooLong(PeriodError):
    message = N_("An association is set up for at most two years. Please choose a shorter period.")


class PeriodInPast(PeriodError):
    message = N_("This period has already ended. Please choose dates that are still ahead.")


class PeriodTooLongForVpo(PeriodError):
    message = N_(
        "By the regulations a VPO works for no longer than one academic year. Please choose a "
        "period of at most a year."
    )


class NoSuchCode(DomainError):
    message = N_("No association has the code {code}. Please check it with the leader.")


class NotActive(DomainError):
    message = N_("The association «{name}» is not accepting members now.")


class NotProposal(DomainError):
    message = N_("This proposal has already been decided.")


class AlreadyBound(DomainError):
    message = N_("This chat is already bound to «{name}».")


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def clean_name(text: str) -> str:
    value = _squeeze(text)
    if not 5 <= len(value) <= 300:
        raise BadName()
    return value


def clean_topic(text: str) -> str:
    value = _squeeze(text)
    if not 5 <= len(value) <= 1000:
        raise BadTopic()
    return value


def clean_cap(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or not 2 <= int(value) <= MAX_CAP:
        raise BadCap(limit=MAX_CAP)
    return int(value)


def clean_order(text: str) -> str:
    """«15 from 01.09.2026» / «№ 15 от 01.09.2026»: a number and a real date."""
    words = _squeeze(text).replace("№", "").split()
    if len(words) != 3 or not words[0].strip():
        raise BadOrder()
    try:
        day, month, year = (int(p) for p in words[2].split("."))
        signed = date(year, month, day)
    except ValueError:
        raise BadOrder() from None
    return f"№ {words[0]} от {signed.strftime('%d.%m.%Y')}"


def check_mono_subjects(subjects: Sequence[str]) -> None:
    """A mono-subject association has exactly one subject."""
    if len(subjects) != 1:
        raise MonoNeedsOneSubject()


def clean_organisation(text: str) -> str:
    value = _squeeze(text)
    if not 3 <= len(value) <= 300:
        raise BadOrganisation()
    return value


def clean_goals(text: str) -> str:
    """Free text; line breaks are kept, blank edges and runs of spaces are not."""
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    value = "\n".join(lines).strip()
    if not 3 <= len(value) <= MAX_GOALS:
        raise BadGoals()
    return value


_PERIOD = re.compile(
    r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*[-–—]\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$"
)


def parse_period(text: str) -> tuple[date, date]:
    """«01.09.2026 – 31.05.2027» (a hyphen, an en or em dash; spaces optional) → two dates."""
    match = _PERIOD.match(text)
    if match is None:
        raise BadPeriodFormat()
    d1, m1, y1, d2, m2, y2 = (int(part) for part in match.groups())
    try:
        return date(y1, m1, d1), date(y2, m2, d2)
    except ValueError:
        raise BadPeriodFormat() from None


def _years_later(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def check_period(kind: AssociationKind, start: date, end: date) -> tuple[date, date]:
    """The rules for an association's period (the dialog and the services share them)."""
    if end < start:
        raise PeriodReversed()
    if end >= _years_later(start, MAX_PERIOD_YEARS):
        raise PeriodTooLong()
    if kind == AssociationKind.VPO and end >= _years_later(start, 1):
        raise PeriodTooLongForVpo()
    if end < now().date():
        raise PeriodInPast()
    return start, end


@dataclass
class Draft:
    """What the creation dialog collects."""

    kind: AssociationKind
    name: str
    topic: str
    subject_scope: SubjectScope
    subjects: list[str]
    join_policy: JoinPolicy
    leader_user_id: int | None = None
    member_cap: int | None = None
    parent_id: int | None = None
    order_ref: str | None = None
    period: tuple[date, date] | None = None
    goals: str | None = None
    timezone: str = "Europe/Moscow"
    # Printed at the top of the plan, protocols and roster; None: the parent's, else the
    # creator's (as the dialog suggests).
    organisation: str | None = None


def check_draft(draft: Draft) -> None:
    """The rules a draft must meet (InvalidInput), checked before anything is written."""
    check_period(draft.kind, *(draft.period or default_period()))
    clean_name(draft.name)
    clean_topic(draft.topic)
    if draft.goals is not None:
        clean_goals(draft.goals)
    if draft.organisation is not None:
        clean_organisation(draft.organisation)


def default_period() -> tuple[date, date]:
    start, _ = academic_year_of(now().date())
    return academic_year_bounds(start)


def default_cap(kind: AssociationKind) -> int | None:
    return COMMUNITY_DEFAULT_CAP if kind == AssociationKind.COMMUNITY else None


async def _new_code(session: AsyncSession) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if (
            await session.scalar(select(Association.id).where(Association.join_code == code))
            is None
        ):
            return code


async def _build(
    session: AsyncSession, draft: Draft, status: AssociationStatus, creator: User
) -> Association:
    check_draft(draft)
    start, end = draft.period or default_period()
    organisation = creator.organisation
    if draft.parent_id is not None:
        parent = await session.get(Association, draft.parent_id)
        if parent is None:
            raise NotFound()
        organisation = parent.organisation or organisation
    if draft.organisation is not None:
        organisation = clean_organisation(draft.organisation)
    association = Association(
        kind=draft.kind,
        name=clean_name(draft.name),
        topic=clean_topic(draft.topic),
        goals=clean_goals(draft.goals) if draft.goals is not None else None,
        subject_scope=draft.subject_scope,
        subjects=list(draft.subjects),
        organisation=organisation,
        period_start=start,
        period_end=end,
        status=status,
        parent_id=draft.parent_id,
        member_cap=draft.member_cap if draft.member_cap is not None else default_cap(draft.kind),
        join_policy=draft.join_policy,
        join_code=await _new_code(session),
        order_ref=draft.order_ref,
        created_by_user_id=creator.id,
        forum_topics={},
        timezone=draft.timezone,
    )
    session.add(association)
    await session.flush()
    return association


async def create_association(session: AsyncSession, *, actor: Actor, draft: Draft) -> Association:
    """A methodist or platform admin creates an active association with its leader."""
    creator = await require_network_role(session, actor, NetworkRole.METHODIST)
    if draft.leader_user_id is None:
        raise InvalidInput()
    leader = await session.get(User, draft.leader_user_id)
    if leader is None or not leader.is_registered:
        raise NotFound()
    association = await _build(session, draft, AssociationStatus.ACTIVE, creator)
    session.add(
        Membership(
            association_id=association.id,
            user_id=leader.id,
            role=MemberRole.LEADER,
            status=MembershipStatus.ACTIVE,
            joined_via="appointed",
            joined_at=now(),
        )
    )
    await session.flush()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="association.create",
        target_type="association",
        target_id=association.id,
        leader_user_id=leader.id,
    )
    if leader.id != creator.id:
        tell(
            session,
            Notice("associations.leader_appointed", {"association": association}, user=leader),
        )
    return association


async def propose_association(session: AsyncSession, *, actor: Actor, draft: Draft) -> Association:
    """A teacher's initiative: a proposal with the initiator as its future leader."""
    initiator = await require_registered(session, actor)
    association = await _build(session, draft, AssociationStatus.PROPOSED, initiator)
    session.add(
        Membership(
            association_id=association.id,
            user_id=initiator.id,
            role=MemberRole.LEADER,
            status=MembershipStatus.REQUESTED,
            joined_via="proposal",
        )
    )
    await session.flush()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="association.propose",
        target_type="association",
        target_id=association.id,
    )
    tell(
        session,
        *(
            Notice(
                "associations.proposal",
                {"association": association, "initiator": initiator},
                user=approver,
                dedupe_key=f"proposal:{association.id}:{approver.id}",
            )
            for approver in await approvers(session)
        ),
    )
    return association


async def approvers(session: AsyncSession) -> list[User]:
    """Whom to ask about a proposal: network methodists and approvers."""
    from models import NetworkRoleGrant

    holders = select(NetworkRoleGrant.user_id).where(
        NetworkRoleGrant.role.in_([NetworkRole.METHODIST, NetworkRole.APPROVER])
    )
    rows = await session.scalars(select(User).where(User.id.in_(holders)).order_by(User.id))
    return list(rows.all())


@dataclass(frozen=True)
class ProposalDecision:
    association: Association
    initiator: User | None
    approved: bool


async def decide_proposal(
    session: AsyncSession, *, actor: Actor, association_id: int, approve: bool
) -> ProposalDecision:
    """An approver or methodist approves (→ active, initiator leads) or rejects a proposal."""
    await require_network_role(session, actor, NetworkRole.METHODIST, NetworkRole.APPROVER)
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    if association.status != AssociationStatus.PROPOSED:
        raise NotProposal()
    initiator_membership = await session.scalar(
        select(Membership).where(
            Membership.association_id == association.id, Membership.joined_via == "proposal"
        )
    )
    initiator = (
        await session.get(User, initiator_membership.user_id) if initiator_membership else None
    )
    if approve:
        association.status = AssociationStatus.ACTIVE
        if initiator_membership is not None:
            initiator_membership.status = MembershipStatus.ACTIVE
            initiator_membership.joined_at = now()
    else:
        association.status = AssociationStatus.REJECTED
        if initiator_membership is not None:
            initiator_membership.status = MembershipStatus.DECLINED
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="association.approve" if approve else "association.reject",
        target_type="association",
        target_id=association.id,
    )
    if initiator is not None:
        kind = "associations.proposal_approved" if approve else "associations.proposal_rejected"
        tell(session, Notice(kind, {"association": association}, user=initiator))
    return ProposalDecision(association, initiator, approve)


async def by_code(session: AsyncSession, code: str) -> Association:
    association = await session.scalar(
        select(Association).where(Association.join_code == code.strip().upper())
    )
    if association is None:
        raise NoSuchCode(code=code.strip()[:16])
    return association


async def get(session: AsyncSession, association_id: int) -> Association:
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    return association


async def member_count(session: AsyncSession, association_id: int) -> int:
    return (
        await session.scalar(
            select(func.count(Membership.id)).where(
                Membership.association_id == association_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
        or 0
    )


async def leader_of(session: AsyncSession, association_id: int) -> User | None:
    return await role_holder(session, association_id, MemberRole.LEADER)


@dataclass(frozen=True)
class CataloguePage:
    items: Sequence[tuple[Association, int]]
    page: int
    pages: int
    total: int


async def catalogue(
    session: AsyncSession,
    *,
    subject: str | None = None,
    kind: AssociationKind | None = None,
    page: int = 0,
    per_page: int = 5,
) -> CataloguePage:
    """Active associations, filtered by subject and kind, a page at a time."""
    query = select(Association).where(Association.status == AssociationStatus.ACTIVE)
    if kind is not None:
        query = query.where(Association.kind == kind)
    rows = list((await session.scalars(query.order_by(Association.name, Association.id))).all())
    if subject:
        rows = [a for a in rows if subject in (a.subjects or [])]
    total = len(rows)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 0), pages - 1)
    chosen = rows[page * per_page : (page + 1) * per_page]
    counts: dict[int, int] = {}
    if chosen:
        result = await session.execute(
            select(Membership.association_id, func.count(Membership.id))
            .where(
                Membership.association_id.in_([a.id for a in chosen]),
                Membership.status == MembershipStatus.ACTIVE,
            )
            .group_by(Membership.association_id)
        )
        counts = dict(result.all())  # type: ignore[arg-type]
    return CataloguePage([(a, counts.get(a.id, 0)) for a in chosen], page, pages, total)


@dataclass(frozen=True)
class Card:
    association: Association
    leader: User | None
    members: int
    children: Sequence[Association]
    parent: Association | None
    viewer_role: MemberRole | None
    viewer_status: MembershipStatus | None
    can_manage: bool
    next_meeting: Meeting | None = None
    can_edit: bool = False
    chat_link: str | None = None  # the group's invite link, for its members


async def next_meeting(session: AsyncSession, association_id: int) -> Meeting | None:
    """The association's next scheduled meeting, if one is planned."""
    return await session.scalar(
        select(Meeting)
        .where(
            Meeting.association_id == association_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > now(),
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )


async def card(session: AsyncSession, *, actor: Actor, association_id: int) -> Card:
    """What an association's card shows to this viewer."""
    association = await get(session, association_id)
    viewer = await require_registered(session, actor)
    own = await session.scalar(
        select(Membership).where(
            Membership.association_id == association.id, Membership.user_id == viewer.id
        )
    )
    children = (
        await session.scalars(
            select(Association)
            .where(
                Association.parent_id == association.id,
                Association.status == AssociationStatus.ACTIVE,
            )
            .order_by(Association.name)
        )
    ).all()
    parent = (
        await session.get(Association, association.parent_id) if association.parent_id else None
    )
    return Card(
        association=association,
        leader=await leader_of(session, association.id),
        members=await member_count(session, association.id),
        children=children,
        parent=parent,
        viewer_role=own.role if own and own.status == MembershipStatus.ACTIVE else None,
        viewer_status=own.status if own else None,
        can_manage=await can_manage(session, actor, association.id),
        next_meeting=await next_meeting(session, association.id),
        can_edit=(
            own is not None
            and own.role == MemberRole.LEADER
            and own.status == MembershipStatus.ACTIVE
        )
        or await is_methodist(session, actor, viewer),
        chat_link=await chat_link(session, association.id)
        if own is not None and own.status == MembershipStatus.ACTIVE
        else None,
    )


def _leads(own: Membership | None) -> bool:
    return (
        own is not None and own.role == MemberRole.LEADER and own.status == MembershipStatus.ACTIVE
    )


async def can_manage(session: AsyncSession, actor: Actor, association_id: int) -> bool:
    try:
        await require_association_role(session, actor, association_id, *MANAGERS)
    except (PermissionDenied, DomainError):
        return False
    return True


async def require_leader(session: AsyncSession, *, actor: Actor, association_id: int) -> User:
    return await require_association_role(session, actor, association_id, MemberRole.LEADER)


async def ensure_can_create(session: AsyncSession, *, actor: Actor) -> User:
    """Creating associations is for network methodists and platform admins."""
    return await require_network_role(session, actor, NetworkRole.METHODIST)


async def parents_matching(
    session: AsyncSession, text: str, *, limit: int = 8
) -> list[Association]:
    """Active associations whose name contains `text` (case-insensitive), to pick a parent."""
    folded = text.strip().casefold()
    rows = await session.scalars(
        select(Association)
        .where(Association.status == AssociationStatus.ACTIVE)
        .order_by(Association.name)
    )
    return [a for a in rows.all() if folded in a.name.casefold()][:limit]


async def led_association(
    session: AsyncSession, *, actor: Actor, association_id: int
) -> Association:
    """The association, for its leader only (PermissionDenied for anyone else)."""
    await require_leader(session, actor=actor, association_id=association_id)
    return await get(session, association_id)


def clean_rules(text: str) -> str:
    value = text.strip()
    if not 5 <= len(value) <= 3000:
        raise BadRules()
    return value


async def set_rules(
    session: AsyncSession, *, actor: Actor, association_id: int, text: str
) -> Association:
    """The leader edits the rules shown to newcomers."""
    association = await led_association(session, actor=actor, association_id=association_id)
    association.rules_text = clean_rules(text)
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="association.rules",
        target_type="association",
        target_id=association.id,
    )
    return association


class CapBelowMembers(InvalidInput):
    message = N_("Members in the association now: {count}. The limit cannot be lower.")


class UnknownTimeZone(InvalidInput):
    message = N_("Please choose the time zone with a button.")


@dataclass(frozen=True)
class Details:
    """What can be changed in an association after it is created."""

    name: str
    topic: str
    goals: str | None
    period: tuple[date, date]
    member_cap: int | None
    order_ref: str | None
    timezone: str
    organisation: str | None = None


async def require_editor(session: AsyncSession, *, actor: Actor, association_id: int) -> User:
    """Its leader, a network methodist or a platform admin may edit an association."""
    user = await require_registered(session, actor)
    if await is_methodist(session, actor, user):
        return user
    return await require_leader(session, actor=actor, association_id=association_id)


async def update_details(
    session: AsyncSession, *, actor: Actor, association_id: int, details: Details
) -> list[str]:
    """Change the association's details; returns the names of the fields that changed."""
    await require_editor(session, actor=actor, association_id=association_id)
    association = await get(session, association_id)
    start, end = await check_details(session, association, details)
    values = {
        "name": clean_name(details.name),
        "topic": clean_topic(details.topic),
        "goals": clean_goals(details.goals) if details.goals else None,
        "period_start": start,
        "period_end": end,
        "member_cap": details.member_cap,
        "order_ref": clean_order(details.order_ref) if details.order_ref else None,
        "timezone": details.timezone,
        "organisation": clean_organisation(details.organisation)
        if details.organisation
        else association.organisation,
    }
    changed = [key for key, value in values.items() if getattr(association, key) != value]
    for key in changed:
        setattr(association, key, values[key])
    if changed:
        await audit(
            session,
            actor_telegram_id=actor.telegram_id,
            action="association.edit",
            target_type="association",
            target_id=association.id,
            fields=changed,
        )
    return changed


async def check_details(
    session: AsyncSession, association: Association, details: Details
) -> tuple[date, date]:
    """The rules changed details must meet (InvalidInput), read-only; the period to keep."""
    if details.timezone != association.timezone and details.timezone not in TIME_ZONES:
        raise UnknownTimeZone()
    members = await member_count(session, association.id)
    if details.member_cap is not None and details.member_cap < members:
        raise CapBelowMembers(count=members)
    start, end = details.period
    if (start, end) != (association.period_start, association.period_end):
        start, end = check_period(association.kind, start, end)
    clean_name(details.name)
    clean_topic(details.topic)
    if details.goals:
        clean_goals(details.goals)
    if details.organisation:
        clean_organisation(details.organisation)
    return start, end


async def details_check(
    session: AsyncSession, *, actor: Actor, association_id: int, details: Details
) -> None:
    """Whether `details` may be saved (InvalidInput if not), without writing anything."""
    await require_editor(session, actor=actor, association_id=association_id)
    await check_details(session, await get(session, association_id), details)


@dataclass(frozen=True)
class Editing:
    """What the editing dialog starts from."""

    association: Association
    parent: Association | None
    leader: User | None


async def editing(session: AsyncSession, *, actor: Actor, association_id: int) -> Editing:
    """The association as its editor sees it before changing it."""
    await require_editor(session, actor=actor, association_id=association_id)
    association = await get(session, association_id)
    parent = (
        await session.get(Association, association.parent_id) if association.parent_id else None
    )
    return Editing(association, parent, await leader_of(session, association.id))


async def possible_parent(session: AsyncSession, association_id: int) -> Association | None:
    """An active association that a new one may be part of."""
    parent = await session.get(Association, association_id)
    return parent if parent is not None and parent.status == AssociationStatus.ACTIVE else None


async def possible_leader(session: AsyncSession, user_id: int) -> User | None:
    """A registered person who may lead a new association."""
    user = await session.get(User, user_id)
    return user if user is not None and user.is_registered else None


class BadRules(InvalidInput):
    message = N_("Please write the rules in 5 to 3000 characters.")


# group chats -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BindCheck:
    association: Association
    missing: list[str]  # LazyText titles of missing rights


def missing_rights(rights: Mapping[str, bool], *, is_admin: bool, is_forum: bool) -> list[str]:
    wanted = {**REQUIRED_RIGHTS, **(FORUM_RIGHTS if is_forum else {})}
    return [title for key, title in wanted.items() if not (is_admin and rights.get(key))]


async def bind_chat(
    session: AsyncSession,
    *,
    actor: Actor,
    code: str,
    chat_id: int,
    is_forum: bool,
    bot_rights: Mapping[str, bool],
    bot_is_admin: bool,
) -> BindCheck:
    """The association's leader binds a group; nothing is bound while rights are missing."""
    association = await by_code(session, code)
    user = await require_registered(session, actor)
    own = await membership_of(session, user.id, association.id)
    if not actor.is_platform_admin and (own is None or own.role != MemberRole.LEADER):
        raise PermissionDenied(role=T_("the association's leader"))
    other = await session.scalar(
        select(Association).where(Association.chat_id == chat_id, Association.id != association.id)
    )
    if other is not None:
        raise AlreadyBound(name=other.name)
    missing = missing_rights(bot_rights, is_admin=bot_is_admin, is_forum=is_forum)
    if missing:
        return BindCheck(association, missing)
    association.chat_id = chat_id
    association.chat_is_forum = is_forum
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="association.bind",
        target_type="association",
        target_id=association.id,
        chat_id=chat_id,
    )
    return BindCheck(association, [])


async def save_chat_link(
    session: AsyncSession, *, actor: Actor, association_id: int, chat_id: int, invite_link: str
) -> None:
    """Keep the bound group's invite link and send it to the members (but the one who
    bound it), so those who joined before the group existed can get in."""
    link = AssociationChatLink(
        association_id=association_id,
        chat_id=chat_id,
        invite_link=invite_link,
        created_at=now(),
    )
    session.add(link)
    await session.flush()
    association = await get(session, association_id)
    members = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.telegram_id != actor.telegram_id,
        )
        .order_by(User.id)
    )
    tell(
        session,
        *(
            Notice(
                "associations.group_bound",
                {"association": association, "link": invite_link},
                user=member,
                dedupe_key=f"group:{link.id}:{member.id}",
                batch=f"group:{link.id}",
            )
            for member in members.all()
        ),
    )


async def save_forum_topics(
    session: AsyncSession, *, association_id: int, topics: Mapping[str, int]
) -> None:
    association = await get(session, association_id)
    association.forum_topics = {**(association.forum_topics or {}), **topics}


async def chat_link(session: AsyncSession, association_id: int) -> str | None:
    association = await get(session, association_id)
    if association.chat_id is None:
        return None
    return await session.scalar(
        select(AssociationChatLink.invite_link)
        .where(
            AssociationChatLink.association_id == association_id,
            AssociationChatLink.chat_id == association.chat_id,
        )
        .order_by(AssociationChatLink.id.desc())
        .limit(1)
    )


async def by_chat(session: AsyncSession, chat_id: int) -> Association | None:
    return await session.scalar(select(Association).where(Association.chat_id == chat_id))


async def led_by(session: AsyncSession, user_id: int) -> list[Association]:
    rows = await session.scalars(
        select(Association)
        .join(Membership, Membership.association_id == Association.id)
        .where(
            Membership.user_id == user_id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role.in_(MANAGERS),
        )
        .order_by(Association.name)
    )
    return list(rows.all())


async def mine(session: AsyncSession, user_id: int) -> list[tuple[Association, Membership]]:
    rows = await session.execute(
        select(Association, Membership)
        .join(Membership, Membership.association_id == Association.id)
        .where(Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Association.name)
    )
    return [(a, m) for a, m in rows.all()]


async def memberships_of(
    session: AsyncSession, *, actor: Actor
) -> list[tuple[Association, Membership]]:
    """The registered actor's active memberships, by the association's name."""
    user = await require_registered(session, actor)
    return await mine(session, user.id)


async def held_in_roles(
    session: AsyncSession, user_id: int, roles: Iterable[MemberRole]
) -> list[Association]:
    """The associations where the person is an active member in one of `roles`, by name."""
    wanted = set(roles)
    return [a for a, m in await mine(session, user_id) if m.role in wanted]


async def kept_rosters(session: AsyncSession, *, actor: Actor) -> list[Association]:
    """The associations whose roster the registered actor keeps (leader, administrator,
    secretary), by name."""
    user = await require_registered(session, actor)
    return await held_in_roles(session, user.id, (*MANAGERS, MemberRole.SECRETARY))


async def is_methodist(session: AsyncSession, actor: Actor, user: User | None) -> bool:
    if actor.is_platform_admin:
        return True
    if user is None:
        return False
    return NetworkRole.METHODIST in await network_roles(session, user.id)
