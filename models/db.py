"""One engine per process, one session per update or job."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from models import sqlite_onetrip

SQLITE_BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL survives a process crash (kill -9); only an OS crash may lose the last commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


# Connections beyond the update handlers': the outbox worker, scheduled jobs, the inbox.
BACKGROUND_CONNECTIONS = 4


def create_engine(url: str, *, handlers: int = 10, **kwargs: Any) -> AsyncEngine:
    """Create the process's engine; SQLite gets WAL, foreign keys and a busy timeout.

    `handlers` is how many units of work may run at once (CONCURRENT_UPDATES). Each keeps
    its connection until it commits, API calls included, so the pool holds one for each
    plus the background's. A smaller pool, not the CPU, had capped throughput (SQLite's
    default of 15 connections for 32 handlers: 190 updates/s at 65 % of a core).
    """
    parsed = make_url(url)
    sqlite = parsed.get_backend_name() == "sqlite"
    in_memory = not parsed.database or parsed.database == ":memory:"
    if not (sqlite and in_memory):  # an in-memory SQLite database is one shared connection
        kwargs.setdefault("pool_size", handlers + BACKGROUND_CONNECTIONS)
        kwargs.setdefault("max_overflow", BACKGROUND_CONNECTIONS)
    if not sqlite:
        kwargs.setdefault("pool_pre_ping", True)
        return create_async_engine(url, **kwargs)
    if not in_memory:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    if parsed.get_driver_name() == "aiosqlite":  # one trip to its thread per statement
        parsed = parsed.set(drivername=f"sqlite+{sqlite_onetrip.DRIVER}")
    engine = create_async_engine(parsed, **kwargs)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def connections_needed(handlers: int, processes: int = 1) -> int:
    """The most connections `processes` processes with `handlers` each may open at once."""
    return processes * (handlers + 2 * BACKGROUND_CONNECTIONS)


async def connection_limit(engine: AsyncEngine) -> int | None:
    """How many connections PostgreSQL lets this role open (None elsewhere)."""
    if engine.dialect.name != "postgresql":
        return None
    async with engine.connect() as connection:
        allowed = await connection.scalar(text("SHOW max_connections"))
        reserved = await connection.scalar(text("SHOW superuser_reserved_connections"))
    return int(allowed or 0) - int(reserved or 0)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


# SQLite has one writer at a time. Writers that queue in SQLite's busy handler sleep in
# growing steps (up to 100 ms) and time out under load; queueing them on an asyncio lock
# instead keeps commits short and in order. Keyed by the sync engine, one per process.
_write_gates: weakref.WeakKeyDictionary[Any, asyncio.Lock] = weakref.WeakKeyDictionary()


async def _holds_write_lock(session: AsyncSession) -> bool:
    """Whether this SQLite session already wrote (so it holds the database's write lock)."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    return bool(driver is not None and driver.in_transaction)


@asynccontextmanager
async def write_gate(session: AsyncSession) -> AsyncIterator[None]:
    """Hold the process's SQLite write gate while writing and committing (elsewhere: no-op).

    A session that already wrote passes straight away: it holds SQLite's lock, and making
    it wait behind the gate could deadlock with a gate holder waiting for that lock.
    """
    bind = session.bind
    if bind is None or bind.dialect.name != "sqlite" or await _holds_write_lock(session):
        yield
        return
    gate = _write_gates.setdefault(
        bind.sync_engine if hasattr(bind, "sync_engine") else bind, asyncio.Lock()
    )
    async with gate:
        yield


async def commit(session: AsyncSession) -> None:
    """Commit; on SQLite, through the process's write gate."""
    async with write_gate(session):
        await session.commit()


@asynccontextmanager
async def unit_of_work(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session that commits once at the end, or rolls back on an exception."""
    async with factory() as session:
        try:
            yield session
            await commit(session)
        except BaseException:
            await session.rollback()
            raise
