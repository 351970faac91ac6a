"""Virtual meetings: agenda, RSVPs, attendance, per-association reminder settings."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    # Held, and its protocol approved (set by services.protocols.finalise).
    PROTOCOL_APPROVED = "protocol_approved"


class RsvpAnswer(enum.StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NO = "no"


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_due", "status", "starts_at"),
        UniqueConstraint("association_id", "academic_year", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    # Number within the association's academic year (1 September .. 31 August).
    number: Mapped[int]
    academic_year: Mapped[int]
    topic: Mapped[str] = mapped_column(String(500))
    form: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=60)
    link: Mapped[str] = mapped_column(String(500))
    status: Mapped[MeetingStatus] = mapped_column(default=MeetingStatus.SCHEDULED)
    # Bumped on every reschedule: reminders and calendar files of the old time are void.
    revision: Mapped[int] = mapped_column(default=0)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    announced_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Reminder stages already handled ("r24", "r1", "start"): the sweep skips them quickly;
    # the outbox's dedupe keys are what guarantees nobody gets one twice.
    reminders_done: Mapped[list[str]] = mapped_column(default=list)
    # The group card's counts changed since it was last edited (edits are batched).
    card_dirty: Mapped[bool] = mapped_column(default=False, index=True)
    card_edited_at: Mapped[datetime | None]
    # When the secretary (or leader) was asked to fill the protocol (the after-meeting sweep).
    protocol_requested_at: Mapped[datetime | None]
    # The plan item (plans.plan_items.id) this meeting fulfils; marked done once it is held.
    # No foreign key: plan_items.meeting_id already points back here, and a cycle of keys
    # would complicate creating and dropping the tables.
    plan_item_id: Mapped[int | None]


class MeetingAgendaItem(Base):
    __tablename__ = "meeting_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(String(200))


class MeetingRsvp(Base):
    __tablename__ = "meeting_rsvps"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answer: Mapped[RsvpAnswer]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingAttendance(Base):
    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)
    # "self" (the "I am here" button), "corrected" (marked present by the leader or the
    # secretary) or "absent" (corrected to absent: outweighs a «will attend» answer, see
    # services.meetings.present_ids). No migration: the column is a free 16-character string.
    source: Mapped[str] = mapped_column(String(16), default="self")


class MeetingSettings(Base):
    """Per-association meeting settings: which reminders to send, hours before the start."""

    __tablename__ = "meeting_settings"

    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), primary_key=True
    )
    reminder_hours: Mapped[list[int]] = mapped_column(default=lambda: [24, 1])


class MeetingMaterial(Base):
    """A file attached to a meeting, kept as Telegram's file_id (nothing is downloaded)."""

    __tablename__ = "meeting_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    telegram_file_id: Mapped[str] = mapped_column(String(300))
    file_unique_id: Mapped[str] = mapped_column(String(100))
    file_name: Mapped[str] = mapped_column(String(255))
    added_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
