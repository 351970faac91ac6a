"""Protocol sweeps (rows of scheduler/schedule.py): decisions' follow-ups.

The member responsible for a decision with a deadline is reminded 3 days and 1 day before
it, from 9:00 in the association's time zone; a later stage makes the earlier ones moot, so
a bot that was down sends only one. Words: handlers/protocols/notices.py.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, Membership, MembershipStatus, User
from models.protocols import FollowUp, Protocol
from services.clock import now
from services.notices import Notice, tell

# Follow-ups: reminded this many days before the deadline, from this local hour.
FOLLOWUP_STAGES = (("d3", 3), ("d1", 1))
FOLLOWUP_HOUR = 9


async def sweep_followups(session: AsyncSession) -> int:
    """Remind responsible members 3 days and 1 day before a decision's deadline."""
    moment = now()
    today = moment.date()
    rows = await session.execute(
        select(FollowUp, Protocol, Association, User)
        .join(Protocol, Protocol.id == FollowUp.protocol_id)
        .join(Association, Association.id == FollowUp.association_id)
        .join(User, User.id == FollowUp.user_id)
        .join(
            Membership,
            and_(
                Membership.association_id == FollowUp.association_id,
                Membership.user_id == FollowUp.user_id,
            ),
        )
        .where(
            FollowUp.deadline >= today - timedelta(days=1),
            FollowUp.deadline <= today + timedelta(days=FOLLOWUP_STAGES[0][1] + 1),
            Membership.status == MembershipStatus.ACTIVE,
            User.telegram_id.is_not(None),
        )
    )
    notices: list[Notice] = []
    for followup, protocol, association, user in rows.all():
        local = moment.astimezone(ZoneInfo(association.timezone))
        if local.hour < FOLLOWUP_HOUR:
            continue
        left = (followup.deadline - local.date()).days
        stage = next((name for name, days in reversed(FOLLOWUP_STAGES) if 0 <= left <= days), None)
        done = set(followup.reminders_done or [])
        if stage is None or stage in done:
            continue
        # A later stage makes the earlier ones moot (a bot that was down sends only one).
        passed = {name for name, days in FOLLOWUP_STAGES if days >= left}
        followup.reminders_done = sorted(done | passed)
        notices.append(
            Notice(
                "protocol.followup",
                {"followup": followup, "protocol": protocol, "association": association},
                user=user,
                dedupe_key=f"fup:{followup.id}:{stage}",
                priority=4,
            )
        )
    await session.flush()
    tell(session, *notices)
    return len(notices)
