"""Enqueueing messages for the delivery worker, and reading their fate.

Buttons are plain data: rows of {"text": ..., "callback": ...} or {"text": ..., "url": ...};
the worker turns them into Telegram's keyboard.

Edits are outbox rows too, so the worker is the only sender of what the bot does on its
own initiative, under the same overall, group and private-chat limits:

    Outgoing(kind="edit", chat_id=..., edit_of="<dedupe_key of the earlier row>",
             text=..., buttons=...)

- one pending edit per target: enqueueing an edit while an earlier edit of the same target
  is still pending replaces that edit's text and buttons (a unique index on `edit_of` over
  the pending rows holds it, also between concurrent transactions), so only the latest
  content is sent;
- an edit waits until its target is delivered (a target not enqueued yet is waited for
  too); when the target ends undelivered (failed, blocked, unconfirmed, cancelled), its
  pending edits are cancelled, and an edit of such a target is not enqueued at all;
- an edit is not sent while an earlier edit of the same target is in flight, so edits of
  one message arrive in order; at most once, as for messages;
- "message is not modified" counts as sent; a target deleted in the chat is recorded
  (the target row becomes DELETED, the edit FAILED) and later edits of it are dropped;
- an edit carries no `dedupe_key`: coalescing on its target is what makes it idempotent.
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
from models.outbox import NOT_DELIVERED, PENDING_EDIT
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
    """One message (or, with kind="edit" and `edit_of`, one edit) to enqueue."""

    chat_id: int
    text: str | None = None
    kind: str = "text"
    buttons: Buttons | None = None
    file_id: int | None = None
    dedupe_key: str | None = None
    thread_id: int | None = None
    pin: bool = False
    disable_preview: bool = True
    edit_of: str | None = None

    def __post_init__(self) -> None:
        if (self.kind == "edit") != (self.edit_of is not None):
            raise ValueError("an edit names its target in edit_of, and only an edit does")
        if self.kind == "edit" and self.dedupe_key is not None:
            raise ValueError("an edit is coalesced on its target and takes no dedupe_key")


def _row(
    message: Outgoing, *, batch: str | None, moment: datetime, priority: int
) -> dict[str, Any]:
    return {
        "chat_id": message.chat_id,
        "kind": message.kind,
        "payload": _payload(
            message.text,
            message.buttons,
            thread_id=message.thread_id,
            pin=message.pin or None,
            disable_preview=message.disable_preview,
        ),
        "file_id": message.file_id,
        "dedupe_key": message.dedupe_key,
        "edit_of": message.edit_of,
        "batch": batch,
        "priority": priority,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "not_before": moment,
        "created_at": now(),
    }


def _insert(session: AsyncSession) -> Any:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return pg_insert if dialect == "postgresql" else sqlite_insert


async def enqueue(
    session: AsyncSession,
    messages: Iterable[Outgoing],
    *,
    batch: str | None = None,
    not_before: datetime | None = None,
    priority: int = 5,
) -> int:
    """Add messages to the outbox; a `dedupe_key` seen before is skipped. Returns rows added.

    Edits (kind="edit") are coalesced per target instead; one that replaced the content of
    a pending edit counts as added, one whose target was not delivered is not added.
    """
    moment = not_before or now()
    rows, edits = [], []
    for message in messages:
        row = _row(message, batch=batch, moment=moment, priority=priority)
        (edits if message.kind == "edit" else rows).append(row)
    added = await _add_messages(session, rows) + await _add_edits(session, edits)
    if added:
        session.info[ENQUEUED] = True
    return added


async def _add_messages(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    insert = _insert(session)
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
    return added


async def _add_edits(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Insert each target's latest edit, or put its content into the pending one."""
    latest = {row["edit_of"]: row for row in rows}  # one statement may not touch a row twice
    if not latest:
        return 0
    undelivered = set(
        (
            await session.scalars(
                select(OutboxMessage.dedupe_key).where(
                    OutboxMessage.dedupe_key.in_(latest), OutboxMessage.status.in_(NOT_DELIVERED)
                )
            )
        ).all()
    )
    wanted = [row for target, row in latest.items() if target not in undelivered]
    if not wanted:
        return 0
    statement = _insert(session)(OutboxMessage).values(wanted)
    statement = statement.on_conflict_do_update(
        index_elements=["edit_of"],
        index_where=PENDING_EDIT,
        set_={"payload": statement.excluded.payload, "priority": statement.excluded.priority},
    )
    result = await session.execute(statement)
    return result.rowcount or 0  # type: ignore[attr-defined]


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


async def backlog(session: AsyncSession) -> int:
    """How many messages wait to be sent (due now or later)."""
    count = await session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
    )
    return count or 0
