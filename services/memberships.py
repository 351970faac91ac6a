"""Memberships: joining under each policy, the cap and waiting list, leaving, roles, removal,
and the group chat's join requests and member tracking."""

from __future__ import annotations

import enum
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Association,
    AssociationStatus,
    JoinPolicy,
    MemberRole,
    Membership,
    MembershipStatus,
    User,
)
from models.associations_extra import (
    AssociationChatLink,
    AssociationInvitation,
    ChatMemberSeen,
    WaitingListEntry,
    WaitingStatus,
)
from services.access import Actor, require_association_role, require_registered, user_by_telegram_id
from services.associations import (
    MANAGERS,
    Details,
    NotActive,
    by_code,
    chat_link,
    get,
    member_count,
    update_details,
)
from services.audit import audit, record_activity
from services.clock import now
from services.errors import DomainError, InvalidInput, NotFound
from services.guide import welcome_newcomer
from services.locks import lock
from services.notices import Notice, tell
from services.texts import N_

OFFER_HOURS = 48
ASSIGNABLE = (MemberRole.SECRETARY, MemberRole.ADMINISTRATOR, MemberRole.EXPERT, MemberRole.MEMBER)


class InvitationOnly(DomainError):
    message = N_(
        "«{name}» admits new members by invitation only. Please ask its leader for an "
        "invitation link."
    )


class NotMember(DomainError):
    message = N_("You are not a member of «{name}».")


class LeaderCannotLeave(DomainError):
    message = N_(
        "You lead «{name}». Please hand over the leadership to another member before leaving."
    )


class RequestDecided(DomainError):
    message = N_("This request has already been decided.")


class OfferGone(DomainError):
    message = N_(
        "This offer is no longer valid: the place has been given to someone else or "
        "its time ran out."
    )


class Full(DomainError):
    message = N_("«{name}» is full.")


class BadReason(InvalidInput):
    message = N_("Please write the reason in 3 to 500 characters.")


class CannotChangeLeader(DomainError):
    message = N_("The leader's role cannot be changed this way: hand over the leadership instead.")


class Outcome(enum.StrEnum):
    JOINED = "joined"
    REQUESTED = "requested"
    ALREADY_MEMBER = "already_member"
    ALREADY_REQUESTED = "already_requested"
    FULL = "full"
    WAITING = "waiting"


@dataclass(frozen=True)
class JoinResult:
    outcome: Outcome
    association: Association
    membership: Membership | None
    user: User
    managers: list[User]
    chat_link: str | None = None  # the group's invite link, for a new member


async def _own(session: AsyncSession, association_id: int, user_id: int) -> Membership | None:
    return await session.scalar(
        select(Membership).where(
            Membership.association_id == association_id, Membership.user_id == user_id
        )
    )


async def managers_of(session: AsyncSession, association_id: int) -> list[User]:
    rows = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role.in_(MANAGERS),
        )
        .order_by(Membership.role, User.id)
    )
    return list(rows.all())


async def _offered(session: AsyncSession, association_id: int) -> int:
    """Places held for people from the queue until their offers are taken or lapse."""
    return (
        await session.scalar(
            select(func.count(WaitingListEntry.id)).where(
                WaitingListEntry.association_id == association_id,
                WaitingListEntry.status == WaitingStatus.OFFERED,
                WaitingListEntry.offer_expires_at > now(),
            )
        )
        or 0
    )


async def free_places(session: AsyncSession, association: Association) -> int | None:
    """Places nobody holds or is offered; None without a member limit."""
    if association.member_cap is None:
        return None
    taken = await member_count(session, association.id) + await _offered(session, association.id)
    return association.member_cap - taken


async def is_full(session: AsyncSession, association: Association) -> bool:
    free = await free_places(session, association)
    return free is not None and free <= 0


async def _locked(session: AsyncSession, association_id: int) -> Association:
    """The association, locked: its member limit holds while many join at once."""
    try:
        return await lock(session, Association, association_id)
    except LookupError:
        raise NotFound() from None


async def _valid_invitation(
    session: AsyncSession, association: Association, token: str | None
) -> AssociationInvitation | None:
    if not token:
        return None
    return await session.scalar(
        select(AssociationInvitation).where(
            AssociationInvitation.token == token,
            AssociationInvitation.association_id == association.id,
            AssociationInvitation.revoked.is_(False),
        )
    )


