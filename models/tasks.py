"""Tasks (техническое задание / поручение): what the leader asks, and each assignee's part."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class TaskAudience(enum.StrEnum):
    ALL = "all"  # every active member but the author
    CHOSEN = "chosen"
    ROLE = "role"


class AssignmentStatus(enum.StrEnum):
    ASSIGNED = "assigned"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


OPEN_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.RETURNED)


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    audience: Mapped[TaskAudience]
    due_on: Mapped[date] = mapped_column(index=True)  # in the association's time zone
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Withdrawn by the leader: no longer listed, submitted or reminded of.
    cancelled_at: Mapped[datetime | None]


class TaskAssignment(Base):
    """One assignee's part of a task: status, submission, the leader's comment."""

    __tablename__ = "task_assignments"
    __table_args__ = (
        UniqueConstraint("task_id", "user_id"),
        Index("ix_task_assignments_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[AssignmentStatus] = mapped_column(default=AssignmentStatus.ASSIGNED)
    answer_text: Mapped[str | None] = mapped_column(Text)
    answer_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    # How many times the work was handed in: each submission and its decision are told once.
    submissions: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    comment: Mapped[str | None] = mapped_column(Text)
    # When the reminders went out (the outbox's dedupe keys guard them too).
    reminded_at: Mapped[datetime | None]
    overdue_told_at: Mapped[datetime | None]
