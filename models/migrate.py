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

    def __init__(self, current: set[str], heads: set[str]) -> None:
        have = ", ".join(sorted(current)) or "nothing"
        super().__init__(
            f"the database schema is at {have}, this code needs {', '.join(sorted(heads))}. "
            "Run `python -m bot migrate` (or start with AUTO_MIGRATE=true)."
        )
        self.current = current
        self.heads = heads


# Made by migrations, not by models: the bank's search (services/resources/search.py).
UNMODELLED_TABLES = ("materials_fts",)
UNMODELLED_INDEXES = ("ix_materials_fts",)
UNMODELLED_COLUMNS = ("search_vector",)  # materials' generated tsvector (PostgreSQL)


def include_object(
    obj: object, name: str | None, kind: str, reflected: bool, compare_to: object
) -> bool:
    """Autogenerate's filter: what the models are not expected to describe."""
    if kind == "table" and name and name.startswith(UNMODELLED_TABLES):
        return False
    if kind == "column" and name in UNMODELLED_COLUMNS:
        return False
    return not (kind == "index" and name in UNMODELLED_INDEXES)


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def head_revisions() -> set[str]:
    """The revisions the code expects the database to be at (one per branch)."""
    return set(ScriptDirectory.from_config(alembic_config("")).get_heads())


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Bring the schema to `revision` (blocking; run outside the event loop)."""
    command.upgrade(alembic_config(database_url), revision)


async def upgrade_async(engine: AsyncEngine, revision: str = "heads") -> None:
    """Upgrade using an existing engine (tests, start-up inside the running loop)."""

    def _run(connection) -> None:  # type: ignore[no-untyped-def]
        config = alembic_config(str(engine.url))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(_run)


async def current_revisions(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        heads = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_heads()
        )
    return set(heads)


async def ensure_schema_current(engine: AsyncEngine) -> None:
    """Raise SchemaMismatch unless the database is exactly at the code's head revisions."""
    current, heads = await current_revisions(engine), head_revisions()
    if current != heads:
        raise SchemaMismatch(current, heads)
