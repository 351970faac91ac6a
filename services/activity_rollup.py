"""Who took part in each association, counted for a whole network without reading every act.

The network summary needs one number per association: how many people took part in any
form during the period. Counted from the acts, a region's academic year is a million and a
half rows; the «activity-rollup» sweep keeps, per academic year, the (association, person)
pairs found up to a mark (`through`, the start of today), and :func:`active_people` adds
to them only the acts since the mark.

The answer is the one the acts give, except for acts recorded after the mark on things
dated before it (a vote in a poll opened last week, attendance corrected after the
meeting): those count from the next build on, within a day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from sqlalchemy import Select, delete, func, literal, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from models import ActivityRollup, ActivityRollupMark
from services import activity
from services.activity import Period, Scope
from services.clock import now


def _year_of(period: Period) -> int:
    return period.start.year if period.start.month >= 9 else period.start.year - 1


async def build(session: AsyncSession, period: Period, *, through: datetime) -> int:
    """(Re)build the rollup of the academic year `period` covers, with acts before `through`."""
    year = _year_of(period)
    start, end = period.bounds()
    through = max(start, min(through, end))
    await session.execute(delete(ActivityRollup).where(ActivityRollup.academic_year == year))
    pairs = union(*activity.active_pairs(None, start, through)).subquery()
    association, person = pairs.c
    inserted = await session.execute(
        ActivityRollup.__table__.insert().from_select(
            ["academic_year", "association_id", "user_id"],
            select(literal(year), association, person),
        )
    )
    mark = await session.get(ActivityRollupMark, year)
    if mark is None:
        mark = ActivityRollupMark(academic_year=year, start=start, end=end, through=through)
        session.add(mark)
    mark.start, mark.end, mark.through, mark.built_at = start, end, through, now()
    await session.flush()
    return inserted.rowcount or 0


async def _usable_mark(
    session: AsyncSession, start: datetime, end: datetime
) -> ActivityRollupMark | None:
    year = start.year if start.month >= 9 else start.year - 1
    mark = await session.get(ActivityRollupMark, year)
    if mark is None or mark.start != start or mark.end != end:
        return None
    return mark


async def active_people(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    association_ids: Iterable[int] | None = None,
) -> dict[int, int]:
    """How many people took part in any form, per association (counted by the database)."""
    scope: Scope = None if association_ids is None else sorted(set(association_ids))
    if scope is not None and not scope:
        return {}
    mark = await _usable_mark(session, start, end)
    if mark is None:
        parts = activity.active_pairs(scope, start, end)
    else:
        rolled = select(ActivityRollup.association_id, ActivityRollup.user_id).where(
            ActivityRollup.academic_year == mark.academic_year
        )
        if scope is not None:
            rolled = rolled.where(ActivityRollup.association_id.in_(scope))
        parts = [rolled, *activity.active_pairs(scope, mark.through, end)]
    return await people_in(session, parts)


async def people_in(session: AsyncSession, parts: list[Select]) -> dict[int, int]:
    """Distinct people per association among the (association, person) pairs of `parts`."""
    pairs = union(*parts).subquery()
    association, _person = pairs.c
    rows = await session.execute(select(association, func.count()).group_by(association))
    return dict(rows.all())


async def refresh(session: AsyncSession, *, timezone: str, today: date) -> int:
    """The sweep's work: rebuild the current academic year's rollup once a day."""
    first = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    period = Period(first, date(first.year + 1, 8, 31), timezone)
    start, end = period.bounds()
    midnight = datetime.combine(today, time(), UTC)
    mark = await _usable_mark(session, start, end)
    if mark is not None and mark.through >= min(midnight, end):
        return 0
    return await build(session, period, through=midnight)


__all__ = ["active_people", "build", "people_in", "refresh"]
