"""Outgoing messages nobody directly asked for: rows first, then one delivery worker."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    # Claimed by a worker; the request may have left. Never re-sent automatically.
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"
    # The process died while this one was in flight: Telegram may or may not have it.
    UNCONFIRMED = "unconfirmed"
    CANCELLED = "cancelled"
    # Delivered, then deleted in the chat (an edit found it gone): its edits are dropped.
    DELETED = "deleted"


FINAL_STATUSES = frozenset(
    {
        OutboxStatus.SENT,
        OutboxStatus.FAILED,
        OutboxStatus.BLOCKED,
        OutboxStatus.UNCONFIRMED,
        OutboxStatus.CANCELLED,
        OutboxStatus.DELETED,
    }
)
# A row in one of these never showed a message that could be edited.
NOT_DELIVERED = FINAL_STATUSES - {OutboxStatus.SENT}

# One pending edit per target: enqueueing another replaces its content (services/outbox.py).
PENDING_EDIT = text("status = 'pending'")


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "not_before"),
        Index(
            "ux_outbox_pending_edit",
            "edit_of",
            unique=True,
            sqlite_where=PENDING_EDIT,
            postgresql_where=PENDING_EDIT,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(index=True)
    # What to call: "text", "document", "photo", "edit"; see scheduler/outbox.py.
    kind: Mapped[str] = mapped_column(String(16), default="text")
    # An edit: the dedupe_key of the earlier row whose delivered message it changes.
    edit_of: Mapped[str | None] = mapped_column(String(160))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    # Same key enqueued twice is one message (reminders, mailings per recipient).
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    # Groups the rows of one mailing (newsletter, announcement) for progress and reports.
    batch: Mapped[str | None] = mapped_column(String(64), index=True)
    priority: Mapped[int] = mapped_column(default=5)
    status: Mapped[OutboxStatus] = mapped_column(default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoredFile(Base):
    """A file the bot made (a PDF, a CSV) and may send many times."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # Once Telegram has the file, later sends reuse its id instead of uploading again.
    telegram_file_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
