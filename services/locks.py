"""Row locks for check-then-write rules (a member limit, a decision taken once).

`await lock(session, Association, association_id)` returns the row, fresh from the
database, and keeps everybody else who locks it waiting until this unit of work commits
or rolls back. Take it *before* reading what the rule depends on (the member count, the
plan's status); lock several rows always in the same order (parent first).

- PostgreSQL: `SELECT … FOR UPDATE` (the reads after it see what others committed).
- SQLite: the database has one writer at a time, so the lock is SQLite's own write lock,
  taken at once by a write that changes nothing (`UPDATE … SET id = id`) and held until
  the commit. It serialises every writer, not only this row's, which SQLite does anyway;
  unlike a lock of our own beside SQLite's it cannot deadlock with a session that already
  wrote. SQLite's driver opens the transaction only at the first write, so the reads after
  the lock see every commit made before it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

Row = TypeVar("Row")


async def lock(session: AsyncSession, entity: type[Row], key: Any) -> Row:
    """The row `key` of `entity`, locked until the end of this unit of work."""
    column = _primary_key(entity)
    statement = select(entity).where(column == key)
    bind = session.bind
    if bind is not None and bind.dialect.name == "sqlite":
        await session.execute(
            update(entity)
            .where(column == key)
            .values({column.key: column})
            .execution_options(synchronize_session=False)
        )
    else:
        statement = statement.with_for_update()
    row = await session.scalar(statement.execution_options(populate_existing=True))
    if row is None:
        raise LookupError(f"{entity.__name__} {key} does not exist")
    return row


def _primary_key(entity: type) -> Any:
    (column,) = entity.__table__.primary_key.columns  # type: ignore[attr-defined]
    return getattr(entity, column.key)
