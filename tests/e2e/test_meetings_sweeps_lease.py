"""Two bot processes on one database (two Applications, each with its own engine) and one
meeting reminder due: both run the reminder sweep, and each member gets the reminder once —
only the holder of the sweeps' lease runs it. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from models import OutboxMessage
from models.db import unit_of_work
from scheduler import jobs
from services import meetings
from services.access import Actor
from services.clock import set_clock
from tests.delivery import RENDERER
from tests.factories import add_member, make_association, make_teacher
from tests.harness import BotHarness, make_settings

LEADER = 780_001
MEMBERS = (780_002, 780_003, 780_004)
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
START = datetime(2026, 12, 12, 12, 0, tzinfo=UTC)
REMINDER = "Через 1 час"


async def _world(harness: BotHarness, fake_api) -> None:  # type: ignore[no-untyped-def]
    for telegram_id in (LEADER, *MEMBERS):
        fake_api.add_user(telegram_id, f"Учитель {telegram_id}")
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER)
        association = await make_association(session, leader=leader)
        for telegram_id in MEMBERS:
            await add_member(session, association, await make_teacher(session, telegram_id))
        await meetings.schedule_meeting(
            session,
            Actor(LEADER),
            association_id=association.id,
            topic="Функциональная грамотность",
            form="webinar",
            starts_at=START,
            duration_minutes=60,
            link="https://meet.example.ru/vmo",
            agenda=[("О диагностике", "Смирнова Е. В.")],
        )
        await meetings.set_reminders(
            session, Actor(LEADER), association_id=association.id, preset=2
        )  # 1 hour before only
        await RENDERER.deliver(session)


def _reminders(fake_api, telegram_id: int) -> int:  # type: ignore[no-untyped-def]
    return sum(REMINDER in (m.get("text") or "") for m in fake_api.sent_to(telegram_id))


async def test_two_processes_send_one_reminder_per_member(fake_api, database_url: str):  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    first = BotHarness(fake_api, make_settings(fake_api, database_url))
    second = BotHarness(fake_api, make_settings(fake_api, database_url))
    await first.start()
    await second.start()
    try:
        assert first.app is not None and second.app is not None
        assert first.app.bot_data["engine"] is not second.app.bot_data["engine"]
        await _world(first, fake_api)
        runners = [jobs.runner_of(first.app), jobs.runner_of(second.app)]
        held = [await runner.renew() for runner in runners]
        assert sorted(held) == [False, True]  # one holder, whichever renewed first

        set_clock(lambda: START - timedelta(minutes=59))  # the 1-hour reminder is due
        ran = await asyncio.gather(
            jobs.run_now(first.app, "meeting-reminders"),
            jobs.run_now(second.app, "meeting-reminders"),
        )
        assert sorted(ran) == [False, True]
        for harness in (first, second):
            await harness.app.bot_data["outbox"].drain()  # type: ignore[union-attr]
        for telegram_id in (LEADER, *MEMBERS):
            await fake_api.wait_for(lambda t=telegram_id: _reminders(fake_api, t) >= 1)
        await first.idle(0.2)
        assert all(_reminders(fake_api, t) == 1 for t in (LEADER, *MEMBERS))
        async with first.sessions() as session:
            rows = await session.scalar(
                select(func.count()).where(OutboxMessage.dedupe_key.like("mtg:%:r1:%"))
            )
        assert rows == 1 + len(MEMBERS)

        # The holder shuts down cleanly: the other takes over at once, and a second run of
        # the sweep finds the reminder sent.
        holder, other = (first, second) if held[0] else (second, first)
        await holder.stop()
        assert await jobs.runner_of(other.app).renew()  # type: ignore[arg-type]
        assert await jobs.run_now(other.app, "meeting-reminders")  # type: ignore[arg-type]
        await other.app.bot_data["outbox"].drain()  # type: ignore[union-attr]
        await other.idle(0.2)
        assert all(_reminders(fake_api, t) == 1 for t in (LEADER, *MEMBERS))
    finally:
        await first.stop()
        await second.stop()
