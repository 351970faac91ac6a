"""The audit log of privileged actions and the activity events that feed ratings and reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept as a Telegram id (not a foreign key) so the trail survives /forget of the actor.
    actor_telegram_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ActivityEvent(Base):
    __tablename__ = "activity_events"
    # The activity layer's reads (services/activity.py): an association's events of some
    # kinds in a period, grouped by person, answered from the index alone on PostgreSQL.
    __table_args__ = (Index("ix_activity_events_scope", "association_id", "kind", "at", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    association_id: Mapped[int | None] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(48), index=True)
    # What the event is about, by the kind: a material's id for a view or a download.
    ref_id: Mapped[int | None] = mapped_column(index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
