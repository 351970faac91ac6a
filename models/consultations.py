"""Consultations (/ask): members' questions, their answers and files, the FAQ, mentors."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

REMIND_AFTER_HOURS = 24
ESCALATE_AFTER_HOURS = 72


class ConsultationStatus(enum.StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    CLOSED = "closed"


class FilePart(enum.StrEnum):
    QUESTION = "question"
    ANSWER = "answer"


class Consultation(Base):
    """One question: to an association (its leader and experts) or, with no association,
    to the network's methodists and experts. A follow-up is a question with a parent."""

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    association_id: Mapped[int | None] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ConsultationStatus] = mapped_column(default=ConsultationStatus.NEW, index=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None]
    in_faq: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    taken_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]


class ConsultationFile(Base):
    """A document or photo of a question or an answer, kept by its Telegram file id."""

    __tablename__ = "consultation_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    part: Mapped[FilePart]
    is_photo: Mapped[bool] = mapped_column(default=False)
    telegram_file_id: Mapped[str] = mapped_column(String(200))


class ConsultationSettings(Base):
    """An association's timings: a reminder to the assignee, then escalation to the leader."""

    __tablename__ = "consultation_settings"

    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), primary_key=True
    )
    remind_after_hours: Mapped[int] = mapped_column(default=REMIND_AFTER_HOURS)
    escalate_after_hours: Mapped[int] = mapped_column(default=ESCALATE_AFTER_HOURS)


class Mentorship(Base):
    """A young specialist's mentor in an association: their questions go to the mentor first."""

    __tablename__ = "mentorships"
    __table_args__ = (UniqueConstraint("association_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
