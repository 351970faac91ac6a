"""Contests and project festivals: the contest, its nominations, criteria and jury, the
entries, the jurors' scores, the audience's votes and the diplomas issued."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ContestAudience(enum.StrEnum):
    MEMBERS = "members"  # the association's active members
    NETWORK = "network"  # any registered teacher of the network


class ContestStatus(enum.StrEnum):
    ANNOUNCED = "announced"  # submissions not open yet
    OPEN = "open"
    JUDGING = "judging"
    PUBLISHED = "published"


class DiplomaKind(enum.StrEnum):
    WINNER = "winner"  # place 1
    PRIZE = "prize"  # places 2 and 3 (призёр)
    PARTICIPANT = "participant"


class Contest(Base):
    __tablename__ = "contests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: a network-wide contest (announced by a methodist).
    association_id: Mapped[int | None] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    organiser_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    rules: Mapped[str] = mapped_column(Text)
    rules_file_id: Mapped[str | None] = mapped_column(String(200))  # Telegram's file id
    rules_file_name: Mapped[str | None] = mapped_column(String(255))
    # Dates in the association's time zone; submissions are taken through `closes_on`.
    opens_on: Mapped[date]
    closes_on: Mapped[date] = mapped_column(index=True)
    judging_until: Mapped[date]
    results_on: Mapped[date]
    audience: Mapped[ContestAudience] = mapped_column(default=ContestAudience.MEMBERS)
    audience_vote: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ContestStatus] = mapped_column(default=ContestStatus.ANNOUNCED, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    jurors_reminded_at: Mapped[datetime | None]
    organiser_reminded_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]


class ContestNomination(Base):
    __tablename__ = "contest_nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        ForeignKey("contests.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))


class ContestCriterion(Base):
    __tablename__ = "contest_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        ForeignKey("contests.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    max_score: Mapped[int]


class ContestJuror(Base):
    __tablename__ = "contest_jurors"
    __table_args__ = (UniqueConstraint("contest_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        ForeignKey("contests.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class ContestEntry(Base):
    """One participant's work in one nomination (replaced in place until submissions close)."""

    __tablename__ = "contest_entries"
    __table_args__ = (UniqueConstraint("contest_id", "user_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        ForeignKey("contests.id", ondelete="CASCADE"), index=True
    )
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("contest_nominations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    annotation: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(1000))
    # The participant's school when submitting: a juror of the same school does not judge it.
    organisation: Mapped[str | None] = mapped_column(String(300))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced_at: Mapped[datetime | None]


class ContestEntryFile(Base):
    __tablename__ = "contest_entry_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True
    )
    telegram_file_id: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str | None] = mapped_column(String(255))


class ContestScore(Base):
    __tablename__ = "contest_scores"
    __table_args__ = (UniqueConstraint("entry_id", "juror_user_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True
    )
    juror_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("contest_criteria.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContestVote(Base):
    __tablename__ = "contest_votes"
    __table_args__ = (UniqueConstraint("contest_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        ForeignKey("contests.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True
    )
    voted_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContestDiploma(Base):
    """A diploma issued with the results: the name is kept as printed (nominative)."""

    __tablename__ = "contest_diplomas"
    __table_args__ = (Index("ix_contest_diplomas_contest_user", "contest_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("contest_entries.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    number: Mapped[str] = mapped_column(String(40))
    kind: Mapped[DiplomaKind]
    place: Mapped[int | None]
    full_name: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date]
