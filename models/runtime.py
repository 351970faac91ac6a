"""Runtime state that must survive restarts: handled updates and open dialogs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ReceivedUpdate(Base):
    """An update from Telegram, stored before its offset is confirmed.

    `payload` is kept only until the update is handled, so a crash replays it and a
    redelivery is recognised by `update_id`. With update workers (`python -m bot worker`,
    bot/workers.py) an update is claimed by one worker until `claimed_until`; `lane` (the
    chat and the person) keeps one lane's updates in `update_id` order across workers.
    """

    __tablename__ = "received_updates"
    __table_args__ = (
        # The claim's "an earlier update of this lane is still waiting" check.
        Index(
            "ix_received_updates_waiting",
            "lane",
            "update_id",
            postgresql_where=text("handled_at IS NULL"),
            sqlite_where=text("handled_at IS NULL"),
        ),
    )

    update_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    payload: Mapped[dict[str, Any] | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    handled_at: Mapped[datetime | None] = mapped_column(index=True)
    lane: Mapped[str | None] = mapped_column(String(48))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]


class DialogState(Base):
    """The step and the answers of an open dialog, per chat and user."""

    __tablename__ = "dialog_states"

    chat_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    dialog: Mapped[str] = mapped_column(String(48))
    step: Mapped[str] = mapped_column(String(48))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Lease(Base):
    """Who runs the periodic sweeps: one holder at a time, until `expires_at`.

    Several processes may be up (two `python -m bot run` on one PostgreSQL during a
    deployment, or a worker beside the receiver); the one holding the lease runs the
    sweeps, renewing it while it lives. A dead holder's lease lapses and another takes over.
    """

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(48), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
