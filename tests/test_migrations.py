"""The schema comes from migrations, and migrations match the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import models
from models.db import create_engine
from models.migrate import SchemaMismatch, ensure_schema_current, include_object, upgrade_async


def _diff(connection):  # type: ignore[no-untyped-def]
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": include_object}
    )
    return compare_metadata(context, models.Base.metadata)


async def test_models_and_migrations_agree(engine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(_diff)
    assert differences == [], f"models differ from migrations: {differences}"


async def test_migrated_schema_is_accepted(engine) -> None:
    await ensure_schema_current(engine)


async def test_bot_refuses_a_schema_it_does_not_know(blank_database_url) -> None:
    engine = create_engine(blank_database_url)
    try:
        with pytest.raises(SchemaMismatch, match="python -m bot migrate"):
            await ensure_schema_current(engine)
        await upgrade_async(engine)
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM alembic_version"))
            await connection.execute(text("INSERT INTO alembic_version VALUES ('f00d')"))
        with pytest.raises(SchemaMismatch, match="f00d"):
            await ensure_schema_current(engine)
    finally:
        await engine.dispose()


async def test_the_folded_filters_are_filled_for_the_people_already_there(
    blank_database_url,
) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(blank_database_url)
    try:
        await upgrade_async(engine, "0027")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO users (telegram_id, organisation, municipality, subjects,"
                    " newsletters_enabled, materials_digest_enabled, created_at)"
                    " VALUES (1, 'МБОУ «СОШ № 5»', 'Г. ТВЕРЬ', '[]', true, true,"
                    " CURRENT_TIMESTAMP)"
                )
            )
        await upgrade_async(engine)
        async with engine.connect() as connection:
            folded = await connection.execute(
                text("SELECT organisation_folded, municipality_folded FROM users")
            )
            assert folded.one() == ("мбоу «сош № 5»", "г. тверь")
    finally:
        await engine.dispose()
