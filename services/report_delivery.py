"""Sending the annual report privately to the association's leader and the approvers.

Never to the group: each recipient gets the PDF in their private chat, once per
association and academic year (the outbox's dedupe keys `report:<association>:<year>:…`).
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from documents.report import build_report
from models import Association, MemberRole, Membership, MembershipStatus, User
from models.association import AssociationStatus
from models.outbox import OutboxMessage
from models.user import NetworkRole, NetworkRoleGrant
from services.activity import Period
from services.clock import now
from services.notices import Notice, tell
from services.offload import offload
from services.outbox import store_file
from services.report import academic_year, gather
from services.report.surveys import Word, same

SEASON_START = (6, 15)  # from 15 June to the end of the academic year (31 August)
READY = "report.ready"


def dedupe_prefix(association_id: int, year: int) -> str:
    return f"report:{association_id}:{year}:"


async def recipients(session: AsyncSession, association_id: int) -> list[User]:
    """The leader(s) and every approver of the network, with a private chat, once each."""
    leaders = select(Membership.user_id).where(
        Membership.association_id == association_id,
        Membership.role == MemberRole.LEADER,
        Membership.status == MembershipStatus.ACTIVE,
    )
    approvers = select(NetworkRoleGrant.user_id).where(
        NetworkRoleGrant.role == NetworkRole.APPROVER
    )
    rows = await session.execute(
        select(User)
        .where(
            User.id.in_(leaders.union(approvers)),
            User.telegram_id.is_not(None),
            User.forgotten_at.is_(None),
        )
        .order_by(User.id)
    )
    return list(rows.scalars().all())


async def send_report(
    session: AsyncSession, association_id: int, period: Period, *, word: Word = same
) -> int:
    """Build the report and tell each recipient privately; returns the recipients told.
    `word` words the built-in survey questions (the caller's Russian catalogue)."""
    data = await gather(session, association_id, period, word=word)
    people = await recipients(session, association_id)
    if not people:
        return 0
    pdf = await offload(build_report, data)
    stored = await store_file(
        session,
        filename=f"analiticheskaya-spravka-{data.year_label.replace('/', '-')}.pdf",
        mime_type="application/pdf",
        content=pdf,
    )
    prefix = dedupe_prefix(association_id, period.start.year)
    tell(
        session,
        *(
            Notice(
                READY,
                {"name": data.name, "year": data.year_label},
                user=person,
                file_id=stored.id,
                dedupe_key=f"{prefix}{person.id}",
            )
            for person in people
        ),
    )
    return len(people)


def _in_season(today: date) -> bool:
    return (today.month, today.day) >= SEASON_START and today.month <= 8


async def send_annual_reports(session: AsyncSession, *, word: Word = same) -> int:
    """The sweep: from 15 June, each active association's report once per academic year."""
    moment = now()
    rows = await session.execute(
        select(Association.id, Association.timezone).where(
            Association.status == AssociationStatus.ACTIVE
        )
    )
    sent = await session.execute(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like("report:%"))
    )
    done = {":".join(key.split(":")[1:3]) for (key,) in sent.all() if key}
    told = 0
    for association_id, timezone in rows.all():
        today = moment.astimezone(ZoneInfo(timezone)).date()
        start, end = academic_year(today)
        if not _in_season(today) or f"{association_id}:{start.year}" in done:
            continue
        told += await send_report(session, association_id, Period(start, end, timezone), word=word)
    return told
