"""Update workers' claims on PostgreSQL: one lane at a time in update_id order, disjoint
between workers, a lapsed claim taken over, and the handled mark committed once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from bot.processor import HandledElsewhere, _mark_handled
from bot.workers import UpdateWorker
from models import ReceivedUpdate

pytestmark = pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)


def _row(update_id: int, lane: str) -> ReceivedUpdate:
    return ReceivedUpdate(
        update_id=update_id,
        payload={"update_id": update_id},
        received_at=datetime.now(UTC),
        lane=lane,
    )


def _worker(sessions, name: str, claim_seconds: float = 30) -> UpdateWorker:  # type: ignore[no-untyped-def]
    return UpdateWorker(None, sessions, concurrency=8, name=name, claim_seconds=claim_seconds)  # type: ignore[arg-type]


async def _handle(sessions, update_id: int) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        await _mark_handled(session, update_id)
        await session.commit()


async def test_one_update_per_lane_in_order_and_workers_never_share(sessions) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        session.add_all(
            [_row(1, "a"), _row(2, "b"), _row(3, "a"), _row(4, "c"), _row(5, "b"), _row(6, "a")]
        )
        await session.commit()
    first, second = _worker(sessions, "w1"), _worker(sessions, "w2")

    mine, theirs = await asyncio.gather(first.claim(8), second.claim(8))

    ids = sorted(u for u, _ in mine) + sorted(u for u, _ in theirs)
    assert sorted(ids) == [1, 2, 4]  # the head of each lane, once
    assert await first.claim(8) == [] and await second.claim(8) == []
    await _handle(sessions, 1)
    assert [u for u, _ in await second.claim(8)] == [3]  # lane a goes on, in order
    await _handle(sessions, 3)
    await _handle(sessions, 2)
    assert sorted(u for u, _ in await first.claim(8)) == [5, 6]


async def test_a_lapsed_claim_is_taken_over_and_counted_once(sessions) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        session.add(_row(10, "a"))
        await session.commit()
    dead = _worker(sessions, "dead", claim_seconds=30)
    assert [u for u, _ in await dead.claim(1)] == [10]
    alive = _worker(sessions, "alive")
    assert await alive.claim(1) == []
    async with sessions() as session:  # thirty seconds later
        await session.execute(
            update(ReceivedUpdate)
            .where(ReceivedUpdate.update_id == 10)
            .values(claimed_until=datetime(2000, 1, 1, tzinfo=UTC))
        )
        await session.commit()
    assert [u for u, _ in await alive.claim(1)] == [10]
    await _handle(sessions, 10)
    # The first worker was slow, not dead: its commit must not count the update again.
    async with sessions() as session:
        with pytest.raises(HandledElsewhere):
            await _mark_handled(session, 10)
        await session.rollback()
    async with sessions() as session:
        row = await session.get(ReceivedUpdate, 10)
        assert row.handled_at is not None and row.claimed_by is None and row.payload is None
