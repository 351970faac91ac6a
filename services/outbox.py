"""Enqueueing messages for the delivery worker, and reading their fate.

Buttons are plain data: rows of {"text": ..., "callback": ...} or {"text": ..., "url": ...};
the worker turns them into Telegram's keyboard.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import OutboxMessage, OutboxStatus, StoredFile
from services.clock import now

ENQUEUED = "outbox_enqueued"

Buttons = Sequence[Sequence[dict[str, str]]]


def _payload(text: str | None, buttons: Buttons | None, **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {key: value for key, value in extra.items() if value is not None}
    if text is not None:
        payload["text"] = text
    if buttons:
        payload["buttons"] = [list(row) for row in buttons]
    return payload


async def store_file(
    session: AsyncSession, *, filename: str, mime_type: str, content: bytes
) -> StoredFile:
    """Keep a generated file so it can be sent (many times) by the worker."""
    stored = StoredFile(filename=filename, mime_type=mime_type, content=content)
    session.add(stored)
    await session.flush()
    return stored


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to enqueue."""

    chat_id: int
    text: str | None = None
    kind: str = "text"
    buttons: Buttons | None = None
    file_id: int | None = None
    dedupe_key: str | None = None
    thread_id: int | None = None
    pin: bool = False
    disable_preview: bool = True
    # kind="edit": the dedupe_key of the earlier row whose delivered message is edited.
    edit_of: str | None = None


async def enqueue(
    session: AsyncSession,
    messages: Iterable[Outgoing],
    *,
    batch: str | None = None,
    not_before: datetime | None = None,
    priority: int = 5,
) -> int:
    """Add messages to the outbox; a `dedupe_key` seen before is skipped. Returns rows added."""
    moment = not_before or now()
    rows = [
        {
            "chat_id": m.chat_id,
            "kind": m.kind,
            "payload": _payload(
                m.text,
                m.buttons,
                thread_id=m.thread_id,
                pin=m.pin or None,
                disable_preview=m.disable_preview,
            ),
            "file_id": m.file_id,
            "dedupe_key": m.dedupe_key,
            "batch": batch,
            "priority": priority,
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "not_before": moment,
            "created_at": now(),
        }
        for m in messages
    ]
    if not rows:
        return 0
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    added = 0
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        statement = (
            insert(OutboxMessage)
            .values(chunk)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
        result = await session.execute(statement)
        added += result.rowcount or 0  # type: ignore[attr-defined]
    if added:
        session.info[ENQUEUED] = True
    return added


def enqueued_in(session: AsyncSession) -> bool:
    """Whether this session added outbox rows (the delivery worker is woken after commit)."""
    return bool(session.info.get(ENQUEUED))


async def enqueue_text(
    session: AsyncSession,
    chat_id: int,
    text: str,
    *,
    buttons: Buttons | None = None,
    dedupe_key: str | None = None,
    batch: str | None = None,
    not_before: datetime | None = None,
    priority: int = 5,
) -> int:
    """Shorthand for one text message."""
    message = Outgoing(chat_id=chat_id, text=text, buttons=buttons, dedupe_key=dedupe_key)
    return await enqueue(session, [message], batch=batch, not_before=not_before, priority=priority)


@dataclass(frozen=True, slots=True)
class BatchProgress:
    total: int
    sent: int
    failed: int
    blocked: int
    pending: int
    unconfirmed: int
    cancelled: int

    @property
    def done(self) -> bool:
        return self.pending == 0


async def batch_progress(session: AsyncSession, batch: str) -> BatchProgress:
    """Counts of a mailing's rows by delivery status."""
    rows = await session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.batch == batch)
        .group_by(OutboxMessage.status)
    )
    counts = {status: count for status, count in rows.all()}
    pending = counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0)
    return BatchProgress(
        total=sum(counts.values()),
        sent=counts.get(OutboxStatus.SENT, 0),
        failed=counts.get(OutboxStatus.FAILED, 0),
        blocked=counts.get(OutboxStatus.BLOCKED, 0),
        pending=pending,
        unconfirmed=counts.get(OutboxStatus.UNCONFIRMED, 0),
        cancelled=counts.get(OutboxStatus.CANCELLED, 0),
    )


async def cancel_batch(session: AsyncSession, batch: str) -> int:
    """Stop what has not left yet; returns how many were cancelled."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.batch == batch, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


async def failures(session: AsyncSession, batch: str) -> list[OutboxMessage]:
    """The rows of a mailing that did not arrive, with the reason."""
    rows = await session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.batch == batch,
            OutboxMessage.status.in_(
                [OutboxStatus.FAILED, OutboxStatus.BLOCKED, OutboxStatus.UNCONFIRMED]
            ),
        )
        .order_by(OutboxMessage.id)
    )
    return list(rows.all())
