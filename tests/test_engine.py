"""The engine's pool: every update handler in flight can hold a connection at once."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from models.db import BACKGROUND_CONNECTIONS, create_engine

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
