"""SQLite through aiosqlite, one trip to its thread per statement (models/sqlite_onetrip.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiosqlite
import pytest
import pytest_asyncio
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import create_engine
from models.sqlite_onetrip import DRIVER

METADATA = MetaData()
PEOPLE = Table(
    "people",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String(50), unique=True, nullable=False),
)


@pytest_asyncio.fixture
async def engine(tmp_path) -> AsyncIterator[AsyncEngine]:  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'one.sqlite3'}")
    async with engine.begin() as connection:
        await connection.run_sync(METADATA.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each function aiosqlite runs in its thread, by name."""
    made: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return made


async def test_an_aiosqlite_url_gets_the_one_trip_driver(engine: AsyncEngine):
    assert engine.dialect.driver == DRIVER
    assert engine.url.drivername == f"sqlite+{DRIVER}"


async def test_a_select_and_an_update_are_one_trip_each(engine: AsyncEngine, trips: list[str]):
    async with engine.begin() as connection:
        await connection.execute(insert(PEOPLE), [{"name": "Иванова"}, {"name": "Петрова"}])
        trips.clear()
        names = (await connection.scalars(select(PEOPLE.c.name).order_by(PEOPLE.c.id))).all()
        assert trips == ["_run"]
        changed = await connection.execute(
            update(PEOPLE).where(PEOPLE.c.name == "Петрова").values(name="Сидорова")
        )
        assert trips == ["_run", "_run"]
    assert names == ["Иванова", "Петрова"]
    assert changed.rowcount == 1


async def test_inserted_keys_returning_and_many_rows(engine: AsyncEngine):
    async with engine.begin() as connection:
        first = await connection.execute(insert(PEOPLE).values(name="Орлова"))
        returned = await connection.execute(
            insert(PEOPLE).values(name="Соколова").returning(PEOPLE.c.id, PEOPLE.c.name)
        )
        await connection.execute(insert(PEOPLE), [{"name": f"Учитель {i}"} for i in range(50)])
        count = len((await connection.execute(select(PEOPLE.c.id))).all())
    assert first.inserted_primary_key == (1,)
    assert returned.all() == [(2, "Соколова")]
    assert count == 52


async def test_an_error_is_sqlalchemys_and_the_connection_goes_on(engine: AsyncEngine):
    async with engine.connect() as connection:
        await connection.execute(insert(PEOPLE).values(name="Иванова"))
        with pytest.raises(IntegrityError):
            await connection.execute(insert(PEOPLE).values(name="Иванова"))
        await connection.rollback()
        assert await connection.scalar(select(PEOPLE.c.name)) is None  # rolled back
        await connection.execute(insert(PEOPLE).values(name="Иванова"))
        await connection.commit()
        assert await connection.scalar(select(PEOPLE.c.name)) == "Иванова"


async def test_streamed_results_still_work(engine: AsyncEngine):
    async with engine.begin() as connection:
        await connection.execute(insert(PEOPLE), [{"name": f"N{i}"} for i in range(10)])
    async with engine.connect() as connection:
        streamed = await connection.stream(select(PEOPLE.c.name).order_by(PEOPLE.c.id))
        names = [row.name async for row in streamed]
    assert names == [f"N{i}" for i in range(10)]
