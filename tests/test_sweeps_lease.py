"""The sweeps' lease: of several processes on one database, exactly one runs the sweeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.notices import NoticeRenderer
from models.db import create_session_factory, unit_of_work
from models.runtime import Lease
from scheduler.jobs import LEASE_TTL, SweepRunner
from services import leases
from services.clock import set_clock

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


def _runner(engine, name: str, clock: Clock) -> SweepRunner:  # type: ignore[no-untyped-def]
    return SweepRunner(
        create_session_factory(engine), NoticeRenderer("ru"), lambda: None, holder=name, clock=clock
    )


async def test_one_holder_at_a_time_and_a_lapsed_lease_is_taken_over(sessions) -> None:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    async with unit_of_work(sessions) as session:
        assert await leases.hold(session, name="sweeps", holder="a", ttl=timedelta(seconds=30))
        assert not await leases.hold(session, name="sweeps", holder="b", ttl=timedelta(seconds=30))
        assert await leases.hold(session, name="sweeps", holder="a", ttl=timedelta(seconds=30))
    set_clock(lambda: NOW + timedelta(seconds=31))  # a's process died: its lease lapsed
    async with unit_of_work(sessions) as session:
        assert await leases.hold(session, name="sweeps", holder="b", ttl=timedelta(seconds=30))
        assert not await leases.hold(session, name="sweeps", holder="a", ttl=timedelta(seconds=30))
        holder = await session.scalar(select(Lease.holder).where(Lease.name == "sweeps"))
    assert holder == "b"


async def test_two_runners_on_one_database_run_a_sweep_once(engine) -> None:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    clock = Clock()
    first, second = _runner(engine, "first", clock), _runner(engine, "second", clock)
    assert await first.renew() and not await second.renew()
    runs: list[str] = []

    async def sweep(session) -> None:  # type: ignore[no-untyped-def]
        runs.append("ran")

    assert await first.run(sweep)
    assert not await second.run(sweep)
    assert runs == ["ran"]

    await first.release()  # a clean shutdown hands the duty over at once
    assert not first.holds
    assert await second.renew() and await second.run(sweep)
    assert runs == ["ran", "ran"]


async def test_a_runner_stops_by_its_own_clock_before_the_lease_can_lapse(engine) -> None:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    clock = Clock()
    runner = _runner(engine, "only", clock)
    assert await runner.renew() and runner.holds
    clock.value += LEASE_TTL.total_seconds()  # no renewal came through (database away)
    assert not runner.holds

    async def sweep(session) -> None:  # type: ignore[no-untyped-def]
        raise AssertionError("must not run without the lease")

    assert not await runner.run(sweep)
