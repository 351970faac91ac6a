"""The weekly digest of new materials (notice `resources.digest`): what was approved into
the bank last week, to the members of the associations it belongs to (network materials:
to every registered teacher), unless they switched it off.

Due from Monday 10:00 in the network's time zone, one per person and ISO week (dedupe key),
so a sweep run twice, or a restart, sends it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, Membership, MembershipStatus, User
from models.resources import Material, MaterialKind, MaterialStatus
from services.access import Actor, require_registered
from services.audit import audit
from services.clock import now
from services.notices import Notice, tell

DIGEST_HOUR = 10
SHOWN = 10


@dataclass(frozen=True, slots=True)
class DigestItem:
    material_id: int
    title: str
    kind: MaterialKind
    association: str | None  # None: the whole network


def digest_week(moment: datetime, timezone: str) -> tuple[str, datetime, datetime] | None:
    """The ISO week whose digest is due at `moment`, and the week before it (what it covers)."""
    local = moment.astimezone(ZoneInfo(timezone))
    monday = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    if local < monday.replace(hour=DIGEST_HOUR):
        return None
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}", monday - timedelta(days=7), monday


async def _new_materials(
    session: AsyncSession, start: datetime, end: datetime
) -> list[tuple[Material, str | None]]:
    rows = await session.execute(
        select(Material, Association.name)
        .outerjoin(Association, Association.id == Material.association_id)
        .where(
            Material.status == MaterialStatus.APPROVED,
            Material.approved_at >= start,
            Material.approved_at < end,
        )
        .order_by(Material.approved_at.desc(), Material.id.desc())
    )
    return [(material, name) for material, name in rows.all()]


def _readers() -> Select[tuple[User]]:
    return select(User).where(
        User.telegram_id.is_not(None),
        User.forgotten_at.is_(None),
        User.unreachable_since.is_(None),
        User.registered_at.is_not(None),
        User.materials_digest_enabled.is_(True),
    )


async def _members_of(session: AsyncSession, association_ids: set[int]) -> dict[int, set[int]]:
    """Each reader's associations among those."""
    rows = await session.execute(
        select(Membership.user_id, Membership.association_id).where(
            Membership.association_id.in_(sorted(association_ids)),
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    found: dict[int, set[int]] = {}
    for user_id, association_id in rows.all():
        found.setdefault(user_id, set()).add(association_id)
    return found


async def tell_weekly_digests(session: AsyncSession, *, timezone: str) -> int:
    """Tell each reader last week's new materials that concern them; returns how many."""
    due = digest_week(now(), timezone)
    if due is None:
        return 0
    week, start, end = due
    materials = await _new_materials(session, start, end)
    if not materials:
        return 0
    network = [m for m in materials if m[0].association_id is None]
    memberships = await _members_of(
        session, {m.association_id for m, _ in materials if m.association_id is not None}
    )
    readers = _readers() if network else _readers().where(User.id.in_(list(memberships)))
    told = 0
    for user in (await session.scalars(readers)).all():
        mine = memberships.get(user.id, set())
        items = [
            DigestItem(m.id, m.title, m.kind, name)
            for m, name in materials
            if m.association_id is None or m.association_id in mine
        ]
        if not items:
            continue
        tell(
            session,
            Notice(
                "resources.digest",
                {"items": items[:SHOWN], "total": len(items)},
                user=user,
                dedupe_key=f"resdigest:{user.id}:{week}",
                batch=f"resdigest:{week}",
            ),
        )
        told += 1
    return told


async def set_digest(session: AsyncSession, actor: Actor, *, enabled: bool) -> None:
    user = await require_registered(session, actor)
    user.materials_digest_enabled = enabled
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="resources.digest",
        target_type="user",
        target_id=user.id,
        enabled=enabled,
    )


async def digest_enabled(session: AsyncSession, actor: Actor) -> bool:
    return (await require_registered(session, actor)).materials_digest_enabled
