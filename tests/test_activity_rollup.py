"""The activity rollup: the network summary's active people, counted from the rollup plus
the acts since its mark, agree with counting every act."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models import ActivityEvent, ActivityRollup
from scheduler.schedule import SCHEDULE
from services import activity, activity_rollup
from services.activity import Period
from services.clock import set_clock
from tests.factories import make_teacher
from tests.test_activity import NOW, YEAR, _world


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    yield
    set_clock(None)


def _counted_from_acts(tallied: activity.Activity) -> dict[int, int]:
    people: dict[int, int] = {}
    for association_id, _person in tallied.counts:
        people[association_id] = people.get(association_id, 0) + 1
    return people


async def test_without_a_rollup_people_are_counted_from_the_acts(session) -> None:  # type: ignore[no-untyped-def]
    association, other, _leader, _one, _two = await _world(session)
    start, end = YEAR.bounds()

    counted = await activity_rollup.active_people(session, start=start, end=end)

    tallied = await activity.tally(session, start=start, end=end)
    assert counted == _counted_from_acts(tallied) == {association.id: 3, other.id: 1}
    assert await activity_rollup.active_people(
        session, start=start, end=end, association_ids=[other.id]
    ) == {other.id: 1}
    assert (
        await activity_rollup.active_people(session, start=start, end=end, association_ids=[]) == {}
    )


async def test_the_rollup_and_the_acts_since_its_mark_give_the_same_count(session) -> None:  # type: ignore[no-untyped-def]
    association, other, _leader, _one, _two = await _world(session)
    start, end = YEAR.bounds()
    assert await activity_rollup.build(session, YEAR, through=NOW) == 4
    newcomer = await make_teacher(session, 770_099)
    session.add(
        ActivityEvent(
            kind="group_message",
            user_id=newcomer.id,
            association_id=other.id,
            at=NOW + timedelta(hours=1),
        )
    )
    await session.flush()

    counted = await activity_rollup.active_people(session, start=start, end=end)

    assert counted == {association.id: 3, other.id: 2}  # the newcomer's act is after the mark
    assert await activity_rollup.active_people(
        session, start=start, end=end, association_ids=[other.id]
    ) == {other.id: 2}


async def test_a_rollup_of_another_period_is_not_used(session) -> None:  # type: ignore[no-untyped-def]
    _association, other, _leader, _one, two = await _world(session)
    await activity_rollup.build(session, YEAR, through=NOW)
    # A forged pair the acts do not hold: a rollup used for the wrong period would show it.
    session.add(ActivityRollup(academic_year=2026, association_id=other.id, user_id=two.id))
    await session.flush()
    autumn = Period(date(2026, 9, 1), date(2026, 12, 31))
    start, end = autumn.bounds()

    counted = await activity_rollup.active_people(session, start=start, end=end)

    tallied = await activity.tally(session, start=start, end=end)
    assert counted == _counted_from_acts(tallied)
    whole_year = await activity_rollup.active_people(
        session, start=YEAR.bounds()[0], end=YEAR.bounds()[1]
    )
    assert whole_year[other.id] == 2  # the year's own query does read the rollup


async def test_refresh_builds_once_a_day(session) -> None:  # type: ignore[no-untyped-def]
    await _world(session)
    today = NOW.date()

    built = await activity_rollup.refresh(session, timezone="Europe/Moscow", today=today)
    again = await activity_rollup.refresh(session, timezone="Europe/Moscow", today=today)
    tomorrow = await activity_rollup.refresh(
        session, timezone="Europe/Moscow", today=today + timedelta(days=1)
    )

    rows = await session.scalar(select(func.count()).select_from(ActivityRollup))
    assert (built, again, tomorrow, rows) == (4, 0, 4, 4)
    assert "activity-rollup" in {sweep.name for sweep in SCHEDULE}