async def join(
    session: AsyncSession,
    *,
    actor: Actor,
    association_id: int,
    via: str,
    token: str | None = None,
    waiting_entry: WaitingListEntry | None = None,
) -> JoinResult:
    """Join (open policy or a valid invitation), or ask to join (approval policy; the
    managers are told). The association is locked before its member limit is checked."""
    user = await require_registered(session, actor)
    association = await _locked(session, association_id)
    if association.status != AssociationStatus.ACTIVE:
        raise NotActive(name=association.name)
    own = await _own(session, association.id, user.id)
    if own is not None and own.status == MembershipStatus.ACTIVE:
        return JoinResult(Outcome.ALREADY_MEMBER, association, own, user, [])
    if own is not None and own.status == MembershipStatus.REQUESTED:
        return JoinResult(Outcome.ALREADY_REQUESTED, association, own, user, [])
    invitation = await _valid_invitation(session, association, token)
    if (
        association.join_policy == JoinPolicy.INVITATION
        and invitation is None
        and waiting_entry is None
    ):
        raise InvitationOnly(name=association.name)
    if waiting_entry is None and await is_full(session, association):
        waiting = await session.scalar(
            select(WaitingListEntry).where(
                WaitingListEntry.association_id == association.id,
                WaitingListEntry.user_id == user.id,
                WaitingListEntry.status.in_([WaitingStatus.WAITING, WaitingStatus.OFFERED]),
            )
        )
        return JoinResult(Outcome.WAITING if waiting else Outcome.FULL, association, own, user, [])
    # A person the leader removed comes back only with the leader's consent (or an invitation).
    was_removed = own is not None and own.status == MembershipStatus.REMOVED
    approval = (
        (association.join_policy == JoinPolicy.APPROVAL or was_removed)
        and invitation is None
        and waiting_entry is None
    )
    if own is None:
        own = Membership(association_id=association.id, user_id=user.id, role=MemberRole.MEMBER)
        session.add(own)
    own.role = MemberRole.MEMBER
    own.joined_via = "invitation" if invitation else via
    own.requested_at = now()
    own.left_at = None
    if approval:
        own.status = MembershipStatus.REQUESTED
        own.joined_at = None
        await session.flush()
        managers = await managers_of(session, association.id)
        _tell_managers(session, association, own, user, managers)
        return JoinResult(Outcome.REQUESTED, association, own, user, managers)
    own.status = MembershipStatus.ACTIVE
    own.joined_at = now()
    if invitation is not None:
        invitation.uses += 1
    await session.flush()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="membership.join",
        target_type="association",
        target_id=association.id,
        via=own.joined_via,
    )
    await record_activity(session, kind="joined", user_id=user.id, association_id=association.id)
    await welcome_newcomer(session, association, user, own)
    link = await chat_link(session, association.id)
    return JoinResult(Outcome.JOINED, association, own, user, [], link)


def _tell_managers(
    session: AsyncSession,
    association: Association,
    request: Membership,
    applicant: User,
    managers: list[User],
) -> None:
    asked_at = f"{request.requested_at.timestamp():.0f}"
    tell(
        session,
        *(
            Notice(
                "associations.join_request",
                {"association": association, "applicant": applicant, "membership_id": request.id},
                user=manager,
                dedupe_key=f"joinreq:{request.id}:{manager.id}:{asked_at}",
            )
            for manager in managers
        ),
    )


async def join_by_code(
    session: AsyncSession, *, actor: Actor, code: str, via: str, token: str | None = None
) -> JoinResult:
    """Join the association whose join code this is (see `join`)."""
    association = await by_code(session, code)
    return await join(session, actor=actor, association_id=association.id, via=via, token=token)


@dataclass(frozen=True)
class Decision:
    membership: Membership
    association: Association
    applicant: User
    approved: bool
    full: bool = False


