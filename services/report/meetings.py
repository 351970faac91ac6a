"""Sections 4 and 5: the plan's fulfilment and the meetings held, with attendance."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.meetings import Meeting, MeetingStatus
from models.plans import Plan, PlanEntry, PlanItemStatus
from services import activity
from services.activity import Period
from services.clock import now
from services.report.data import MeetingLine, PlanFulfilment


async def held_meetings(
    session: AsyncSession, association_id: int, period: Period, members: int
) -> tuple[MeetingLine, ...]:
    start, end = period.bounds()
    rows = await session.execute(
        select(Meeting)
        .where(
            Meeting.association_id == association_id,
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.starts_at >= start,
            Meeting.starts_at < min(end, now()),
        )
        .order_by(Meeting.starts_at)
    )
    meetings = rows.scalars().all()
    present = await _present_by_meeting(session, [m.id for m in meetings], start, end)
    zone = ZoneInfo(period.timezone)
    return tuple(
        MeetingLine(
            m.number,
            aware(m.starts_at).astimezone(zone).date(),
            m.form,
            m.topic,
            present.get(m.id, 0),
            members,
        )
        for m in meetings
    )


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))


async def _present_by_meeting(
    session: AsyncSession, meeting_ids: list[int], start: datetime, end: datetime
) -> dict[int, int]:
    if not meeting_ids:
        return {}
    present = activity.present_pairs(None, start, end)  # the one definition of «present»
    rows = await session.execute(
        select(present.c.meeting_id, func.count())
        .where(present.c.meeting_id.in_(meeting_ids))
        .group_by(present.c.meeting_id)
    )
    return dict(rows.all())


async def plan_fulfilment(
    session: AsyncSession, association_id: int, period: Period
) -> PlanFulfilment:
    rows = await session.execute(
        select(PlanEntry.status, PlanEntry.form)
        .join(Plan, Plan.id == PlanEntry.plan_id)
        .where(Plan.association_id == association_id, Plan.academic_year == period.start.year)
    )
    items = rows.all()
    statuses = Counter(status for status, _ in items)
    forms = tuple(sorted({form for status, form in items if status == PlanItemStatus.DONE}))
    return PlanFulfilment(
        planned=len(items),
        done=statuses[PlanItemStatus.DONE],
        moved=statuses[PlanItemStatus.MOVED],
        cancelled=statuses[PlanItemStatus.CANCELLED],
        forms=forms,
    )
