"""Audit log and activity events: the small API every feature uses."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ActivityEvent, AuditEntry
from services.clock import now


async def audit(
    session: AsyncSession,
    *,
    actor_telegram_id: int | None,
    action: str,
    target_type: str | None = None,
    target_id: int | None = None,
    **details: object,
) -> AuditEntry:
    """Record a privileged action: who, what, on what, when."""
    entry = AuditEntry(
        actor_telegram_id=actor_telegram_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=dict(details),
        at=now(),
    )
    session.add(entry)
    return entry


async def recent_audit(session: AsyncSession, *, limit: int = 20) -> Sequence[AuditEntry]:
    rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return rows.all()


async def record_activity(
    session: AsyncSession,
    *,
    kind: str,
    user_id: int | None,
    association_id: int | None = None,
    ref_id: int | None = None,
) -> None:
    """Count one act of participation (a message, a vote, a download). No content is stored.

    `ref_id` names what the act was about, by kind (a material's id for its views and downloads).
    """
    session.add(
        ActivityEvent(
            kind=kind, user_id=user_id, association_id=association_id, ref_id=ref_id, at=now()
        )
    )


async def activity_counts(
    session: AsyncSession, *, association_id: int | None = None, user_id: int | None = None
) -> dict[str, int]:
    """How many events of each kind, for an association and/or a person."""
    query = select(ActivityEvent.kind, func.count()).group_by(ActivityEvent.kind)
    if association_id is not None:
        query = query.where(ActivityEvent.association_id == association_id)
    if user_id is not None:
        query = query.where(ActivityEvent.user_id == user_id)
    return {kind: count for kind, count in (await session.execute(query)).all()}
