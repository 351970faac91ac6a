"""The methodists' network summary: every active association's key indicators."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.association import Association, AssociationStatus, Membership, MembershipStatus
from models.plans import Plan, PlanEntry, PlanItemStatus
from services import activity, activity_rollup
from services.activity import Period
from services.report.data import NetworkData, NetworkLine


async def _grouped(session: AsyncSession, query) -> dict[int, int]:  # type: ignore[no-untyped-def]
    return {key: count for key, count in (await session.execute(query)).all()}


async def gather_network(session: AsyncSession, period: Period) -> NetworkData:
    """Every active association's indicators for the period, in six statements or so."""
    associations = (
        await session.execute(
            select(Association.id, Association.name, Association.kind)
            .where(Association.status == AssociationStatus.ACTIVE)
            .order_by(Association.name, Association.id)
        )
    ).all()
    ids = [row.id for row in associations]
    start, end = period.bounds()
    members = await _grouped(
        session,
        select(Membership.association_id, func.count())
        .where(Membership.status == MembershipStatus.ACTIVE)
        .group_by(Membership.association_id),
    )
    planned = await _grouped(
        session,
        select(Plan.association_id, func.count(PlanEntry.id))
        .join(PlanEntry, PlanEntry.plan_id == Plan.id)
        .where(Plan.academic_year == period.start.year)
        .group_by(Plan.association_id),
    )
    done = await _grouped(
        session,
        select(Plan.association_id, func.count(PlanEntry.id))
        .join(PlanEntry, PlanEntry.plan_id == Plan.id)
        .where(Plan.academic_year == period.start.year, PlanEntry.status == PlanItemStatus.DONE)
        .group_by(Plan.association_id),
    )
    held = await activity.held_meetings(session, start=start, end=end, association_ids=ids)
    active = await activity_rollup.active_people(session, start=start, end=end)
    return NetworkData(
        period,
        tuple(
            NetworkLine(
                row.id,
                row.name,
                row.kind.value,
                members.get(row.id, 0),
                held.get(row.id, 0),
                planned.get(row.id, 0),
                done.get(row.id, 0),
                min(active.get(row.id, 0), members.get(row.id, 0)),
            )
            for row in associations
        ),
    )
