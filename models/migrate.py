"""Schema upgrades through Alembic, and the check that the schema is one we know."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SchemaMismatch(RuntimeError):
    """The database is at a revision this code does not have, or behind it."""

    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(f"database schema is at {current or 'nothing'}, the code needs {head}")
        self.current = current
        self.head = head


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config(""))
    head = script.get_current_head()
    assert head is not None, "migrations/versions is empty"
    return head


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema to `revision` (blocking; run outside the event loop)."""
    command.upgrade(alembic_config(database_url), revision)


async def upgrade_async(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade using an existing engine (tests, start-up inside the running loop)."""

    def _run(connection) -> None:  # type: ignore[no-untyped-def]
        config = alembic_config(str(engine.url))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(_run)


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def ensure_schema_current(engine: AsyncEngine) -> None:
    """Raise SchemaMismatch unless the database is exactly at the code's head revision."""
    current, head = await current_revision(engine), head_revision()
    if current != head:
        raise SchemaMismatch(current, head)
