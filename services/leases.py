"""Leases: at most one holder of a named duty at a time, across processes and machines."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.runtime import Lease
from services.clock import now


async def hold(session: AsyncSession, *, name: str, holder: str, ttl: timedelta) -> bool:
    """Take or renew the lease `name` for `ttl`; False while somebody else holds it.

    One conditional UPDATE renews our own lease or takes a lapsed one; an INSERT that
    yields to a concurrent one creates it the first time. Either way, at most one holder.
    """
    moment = now()
    renewed = await session.execute(
        update(Lease)
        .where(Lease.name == name, or_(Lease.holder == holder, Lease.expires_at < moment))
        .values(holder=holder, expires_at=moment + ttl)
        .execution_options(synchronize_session=False)
    )
    if renewed.rowcount:  # type: ignore[attr-defined]
        return True
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    created = await session.execute(
        insert(Lease)
        .values(name=name, holder=holder, expires_at=moment + ttl)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    return bool(created.rowcount)  # type: ignore[attr-defined]


async def give_up(session: AsyncSession, *, name: str, holder: str) -> None:
    """Release our lease at shutdown, so another process need not wait for it to lapse."""
    await session.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder))
