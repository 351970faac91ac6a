"""Shared fixtures: a database per test (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set), the fake Bot API server, and a harness that runs the real Application against it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from models.db import create_engine, create_session_factory
from models.migrate import upgrade_async
from services.clock import set_clock
from tests.harness import BotHarness, make_settings

pytest_plugins = ["tests.fakebot.pytest_plugin"]

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if PG_URL:
        return
    skip = pytest.mark.skip(reason="TEST_DATABASE_URL is not set")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: runs against TEST_DATABASE_URL")


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest_asyncio.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """An empty database: a fresh SQLite file, or PostgreSQL with a fresh schema."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
    await _reset_postgres(PG_URL)
    return PG_URL


@pytest_asyncio.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database's engine."""
    engine = create_engine(database_url)
    await upgrade_async(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest_asyncio.fixture
async def session(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessions() as session:
        yield session


@pytest.fixture(autouse=True)
def _real_clock() -> None:
    set_clock(None)


@pytest_asyncio.fixture
async def harness(fake_api, database_url: str) -> AsyncIterator[BotHarness]:  # type: ignore[no-untyped-def]
    """The real Application against the fake Bot API, started."""
    bot = BotHarness(fake_api, make_settings(fake_api, database_url))
    await bot.start()
    yield bot
    await bot.stop()
