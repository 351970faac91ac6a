"""Who may do what. Checked at the moment of the action, for commands and buttons alike."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MemberRole, Membership, MembershipStatus, NetworkRole, NetworkRoleGrant, User
from services.errors import NotRegistered, PermissionDenied
from services.texts import T_

ROLE_TITLES = {
    NetworkRole.METHODIST: T_("network methodists"),
    NetworkRole.APPROVER: T_("approvers"),
    NetworkRole.EXPERT: T_("experts"),
    "admin": T_("platform administrators"),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The person acting, as the messenger adapter knows them."""

    telegram_id: int
    is_platform_admin: bool = False


_USERS_SEEN = "users_by_telegram_id"


async def user_by_telegram_id(session: AsyncSession, telegram_id: int) -> User | None:
    """The person's row; read once per session (every handler asks for the actor's)."""
    seen: dict[int, User] = session.info.setdefault(_USERS_SEEN, {})
    user = seen.get(telegram_id)
    if user is not None:
        state = inspect(user)
        if state.persistent and not state.expired_attributes and user.telegram_id == telegram_id:
            return user
    user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
    if user is not None:
        seen[telegram_id] = user
    return user


async def role_holder(session: AsyncSession, association_id: int, role: MemberRole) -> User | None:
    """The association's active member in `role` who can be written to (the earliest named)."""
    return await session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role == role,
            User.telegram_id.is_not(None),
        )
        .order_by(Membership.id)
        .limit(1)
    )


async def require_registered(session: AsyncSession, actor: Actor) -> User:
    """The actor's profile, or NotRegistered."""
    user = await user_by_telegram_id(session, actor.telegram_id)
    if user is None or not user.is_registered:
        raise NotRegistered()
    return user


async def network_roles(session: AsyncSession, user_id: int) -> set[NetworkRole]:
    rows = await session.scalars(
        select(NetworkRoleGrant.role).where(NetworkRoleGrant.user_id == user_id)
    )
    return set(rows.all())


async def require_network_role(session: AsyncSession, actor: Actor, *roles: NetworkRole) -> User:
    """The actor's profile if they hold one of `roles` (platform admins always pass)."""
    user = await require_registered(session, actor)
    if actor.is_platform_admin:
        return user
    if not roles or not (await network_roles(session, user.id)) & set(roles):
        raise PermissionDenied(role=ROLE_TITLES[roles[0]] if roles else ROLE_TITLES["admin"])
    return user


def require_platform_admin(actor: Actor) -> None:
    if not actor.is_platform_admin:
        raise PermissionDenied(role=ROLE_TITLES["admin"])


async def leads_any(session: AsyncSession, user_id: int) -> bool:
    """Whether the person leads at least one association."""
    found = await session.scalar(
        select(Membership.id)
        .where(
            Membership.user_id == user_id,
            Membership.role == MemberRole.LEADER,
            Membership.status == MembershipStatus.ACTIVE,
        )
        .limit(1)
    )
    return found is not None


ASSOCIATION_ROLE_TITLES = {
    MemberRole.LEADER: T_("the association's leader"),
    MemberRole.SECRETARY: T_("the association's secretary"),
    MemberRole.ADMINISTRATOR: T_("the association's administrator"),
    MemberRole.EXPERT: T_("the association's experts"),
    MemberRole.MEMBER: T_("members of the association"),
}


async def membership_of(
    session: AsyncSession, user_id: int, association_id: int
) -> Membership | None:
    """The person's active membership in the association, if any."""
    return await session.scalar(
        select(Membership).where(
            Membership.user_id == user_id,
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )


async def require_association_role(
    session: AsyncSession, actor: Actor, association_id: int, *roles: MemberRole
) -> User:
    """The actor's profile if they hold one of `roles` in the association.

    Platform admins and network methodists pass everywhere; with no `roles` given any
    active member passes.
    """
    user = await require_registered(session, actor)
    if actor.is_platform_admin or NetworkRole.METHODIST in await network_roles(session, user.id):
        return user
    membership = await membership_of(session, user.id, association_id)
    if membership is None or (roles and membership.role not in roles):
        wanted = roles[0] if roles else MemberRole.MEMBER
        raise PermissionDenied(role=ASSOCIATION_ROLE_TITLES[wanted])
    return user
