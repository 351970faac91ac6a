"""Section 7: the resource bank per month and its most requested materials."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import ActivityEvent
from models.resources import Material
from services.activity import Period
from services.report.data import Bank, MonthLine
from services.report.meetings import aware

DOWNLOAD = "material_downloaded"  # the activity event of a material taken from the bank


def _months(period: Period) -> list[tuple[int, int]]:
    months, (year, month) = [], (period.start.year, period.start.month)
    while (year, month) <= (period.end.year, period.end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month_of(moment: datetime | None, zone: ZoneInfo) -> tuple[int, int] | None:
    if moment is None:
        return None
    local = aware(moment).astimezone(zone)
    return local.year, local.month


async def bank(session: AsyncSession, association_id: int, period: Period) -> Bank:
    """Three statements: the materials' dates, the downloads, the top ten's titles."""
    start, end = period.bounds()
    zone = ZoneInfo(period.timezone)
    materials = (
        await session.execute(
            select(Material.submitted_at, Material.approved_at).where(
                Material.association_id == association_id,
                Material.submitted_at < end,
                (Material.submitted_at >= start) | (Material.approved_at >= start),
            )
        )
    ).all()
    downloads = (
        await session.execute(
            select(ActivityEvent.ref_id, ActivityEvent.at).where(
                ActivityEvent.kind == DOWNLOAD,
                ActivityEvent.association_id == association_id,
                ActivityEvent.at >= start,
                ActivityEvent.at < end,
            )
        )
    ).all()
    added = Counter(_month_of(submitted, zone) for submitted, _ in materials)
    approved = Counter(_month_of(at, zone) for _, at in materials if at and start <= aware(at))
    taken = Counter(_month_of(at, zone) for _, at in downloads)
    by_material = Counter(ref for ref, _ in downloads if ref is not None)
    top = by_material.most_common(10)
    titles: dict[int, str] = {}
    if top:
        rows = await session.execute(
            select(Material.id, Material.title).where(Material.id.in_([i for i, _ in top]))
        )
        titles = dict(rows.all())
    months = tuple(
        MonthLine(y, m, added[(y, m)], approved[(y, m)], taken[(y, m)]) for y, m in _months(period)
    )
    return Bank(months, tuple((titles.get(i, f"№ {i}"), n) for i, n in top))
