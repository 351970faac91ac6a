"""Personal data: what we store, the export (/mydata) and the erasure (/forget).

Features that keep personal data register an exporter and an eraser here, so one
command covers everything the bot knows about a person.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ActivityEvent,
    AuditEntry,
    DialogState,
    Membership,
    MembershipStatus,
    NetworkRoleGrant,
    OutboxMessage,
    OutboxStatus,
    User,
)
from services.access import Actor, user_by_telegram_id
from services.audit import audit
from services.clock import now
from services.errors import NotRegistered

Exporter = Callable[[AsyncSession, User], Awaitable[dict[str, Any]]]
Eraser = Callable[[AsyncSession, User], Awaitable[None]]

_exporters: dict[str, Exporter] = {}
_erasers: list[Eraser] = []


def register_personal_data(name: str, exporter: Exporter, eraser: Eraser | None = None) -> None:
    """Let a feature add its section to /mydata and its part to /forget."""
    _exporters[name] = exporter
    if eraser is not None and eraser not in _erasers:
        _erasers.append(eraser)


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


async def _profile_section(session: AsyncSession, user: User) -> dict[str, Any]:
    columns = [c.key for c in User.__table__.columns if c.key not in ("id", "search_text")]
    return {name: _iso(getattr(user, name)) for name in columns}


async def _roles_section(session: AsyncSession, user: User) -> dict[str, Any]:
    grants = await session.scalars(
        select(NetworkRoleGrant).where(NetworkRoleGrant.user_id == user.id)
    )
    return {"network_roles": [{"role": g.role.value, "since": _iso(g.granted_at)} for g in grants]}


async def _memberships_section(session: AsyncSession, user: User) -> dict[str, Any]:
    rows = await session.scalars(select(Membership).where(Membership.user_id == user.id))
    return {
        "memberships": [
            {
                "association_id": m.association_id,
                "role": m.role.value,
                "status": m.status.value,
                "joined_at": _iso(m.joined_at),
                "left_at": _iso(m.left_at),
            }
            for m in rows
        ]
    }


async def _activity_section(session: AsyncSession, user: User) -> dict[str, Any]:
    rows = await session.execute(
        select(ActivityEvent.kind, ActivityEvent.association_id, ActivityEvent.at)
        .where(ActivityEvent.user_id == user.id)
        .order_by(ActivityEvent.at)
    )
    return {"activity": [{"kind": k, "association_id": a, "at": _iso(at)} for k, a, at in rows]}


async def _audit_section(session: AsyncSession, user: User) -> dict[str, Any]:
    rows = await session.scalars(
        select(AuditEntry).where(AuditEntry.actor_telegram_id == user.telegram_id)
    )
    return {"actions": [{"action": e.action, "at": _iso(e.at), "details": e.details} for e in rows]}


async def export_personal_data(session: AsyncSession, *, actor: Actor) -> dict[str, Any]:
    """Everything stored about the actor, as plain JSON-ready data."""
    user = await user_by_telegram_id(session, actor.telegram_id)
    if user is None:
        raise NotRegistered()
    result: dict[str, Any] = {"profile": await _profile_section(session, user)}
    for section in (_roles_section, _memberships_section, _activity_section, _audit_section):
        result.update(await section(session, user))
    for name, exporter in _exporters.items():
        result[name] = await exporter(session, user)
    return result


async def forget(session: AsyncSession, *, actor: Actor) -> None:
    """Erase the actor's personal data; keep only anonymous aggregates (activity counts).

    The user row stays as an empty tombstone so memberships and events keep their counts.
    """
    user = await user_by_telegram_id(session, actor.telegram_id)
    if user is None:
        raise NotRegistered()
    for eraser in _erasers:
        await eraser(session, user)
    moment = now()
    await session.execute(
        update(Membership)
        .where(
            Membership.user_id == user.id,
            Membership.status.in_([MembershipStatus.ACTIVE, MembershipStatus.REQUESTED]),
        )
        .values(status=MembershipStatus.LEFT, left_at=moment)
    )
    await session.execute(delete(NetworkRoleGrant).where(NetworkRoleGrant.user_id == user.id))
    await session.execute(delete(DialogState).where(DialogState.user_id == actor.telegram_id))
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.chat_id == actor.telegram_id, OutboxMessage.status == OutboxStatus.PENDING
        )
        .values(status=OutboxStatus.CANCELLED, payload={})
    )
    _blank_profile(user)
    user.forgotten_at = moment
    await audit(
        session,
        actor_telegram_id=None,
        action="user.forgotten",
        target_type="user",
        target_id=user.id,
    )


def _blank_profile(user: User) -> None:
    for name in (
        "telegram_id",
        "telegram_username",
        "full_name",
        "organisation",
        "position",
        "experience_years",
        "category",
        "municipality",
        "email",
        "phone",
        "consent_version",
        "consent_at",
        "registered_at",
        "search_text",
        "telegram_language",
        "language",
        "timezone",
        "unreachable_since",
    ):
        setattr(user, name, None)
    user.subjects = []
