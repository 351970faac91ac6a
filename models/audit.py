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


class ActivityRollup(Base):
    """Who took part in any form in an association during an academic year (up to a mark).

    The network summary counts active people per association; counting them from the acts
    themselves reads a region's million and a half rows, from here a hundred thousand.
    Built by the «activity-rollup» sweep (services/activity_rollup.py).
    """

    __tablename__ = "activity_rollup"

    academic_year: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ActivityRollupMark(Base):
    """What one academic year's rollup covers: acts in [start, through) of the year [start, end)."""

    __tablename__ = "activity_rollup_marks"

    academic_year: Mapped[int] = mapped_column(primary_key=True)
    start: Mapped[datetime]
    end: Mapped[datetime]
    through: Mapped[datetime]
    built_at: Mapped[datetime] = mapped_column(default=utcnow)