async def decide_request(
    session: AsyncSession, *, actor: Actor, membership_id: int, approve: bool
) -> Decision:
    """The leader (or administrator) approves or declines a request to join; the applicant
    is told. The association is locked before its member limit is checked."""
    membership = await session.get(Membership, membership_id)
    if membership is None:
        raise NotFound()
    await require_association_role(session, actor, membership.association_id, *MANAGERS)
    association = await _locked(session, membership.association_id)
    await session.refresh(membership)
    applicant = await session.get(User, membership.user_id)
    assert applicant is not None
    if membership.status != MembershipStatus.REQUESTED:
        raise RequestDecided()
    if approve and await is_full(session, association):
        raise Full(name=association.name)
    if approve:
        membership.status = MembershipStatus.ACTIVE
        membership.joined_at = now()
        await record_activity(
            session, kind="joined", user_id=applicant.id, association_id=association.id
        )
    else:
        membership.status = MembershipStatus.DECLINED
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="membership.approve" if approve else "membership.decline",
        target_type="membership",
        target_id=membership.id,
    )
    params: dict[str, object] = {"association": association}
    if approve:
        params["chat_link"] = await chat_link(session, association.id)
    tell(
        session,
        Notice(
            "associations.request_approved" if approve else "associations.request_declined",
            params,
            user=applicant,
            dedupe_key=f"joindecision:{membership.id}:{membership.requested_at.timestamp():.0f}",
        ),
    )
    if approve:  # after the decision, so the newcomer reads it first
        await welcome_newcomer(session, association, applicant, membership)
    return Decision(membership, association, applicant, approve)


# waiting list ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Queued:
    entry: WaitingListEntry
    position: int  # 1 is the next to be offered a place


async def queue_up(session: AsyncSession, *, actor: Actor, association_id: int) -> Queued:
    """Take a place in the queue and learn its number; a place free by now is offered at
    once (to whoever is first in the queue)."""
    entry = await wait_for_place(session, actor=actor, association_id=association_id)
    position = await waiting_position(session, entry)
    await offer_free_places(session, await get(session, association_id))
    return Queued(entry, position)


async def wait_for_place(
    session: AsyncSession, *, actor: Actor, association_id: int
) -> WaitingListEntry:
    """Take a place in the association's queue (or keep the one already taken)."""
    user = await require_registered(session, actor)
    association = await _locked(session, association_id)
    existing = await session.scalar(
        select(WaitingListEntry).where(
            WaitingListEntry.association_id == association.id,
            WaitingListEntry.user_id == user.id,
            WaitingListEntry.status.in_([WaitingStatus.WAITING, WaitingStatus.OFFERED]),
        )
    )
    if existing is not None:
        return existing
    entry = WaitingListEntry(
        association_id=association.id,
        user_id=user.id,
        status=WaitingStatus.WAITING,
        created_at=now(),
    )
    session.add(entry)
    await session.flush()
    return entry


async def waiting_position(session: AsyncSession, entry: WaitingListEntry) -> int:
    ahead = await session.scalar(
        select(func.count(WaitingListEntry.id)).where(
            WaitingListEntry.association_id == entry.association_id,
            WaitingListEntry.status.in_([WaitingStatus.WAITING, WaitingStatus.OFFERED]),
            WaitingListEntry.id < entry.id,
        )
    )
    return (ahead or 0) + 1


@dataclass(frozen=True)
class Offer:
    entry: WaitingListEntry
    user: User
    association: Association


async def offer_free_places(session: AsyncSession, association: Association) -> list[Offer]:
    """Offer every free place (not already on offer) to the next people in the queue; each
    is told. The association is locked first, so a place is never offered twice."""
    association = await _locked(session, association.id)
    moment = now()
    expired = await session.scalars(
        select(WaitingListEntry).where(
            WaitingListEntry.association_id == association.id,
            WaitingListEntry.status == WaitingStatus.OFFERED,
            WaitingListEntry.offer_expires_at <= moment,
        )
    )
    for entry in expired.all():
        entry.status = WaitingStatus.EXPIRED
    await session.flush()
    free = await free_places(session, association)
    if free is not None and free <= 0:
        return []
    waiting = await session.scalars(
        select(WaitingListEntry)
        .where(
            WaitingListEntry.association_id == association.id,
            WaitingListEntry.status == WaitingStatus.WAITING,
        )
        .order_by(WaitingListEntry.id)
        .limit(free if free is not None else None)
    )
    offers = []
    for entry in waiting.all():
        entry.status = WaitingStatus.OFFERED
        entry.offered_at = moment
        entry.offer_expires_at = moment + timedelta(hours=OFFER_HOURS)
        user = await session.get(User, entry.user_id)
        assert user is not None
        offers.append(Offer(entry, user, association))
        tell(
            session,
            Notice(
                "associations.place_offered",
                {"association": association, "entry_id": entry.id, "until": entry.offer_expires_at},
                user=user,
                dedupe_key=f"offer:{entry.id}",
            ),
        )
    await session.flush()
    return offers


