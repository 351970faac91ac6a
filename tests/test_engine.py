"""The engine's pool: every update handler in flight can hold a connection at once."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text

from models.db import (
    BACKGROUND_CONNECTIONS,
    connection_limit,
    connections_needed,
    create_engine,
)
from tests.harness import BotHarness, make_settings

HANDLERS = 32  # CONCURRENT_UPDATES' default


async def test_each_handler_in_flight_and_the_background_get_a_connection(database_url: str):
    engine = create_engine(database_url, handlers=HANDLERS, pool_timeout=2)
    everyone_holds = asyncio.Barrier(HANDLERS + BACKGROUND_CONNECTIONS)

    async def hold_a_connection() -> int:
        async with engine.connect() as connection:  # a unit of work keeps its connection
            value = await connection.scalar(text("SELECT 1"))
            await everyone_holds.wait()  # ...through its API calls, all at the same time
            return int(value or 0)

    try:
        held = await asyncio.gather(
            *(hold_a_connection() for _ in range(HANDLERS + BACKGROUND_CONNECTIONS))
        )
    finally:
        await engine.dispose()
    assert held == [1] * (HANDLERS + BACKGROUND_CONNECTIONS)


def test_an_in_memory_sqlite_database_keeps_its_single_shared_connection():
    engine = create_engine("sqlite+aiosqlite:///:memory:", handlers=HANDLERS)
    assert type(engine.pool).__name__ == "StaticPool"


def test_connections_needed_counts_every_process_handlers_and_background():
    assert connections_needed(HANDLERS) == HANDLERS + 2 * BACKGROUND_CONNECTIONS
    assert connections_needed(HANDLERS, processes=3) == 3 * (HANDLERS + 8)


async def test_start_warns_when_postgresql_would_refuse_connections(
    database_url: str, fake_api, caplog
):  # type: ignore[no-untyped-def]
    engine = create_engine(database_url)
    try:
        limit = await connection_limit(engine)
    finally:
        await engine.dispose()
    too_many = 1000 if limit is None else limit  # with the background's, more than allowed
    harness = BotHarness(
        fake_api, make_settings(fake_api, database_url, concurrent_updates=too_many)
    )
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        await harness.start()
        await harness.stop()
    warned = [r.getMessage() for r in caplog.records if "too many clients" in r.getMessage()]
    if limit is None:  # SQLite has no connection limit to run into
        assert warned == []
    else:
        assert len(warned) == 1 and f"accepts {limit} connections" in warned[0]
        assert f"may open up to {too_many + 8}" in warned[0]


async def test_start_is_quiet_when_the_connections_fit(database_url: str, fake_api, caplog):  # type: ignore[no-untyped-def]
    harness = BotHarness(fake_api, make_settings(fake_api, database_url))
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        await harness.start()
        await harness.stop()
    assert not [r for r in caplog.records if "too many clients" in r.getMessage()]
