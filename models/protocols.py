"""Meeting protocols: one per meeting, numbered per association per academic year."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ProtocolStatus(enum.StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class Protocol(Base):
    __tablename__ = "protocols"
    __table_args__ = (UniqueConstraint("association_id", "academic_year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    academic_year: Mapped[int]
    number: Mapped[int]
    status: Mapped[ProtocolStatus] = mapped_column(default=ProtocolStatus.DRAFT)
    chair_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    secretary_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    place: Mapped[str] = mapped_column(String(300))
    # The final PDF (services.outbox.store_file), kept once the protocol is approved.
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id", ondelete="SET NULL"))
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finalised_at: Mapped[datetime | None]


class ProtocolItem(Base):
    """One agenda item: СЛУШАЛИ (speaker, substance), ВЫСТУПИЛИ, ПОСТАНОВИЛИ."""

    __tablename__ = "protocol_items"
    __table_args__ = (UniqueConstraint("protocol_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("protocols.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str] = mapped_column(String(200), default="")
    substance: Mapped[str] = mapped_column(Text, default="")
    # [{"who": ..., "note": ...}, ...]
    spoke: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # [{"text", "responsible", "deadline" (ISO date or free text), "votes": [for, against,
    #   abstained] or null}, ...]
    decisions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class FollowUp(Base):
    """A decision with a responsible member and a deadline: reminded before the deadline."""

    __tablename__ = "protocol_followups"
    __table_args__ = (
        UniqueConstraint(
            "protocol_id",
            "item_position",
            "decision_index",
            "user_id",
            name="uq_protocol_followups_decision_user",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("protocols.id", ondelete="CASCADE"), index=True
    )
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    item_position: Mapped[int]
    decision_index: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(index=True)
    # Stages already handled ("d3", "d1"): the sweep skips them; dedupe keys guarantee once.
    reminders_done: Mapped[list[str]] = mapped_column(default=list)