async def expire_offers(session: AsyncSession) -> list[Offer]:
    """The periodic sweep: lapsed offers pass to the next in the queue."""
    ids = await session.scalars(
        select(WaitingListEntry.association_id)
        .where(
            WaitingListEntry.status == WaitingStatus.OFFERED,
            WaitingListEntry.offer_expires_at <= now(),
        )
        .distinct()
    )
    offers: list[Offer] = []
    for association_id in ids.all():
        offers.extend(await offer_free_places(session, await get(session, association_id)))
    return offers


async def accept_offer(session: AsyncSession, *, actor: Actor, entry_id: int) -> JoinResult:
    """Take the place offered from the queue while the offer holds."""
    user = await require_registered(session, actor)
    entry = await session.get(WaitingListEntry, entry_id)
    if entry is not None:
        await _locked(session, entry.association_id)
        await session.refresh(entry)
    if (
        entry is None
        or entry.user_id != user.id
        or entry.status != WaitingStatus.OFFERED
        or entry.offer_expires_at is None
        or entry.offer_expires_at <= now()
    ):
        raise OfferGone()
    entry.status = WaitingStatus.ACCEPTED
    return await join(
        session,
        actor=actor,
        association_id=entry.association_id,
        via="waiting_list",
        waiting_entry=entry,
    )


async def save_details(
    session: AsyncSession, *, actor: Actor, association_id: int, details: Details
) -> list[str]:
    """Change the association's details (services.associations.update_details); places a
    raised member limit frees are offered to the queue. Returns the changed fields."""
    changed = await update_details(
        session, actor=actor, association_id=association_id, details=details
    )
    if "member_cap" in changed:
        await offer_free_places(session, await get(session, association_id))
    return changed


# leaving, removal, roles ------------------------------------------------------------------------
@dataclass(frozen=True)
class Departure:
    association: Association
    user: User
    offers: list[Offer]


async def leave(session: AsyncSession, *, actor: Actor, association_id: int) -> Departure:
    """The member leaves; the freed place is offered to the queue."""
    user = await require_registered(session, actor)
    association = await get(session, association_id)
    own = await _own(session, association.id, user.id)
    if own is None or own.status != MembershipStatus.ACTIVE:
        raise NotMember(name=association.name)
    if own.role == MemberRole.LEADER:
        raise LeaderCannotLeave(name=association.name)
    own.status = MembershipStatus.LEFT
    own.left_at = now()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="membership.leave",
        target_type="association",
        target_id=association.id,
    )
    await session.flush()
    return Departure(association, user, await offer_free_places(session, association))


def clean_reason(text: str) -> str:
    value = " ".join(text.split())
    if not 3 <= len(value) <= 500:
        raise BadReason()
    return value


async def _target(
    session: AsyncSession, association_id: int, user_id: int
) -> tuple[Membership, User]:
    membership = await _own(session, association_id, user_id)
    user = await session.get(User, user_id)
    if membership is None or user is None or membership.status != MembershipStatus.ACTIVE:
        raise NotFound()
    return membership, user


async def remove_member(
    session: AsyncSession, *, actor: Actor, association_id: int, user_id: int, reason: str
) -> Departure:
    """The leader removes a member, giving a reason that the member is told."""
    await require_association_role(session, actor, association_id, MemberRole.LEADER)
    reason = clean_reason(reason)
    association = await get(session, association_id)
    membership, user = await _target(session, association_id, user_id)
    if membership.role == MemberRole.LEADER:
        raise CannotChangeLeader()
    membership.status = MembershipStatus.REMOVED
    membership.left_at = now()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="membership.remove",
        target_type="membership",
        target_id=membership.id,
        reason=reason,
    )
    await session.flush()
    tell(
        session,
        Notice(
            "associations.removed",
            {"association": association, "reason": reason},
            user=user,
            dedupe_key=f"removed:{membership.id}:{membership.left_at.timestamp():.0f}",
        ),
    )
    return Departure(association, user, await offer_free_places(session, association))


