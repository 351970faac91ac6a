"""Row locks for check-then-write rules (a member limit, a decision taken once).

`await lock(session, Association, association_id)` returns the row, fresh from the
database, and keeps everybody else who locks the same row waiting until this unit of work
commits or rolls back. Take it *before* reading what the rule depends on (the member
count, the plan's status); lock several rows always in the same order (parent first).

- PostgreSQL: `SELECT … FOR UPDATE` (the reads after it see what others committed).
- SQLite: one process writes a database file (see docs/ARCHITECTURE.md), so an asyncio
  lock per row, held until the session's transaction ends, serialises the rule. SQLite's
  own driver starts the transaction only at the first write, so reads after the lock see
  every commit made before it.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any, TypeVar

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

Row = TypeVar("Row")

_HELD = "row_locks_held"


class _RowLocks:
    """One FIFO lock per row of one SQLite database, dropped when nobody holds or wants it."""

    def __init__(self) -> None:
        self._locks: dict[tuple[str, Any], tuple[asyncio.Lock, int]] = {}

    async def acquire(self, row: tuple[str, Any]) -> None:
        row_lock, users = self._locks.get(row, (asyncio.Lock(), 0))
        self._locks[row] = (row_lock, users + 1)
        await row_lock.acquire()

    def release(self, row: tuple[str, Any]) -> None:
        row_lock, users = self._locks[row]
        row_lock.release()
        if users == 1:
            del self._locks[row]
        else:
            self._locks[row] = (row_lock, users - 1)


# Per engine (one database file). Weak, so a disposed engine's locks are forgotten.
_sqlite_locks: weakref.WeakKeyDictionary[Any, _RowLocks] = weakref.WeakKeyDictionary()


async def lock(session: AsyncSession, entity: type[Row], key: Any) -> Row:
    """The row `key` of `entity`, locked until the end of this unit of work."""
    bind = session.bind
    if bind is not None and bind.dialect.name == "sqlite":
        await _sqlite_lock(session, entity, key)
        statement = select(entity).where(_primary_key(entity) == key)
    else:
        statement = select(entity).where(_primary_key(entity) == key).with_for_update()
    row = await session.scalar(statement.execution_options(populate_existing=True))
    if row is None:
        raise LookupError(f"{entity.__name__} {key} does not exist")
    return row


def _primary_key(entity: type) -> Any:
    (column,) = entity.__table__.primary_key.columns  # type: ignore[attr-defined]
    return getattr(entity, column.key)


async def _sqlite_lock(session: AsyncSession, entity: type, key: Any) -> None:
    engine = session.bind.sync_engine if hasattr(session.bind, "sync_engine") else session.bind  # type: ignore[union-attr]
    table = entity.__table__.name  # type: ignore[attr-defined]
    held: dict[tuple[str, Any], _RowLocks] = session.info.setdefault(_HELD, {})
    if (table, key) in held:
        return
    locks = _sqlite_locks.setdefault(engine, _RowLocks())
    await locks.acquire((table, key))
    held[(table, key)] = locks


@event.listens_for(Session, "after_transaction_end")
def _release(session: Session, transaction: SessionTransaction) -> None:
    """Commit, rollback or close of the outermost transaction releases the session's locks."""
    if transaction.parent is not None:
        return
    for row, locks in session.info.pop(_HELD, {}).items():
        locks.release(row)
