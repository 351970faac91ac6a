"""Row locks: a check-then-write rule holds when many act at once (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from models import Association, Membership
from models.db import unit_of_work
from services.locks import lock
from tests.factories import add_member, make_association, make_teacher


async def test_ten_at_once_for_the_last_place_one_gets_it(sessions) -> None:  # type: ignore[no-untyped-def]
    async with unit_of_work(sessions) as session:
        leader = await make_teacher(session)
        association = await make_association(session, leader=leader, member_cap=2)
        teachers = [await make_teacher(session) for _ in range(10)]
    taken: list[int] = []

    async def try_to_join(teacher_id: int) -> None:
        async with unit_of_work(sessions) as session:
            club = await lock(session, Association, association.id)
            count = await session.scalar(
                select(func.count())
                .select_from(Membership)
                .where(Membership.association_id == club.id)
            )
            await asyncio.sleep(0.01)  # the window in which an unlocked check goes stale
            if count < (club.member_cap or 0):
                await add_member(session, club, await session.get_one(type(leader), teacher_id))
                taken.append(teacher_id)

    await asyncio.gather(*(try_to_join(t.id) for t in teachers))
    async with sessions() as session:
        members = await session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.association_id == association.id)
        )
    assert members == 2 and len(taken) == 1  # the leader and exactly one of the ten


async def test_a_rolled_back_holder_lets_the_next_in(sessions) -> None:  # type: ignore[no-untyped-def]
    async with unit_of_work(sessions) as session:
        association = await make_association(session, leader=await make_teacher(session))
    async with sessions() as first:
        await lock(first, Association, association.id)
        await first.rollback()
    async with unit_of_work(sessions) as second:
        row = await asyncio.wait_for(lock(second, Association, association.id), timeout=5)
        assert row.id == association.id


async def test_a_session_that_already_wrote_waits_without_deadlock(sessions) -> None:  # type: ignore[no-untyped-def]
    """A unit of work with a write pending (e.g. a changed username) locks after another
    holder: they finish one after the other instead of deadlocking."""
    async with unit_of_work(sessions) as session:
        association = await make_association(session, leader=await make_teacher(session))
        teacher = await make_teacher(session)
    order: list[str] = []

    async def holder() -> None:
        async with unit_of_work(sessions) as session:
            await lock(session, Association, association.id)
            await asyncio.sleep(0.05)
            club = await session.get_one(Association, association.id)
            club.topic = "first"
            order.append("holder")

    async def writer_first() -> None:
        await asyncio.sleep(0.01)
        async with unit_of_work(sessions) as session:
            person = await session.get_one(type(teacher), teacher.id)
            person.telegram_username = "renamed"
            await session.flush()
            club = await lock(session, Association, association.id)
            club.topic = f"{club.topic} then second"
            order.append("second")

    await asyncio.wait_for(asyncio.gather(holder(), writer_first()), timeout=10)
    async with sessions() as session:
        club = await session.get_one(Association, association.id)
    assert order == ["holder", "second"] and club.topic == "first then second"