async def set_role(
    session: AsyncSession, *, actor: Actor, association_id: int, user_id: int, role: MemberRole
) -> tuple[Association, User]:
    """The leader gives a member another role; the member is told."""
    await require_association_role(session, actor, association_id, MemberRole.LEADER)
    if role not in ASSIGNABLE:
        raise CannotChangeLeader()
    membership, user = await _target(session, association_id, user_id)
    if membership.role == MemberRole.LEADER:
        raise CannotChangeLeader()
    membership.role = role
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="membership.role",
        target_type="membership",
        target_id=membership.id,
        role=role.value,
    )
    association = await get(session, association_id)
    tell(
        session,
        Notice("associations.role_changed", {"association": association, "role": role}, user=user),
    )
    return association, user


async def hand_over(
    session: AsyncSession, *, actor: Actor, association_id: int, user_id: int
) -> tuple[Association, User]:
    """The leader makes another member the leader and becomes a member."""
    await require_association_role(session, actor, association_id, MemberRole.LEADER)
    membership, user = await _target(session, association_id, user_id)
    if membership.role == MemberRole.LEADER:
        raise CannotChangeLeader()
    leaders = await session.scalars(
        select(Membership).where(
            Membership.association_id == association_id,
            Membership.role == MemberRole.LEADER,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    for current in leaders.all():
        current.role = MemberRole.MEMBER
    membership.role = MemberRole.LEADER
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="membership.hand_over",
        target_type="membership",
        target_id=membership.id,
    )
    association = await get(session, association_id)
    tell(session, Notice("associations.leadership", {"association": association}, user=user))
    return association, user


async def create_invitation(
    session: AsyncSession, *, actor: Actor, association_id: int
) -> AssociationInvitation:
    """A new invitation link's token (for the invitation policy, or to skip approval)."""
    user = await require_association_role(session, actor, association_id, *MANAGERS)
    invitation = AssociationInvitation(
        association=await get(session, association_id),
        token=secrets.token_urlsafe(9).replace("_", "x").replace("-", "y"),
        created_by_user_id=user.id,
        created_at=now(),
    )
    session.add(invitation)
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="association.invitation",
        target_type="association",
        target_id=association_id,
    )
    await session.flush()
    return invitation


@dataclass(frozen=True)
class RosterEntry:
    user: User
    membership: Membership


async def roster(
    session: AsyncSession, *, actor: Actor, association_id: int, search: str | None = None
) -> list[RosterEntry]:
    """Active members, leader first then by name; managers and secretaries only."""
    await require_association_role(
        session,
        actor,
        association_id,
        MemberRole.LEADER,
        MemberRole.ADMINISTRATOR,
        MemberRole.SECRETARY,
    )
    rows = await session.execute(
        select(User, Membership)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    entries = [RosterEntry(u, m) for u, m in rows.all()]
    if search:
        folded = search.casefold().strip()
        entries = [e for e in entries if folded in (e.user.search_text or "")]
    order = {role: i for i, role in enumerate(MemberRole)}
    entries.sort(key=lambda e: (order[e.membership.role], (e.user.full_name or "").casefold()))
    return entries


@dataclass(frozen=True)
class Roster:
    association: Association
    entries: list[RosterEntry]


async def roster_of(
    session: AsyncSession, *, actor: Actor, association_id: int, search: str | None = None
) -> Roster:
    """The association and its roster (see `roster`)."""
    entries = await roster(session, actor=actor, association_id=association_id, search=search)
    return Roster(await get(session, association_id), entries)


async def roster_entry(
    session: AsyncSession, *, actor: Actor, association_id: int, user_id: int
) -> RosterEntry | None:
    """One active member's line of the roster; None if they are no longer a member."""
    entries = await roster(session, actor=actor, association_id=association_id)
    return next((e for e in entries if e.user.id == user_id), None)


@dataclass(frozen=True)
class RosterExport:
    association: Association
    content: bytes
    members: int


async def roster_export(
    session: AsyncSession,
    *,
    actor: Actor,
    association_id: int,
    kind: str,
    ru: Callable[[str], str],
) -> RosterExport:
    """The card file as a PDF (`kind` "pdf") or CSV; `ru` words catalogue keys in Russian,
    the language of all the paperwork."""
    found = await roster_of(session, actor=actor, association_id=association_id)
    if kind == "pdf":
        content = roster_document(found.association, found.entries, ru)
    else:
        content = roster_csv(found.entries, ru)
    return RosterExport(found.association, content, len(found.entries))


async def pending_requests(
    session: AsyncSession, *, actor: Actor, association_id: int
) -> list[RosterEntry]:
    await require_association_role(session, actor, association_id, *MANAGERS)
    rows = await session.execute(
        select(User, Membership)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.REQUESTED,
        )
        .order_by(Membership.requested_at)
    )
    return [RosterEntry(u, m) for u, m in rows.all()]


