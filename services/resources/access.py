"""Who reviews which materials of the bank.

An association's materials are reviewed by its leader and experts; network-wide materials
(no association) by network methodists and network experts. Methodists moderate the whole
bank, so they review every association's materials too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models import MemberRole, Membership, MembershipStatus, NetworkRole, User
from models.resources import Material, MaterialStatus
from services.access import network_roles

REVIEWER_ROLES = (MemberRole.LEADER, MemberRole.EXPERT)


@dataclass(frozen=True, slots=True)
class ReviewScope:
    """The materials a person may review: some associations, the network's, or everything."""

    association_ids: frozenset[int]
    network: bool  # network-wide materials
    everything: bool  # a methodist: every association's materials as well

    @property
    def is_reviewer(self) -> bool:
        return self.everything or self.network or bool(self.association_ids)

    def covers(self, material: Material) -> bool:
        if material.association_id is None:
            return self.network
        return self.everything or material.association_id in self.association_ids

    def condition(self) -> ColumnElement[bool]:
        """The same test as `covers`, as a WHERE clause over `materials`."""
        if self.everything:
            return true() if self.network else Material.association_id.is_not(None)
        parts: list[ColumnElement[bool]] = []
        if self.network:
            parts.append(Material.association_id.is_(None))
        if self.association_ids:
            parts.append(Material.association_id.in_(sorted(self.association_ids)))
        return or_(*parts) if parts else false()


async def review_scope(
    session: AsyncSession, user: User, *, platform_admin: bool = False
) -> ReviewScope:
    roles = await network_roles(session, user.id)
    methodist = platform_admin or NetworkRole.METHODIST in roles
    rows = await session.scalars(
        select(Membership.association_id).where(
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role.in_(REVIEWER_ROLES),
        )
    )
    return ReviewScope(
        association_ids=frozenset(rows.all()),
        network=methodist or NetworkRole.EXPERT in roles,
        everything=methodist,
    )


async def pending_count(session: AsyncSession, scope: ReviewScope) -> int:
    """How many submitted materials wait for this reviewer."""
    if not scope.is_reviewer:
        return 0
    count = await session.scalar(
        select(func.count())
        .select_from(Material)
        .where(Material.status == MaterialStatus.PENDING, scope.condition())
    )
    return count or 0
