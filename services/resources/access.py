"""Who reviews which materials of the bank.

An association's materials are reviewed by its leader and experts; network-wide materials
(no association) by network methodists and network experts. Methodists moderate the whole
bank, so they review every association's materials too. Nobody reviews their own material:
an expertise is somebody else's judgement.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
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
    user_id: int | None = None  # the reviewer, whose own materials are not theirs to review

    @property
    def is_reviewer(self) -> bool:
        return self.everything or self.network or bool(self.association_ids)

    def covers(self, material: Material) -> bool:
        return self.covers_place(material.association_id, material.author_user_id)

    def covers_place(self, association_id: int | None, author_user_id: int | None) -> bool:
        """`covers` for a material of `association_id` (None: the network's) by the author."""
        if self.user_id is not None and author_user_id == self.user_id:
            return False
        if association_id is None:
            return self.network
        return self.everything or association_id in self.association_ids

    def condition(self) -> ColumnElement[bool]:
        """The same test as `covers`, as a WHERE clause over `materials`."""
        if self.everything:
            place = true() if self.network else Material.association_id.is_not(None)
        else:
            parts: list[ColumnElement[bool]] = []
            if self.network:
                parts.append(Material.association_id.is_(None))
            if self.association_ids:
                parts.append(Material.association_id.in_(sorted(self.association_ids)))
            place = or_(*parts) if parts else false()
        if self.user_id is None:
            return place
        others = or_(Material.author_user_id.is_(None), Material.author_user_id != self.user_id)
        return and_(place, others)


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
        user_id=user.id,
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