# the group chat ---------------------------------------------------------------------------------
class ChatVerdict(enum.StrEnum):
    APPROVE = "approve"
    NOT_MEMBER = "not_member"
    UNREGISTERED = "unregistered"
    FULL = "full"
    UNKNOWN_CHAT = "unknown_chat"


@dataclass(frozen=True)
class ChatJoinDecision:
    verdict: ChatVerdict
    association: Association | None
    user: User | None


async def decide_chat_join(
    session: AsyncSession, *, chat_id: int, telegram_id: int, user_chat_id: int | None = None
) -> ChatJoinDecision:
    """A join request to a bound group: only active members of its association get in;
    anyone else is told privately (at `user_chat_id`) how to join the association first."""
    association = await session.scalar(select(Association).where(Association.chat_id == chat_id))
    if association is None:
        return ChatJoinDecision(ChatVerdict.UNKNOWN_CHAT, None, None)
    user = await user_by_telegram_id(session, telegram_id)
    if user is None or not user.is_registered:
        verdict = ChatVerdict.UNREGISTERED
    else:
        own = await _own(session, association.id, user.id)
        verdict = (
            ChatVerdict.APPROVE
            if own is not None and own.status == MembershipStatus.ACTIVE
            else ChatVerdict.NOT_MEMBER
        )
    await audit(
        session,
        actor_telegram_id=telegram_id,
        action="chat.join_request",
        target_type="association",
        target_id=association.id,
        verdict=verdict.value,
    )
    if verdict != ChatVerdict.APPROVE:
        recipient = {"user": user} if user is not None else {"chat_id": user_chat_id or telegram_id}
        tell(
            session,
            Notice(
                "associations.group_declined",
                {"association": association, "registered": verdict == ChatVerdict.NOT_MEMBER},
                **recipient,
            ),
        )
    return ChatJoinDecision(verdict, association, user)


PRESENT = ("member", "administrator", "creator", "restricted")


@dataclass(frozen=True)
class ChatMemberChange:
    """Somebody's status in a group changed (a chat_member update)."""

    chat_id: int
    telegram_id: int
    name: str
    is_bot: bool
    old_status: str
    new_status: str


async def chat_member_changed(session: AsyncSession, change: ChatMemberChange) -> bool:
    """Remember who is in a bound group; a person who came in is greeted there with the
    rules. False when the group is not an association's."""
    association = await session.scalar(
        select(Association).where(Association.chat_id == change.chat_id)
    )
    if association is None:
        return False
    await record_chat_member(
        session, chat_id=change.chat_id, telegram_id=change.telegram_id, status=change.new_status
    )
    came_in = change.new_status in PRESENT and change.old_status not in PRESENT
    if came_in and not change.is_bot:
        tell(
            session,
            Notice(
                "associations.group_welcome",
                {"association": association, "name": change.name},
                chat_id=change.chat_id,
                thread_id=(association.forum_topics or {}).get("announcements"),
            ),
        )
    return True


