"""Shared fixtures: a database per test (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set), the fake Bot API server, and a harness that runs the real Application against it."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from models.db import create_engine, create_session_factory
from models.migrate import head_revisions, upgrade_async
from services.clock import set_clock
from tests.harness import BotHarness, make_settings

pytest_plugins = ["tests.fakebot.pytest_plugin"]

BASE_PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _database_of_this_process(url: str) -> str:
    """Under pytest-xdist each worker process has a database of its own (test_gw0, ...):
    tests drop and re-create the schema, and LISTEN/NOTIFY and advisory locks are per
    database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base = make_url(url)
    return base.set(database=f"{base.database}_{worker}").render_as_string(hide_password=False)


PG_URL = _database_of_this_process(BASE_PG_URL)
_pg_database_ready = PG_URL == BASE_PG_URL
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


async def _ensure_pg_database() -> None:
    """Create this worker's database on first use (CREATE DATABASE runs outside a transaction)."""
    global _pg_database_ready
    if _pg_database_ready:
        return
    name = make_url(PG_URL).database
    engine = create_async_engine(BASE_PG_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not found:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()
    _pg_database_ready = True


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


class MigratedTemplates:
    """Migrating costs far more than a test, so each backend is migrated once per process.

    SQLite: a migrated file is copied for each test. PostgreSQL: the schema stays and each
    test starts from emptied tables, unless a test changed the schema (it is at another
    revision, or its tables differ), and then it is rebuilt.
    """

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._sqlite: Path | None = None
        self._postgres_tables: list[str] | None = None

    async def sqlite_copy(self, target: Path) -> str:
        if self._sqlite is None:
            template = self._directory / "template.sqlite3"
            engine = create_engine(f"sqlite+aiosqlite:///{template}")
            await upgrade_async(engine)
            await engine.dispose()
            self._sqlite = template
        shutil.copyfile(self._sqlite, target)
        return f"sqlite+aiosqlite:///{target}"

    async def postgres_emptied(self, url: str) -> str:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                tables = await self._postgres_schema(connection)
                if tables is not None and tables == self._postgres_tables:
                    await connection.execute(
                        text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
                    )
                    return url
            await _reset_postgres(url)
            await upgrade_async(engine)
            async with engine.connect() as connection:
                self._postgres_tables = await self._postgres_schema(connection)
        finally:
            await engine.dispose()
        return url

    @staticmethod
    async def _postgres_schema(connection: AsyncConnection) -> list[str] | None:
        """The data tables, or None unless the schema is at the code's head."""
        exists = await connection.scalar(
            text("SELECT to_regclass('public.alembic_version') IS NOT NULL")
        )
        if not exists:
            return None
        revisions = await connection.execute(text("SELECT version_num FROM alembic_version"))
        if set(revisions.scalars()) != _HEADS:
            return None
        names = await connection.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'alembic_version' ORDER BY tablename"
            )
        )
        return [f'"{name}"' for name in names.scalars()]


_HEADS = head_revisions()


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> MigratedTemplates:
    return MigratedTemplates(tmp_path_factory.mktemp("templates"))


@pytest_asyncio.fixture(params=BACKENDS)
async def blank_database_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """An empty database without a schema: a fresh SQLite file, or an empty PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
    await _ensure_pg_database()
    await _reset_postgres(PG_URL)
    return PG_URL


@pytest_asyncio.fixture(params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_templates: MigratedTemplates
) -> str:
    """A database migrated to the head and holding no rows."""
    if request.param == "sqlite":
        return await migrated_templates.sqlite_copy(tmp_path / "test.sqlite3")
    await _ensure_pg_database()
    return await migrated_templates.postgres_emptied(PG_URL)


@pytest_asyncio.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database's engine."""
    engine = create_engine(database_url)
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
