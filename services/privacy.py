"""Personal data: what we store, the export (/mydata) and the erasure (/forget).

Every table that refers to a person is found from the schema, so a new feature's rows
are exported without changes here; `_ERASED_WITH_THE_PERSON` lists what /forget deletes
beyond blanking the profile.
"""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Column, Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ActivityEvent,
    AuditEntry,
    Base,
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
from services.certificates.registry import erase_of_person as erase_certificates
from services.clock import now
from services.correspondence import erase_of_person
from services.errors import NotRegistered
from services.resources.submission import erase_unpublished

# The profile folded for searching and filtering: not exported (it repeats the profile),
# erased with it.
FOLDED_COLUMNS = ("search_text", "organisation_folded", "municipality_folded")


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


async def _profile_section(session: AsyncSession, user: User) -> dict[str, Any]:
    columns = [c.key for c in User.__table__.columns if c.key not in ("id", *FOLDED_COLUMNS)]
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


_EXPORTED_ABOVE = {"users", "memberships", "network_roles", "activity_events"}
# Rows that only make sense for a reachable person: erased by /forget (the rest stay,
# linked to the anonymous tombstone, as counts and school records).
_ERASED_WITH_THE_PERSON = (
    "association_waiting_list",
    "event_digest_subscriptions",
    "protocol_followups",
    "plan_proposals",
    "member_message_blocks",
    "task_assignments",
    "poll_votes",
    "consultations.asker_id",  # the person's questions (not those they answered)
    "mentorships",
    "survey_invitations",
    "survey_responses",
    "nomination_entries",  # the person on a nomination list, and the leader's words on them
    "contest_entries",  # with their files, scores and votes (cascade)
    "contest_scores.juror_user_id",
    "contest_votes",
    "contest_diplomas",
    "contest_jurors",
)


def _user_links() -> list[tuple[Table, Column[Any]]]:
    """Every (table, column) that refers to a person, found from the schema itself."""
    links = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "users" for fk in column.foreign_keys):
                links.append((table, column))
    return links


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, enum.Enum):
        return value.value
    return _iso(value)


async def _linked_records_section(session: AsyncSession, user: User) -> dict[str, Any]:
    """Everything else that refers to the person: RSVPs, attendance, proposals, routes…"""
    records: dict[str, list[dict[str, Any]]] = {}
    for table, column in _user_links():
        if table.name in _EXPORTED_ABOVE:
            continue
        rows = (await session.execute(select(table).where(column == user.id))).mappings()
        found = [{key: _plain(value) for key, value in row.items()} for row in rows]
        if found:
            records.setdefault(table.name, []).extend(found)
    return {"records": records}


async def _erase_linked_records(session: AsyncSession, user: User) -> None:
    for table, column in _user_links():
        if {table.name, f"{table.name}.{column.name}"} & set(_ERASED_WITH_THE_PERSON):
            await session.execute(delete(table).where(column == user.id))


async def export_personal_data(session: AsyncSession, *, actor: Actor) -> dict[str, Any]:
    """Everything stored about the actor, as plain JSON-ready data."""
    user = await user_by_telegram_id(session, actor.telegram_id)
    if user is None:
        raise NotRegistered()
    result: dict[str, Any] = {"profile": await _profile_section(session, user)}
    for section in (
        _roles_section,
        _memberships_section,
        _activity_section,
        _audit_section,
        _linked_records_section,
    ):
        result.update(await section(session, user))
    return result


async def forget(session: AsyncSession, *, actor: Actor) -> None:
    """Erase the actor's personal data; keep only anonymous aggregates (activity counts).

    The user row stays as an empty tombstone so memberships and events keep their counts.
    """
    user = await user_by_telegram_id(session, actor.telegram_id)
    if user is None:
        raise NotRegistered()
    await erase_of_person(session, user.id)  # and the outbox rows that relayed them
    await erase_unpublished(session, user.id)  # approved materials stay in the bank, unnamed
    await erase_certificates(session, user.id)  # and their codes no longer verify
    await _erase_linked_records(session, user)
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
        *FOLDED_COLUMNS,
        "telegram_language",
        "language",
        "timezone",
        "unreachable_since",
    ):
        setattr(user, name, None)
    user.subjects = []