async def record_chat_member(
    session: AsyncSession, *, chat_id: int, telegram_id: int, status: str
) -> bool:
    """Remember who is in a bound chat. False when the chat is not an association's."""
    association = await session.scalar(select(Association.id).where(Association.chat_id == chat_id))
    if association is None:
        return False
    seen = await session.scalar(
        select(ChatMemberSeen).where(
            ChatMemberSeen.chat_id == chat_id, ChatMemberSeen.telegram_id == telegram_id
        )
    )
    if seen is None:
        seen = ChatMemberSeen(chat_id=chat_id, telegram_id=telegram_id, status=status)
        session.add(seen)
    seen.status = status
    seen.updated_at = now()
    return True


async def chat_members(session: AsyncSession, chat_id: int) -> list[ChatMemberSeen]:
    rows = await session.scalars(
        select(ChatMemberSeen).where(
            ChatMemberSeen.chat_id == chat_id,
            ChatMemberSeen.status.in_(PRESENT),
        )
    )
    return list(rows.all())


async def group_message(session: AsyncSession, *, chat_id: int, telegram_id: int) -> bool:
    """Count a message in a bound group as activity (its text is not stored)."""
    association = await session.scalar(select(Association).where(Association.chat_id == chat_id))
    if association is None:
        return False
    user = await user_by_telegram_id(session, telegram_id)
    await record_activity(
        session,
        kind="group_message",
        user_id=user.id if user is not None else None,
        association_id=association.id,
    )
    return True


async def adopt_migrated(session: AsyncSession, *, old_chat_id: int, new_chat_id: int) -> None:
    from services.chats import adopt_migrated_chat

    await adopt_migrated_chat(session, old_chat_id, new_chat_id)
    rows = await session.scalars(
        select(ChatMemberSeen).where(ChatMemberSeen.chat_id == old_chat_id)
    )
    for seen in rows.all():
        seen.chat_id = new_chat_id
    links = await session.scalars(
        select(AssociationChatLink).where(AssociationChatLink.chat_id == old_chat_id)
    )
    for link in links.all():
        link.chat_id = new_chat_id


# the card file (картотека) ----------------------------------------------------------------------
def roster_document(
    association: Association, entries: list[RosterEntry], ru: Callable[[str], str]
) -> bytes:
    """The member card file as a PDF; `ru` turns catalogue keys into Russian words."""
    from documents import AssociationInfo, Person, RosterData, RosterMember, build_roster
    from services.catalogs import position_title, subject_title
    from services.formatting import academic_year_of

    leader = next((e.user for e in entries if e.membership.role == MemberRole.LEADER), None)
    members = [
        RosterMember(
            full_name=e.user.full_name or "",
            organisation=e.user.organisation or "",
            position=ru(position_title(e.user.position or "")),
            subjects=[ru(subject_title(s)) for s in e.user.subjects or []],
            category=e.user.category.value if e.user.category else "",
            experience_years=e.user.experience_years,
            joined_on=e.membership.joined_at.date() if e.membership.joined_at else None,
            role=e.membership.role.value,
        )
        for e in entries
    ]
    data = RosterData(
        association=AssociationInfo(
            name=association.name,
            kind=association.kind.value,
            organisation=association.organisation or "",
        ),
        academic_year=academic_year_of(association.period_start)[0],
        compiled_on=now().date(),
        members=members,
        leader=Person(full_name=leader.full_name or "", position="") if leader else None,
    )
    return build_roster(data)


CSV_HEADERS = (
    "№",
    "ФИО",
    "Организация",
    "Должность",
    "Предметы",
    "Категория",
    "Стаж, лет",
    "Дата вступления",
    "Роль",
)


def roster_csv(entries: list[RosterEntry], ru: Callable[[str], str]) -> bytes:
    """The card file as CSV (UTF-8 with BOM and «;» so Excel opens Cyrillic correctly)."""
    import csv
    import io

    from documents.data import member_role, qualification_category
    from services.catalogs import position_title, subject_title

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(CSV_HEADERS)
    for number, e in enumerate(entries, 1):
        user = e.user
        writer.writerow(
            [
                number,
                user.full_name or "",
                user.organisation or "",
                ru(position_title(user.position or "")),
                ", ".join(ru(subject_title(s)) for s in user.subjects or []),
                qualification_category(user.category.value) if user.category else "",
                user.experience_years if user.experience_years is not None else "",
                e.membership.joined_at.strftime("%d.%m.%Y") if e.membership.joined_at else "",
                member_role(e.membership.role.value),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode()
