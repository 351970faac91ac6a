"""Quick polls: a native Telegram poll posted in an association's group, its answers, its
result. An anonymous poll keeps only the totals Telegram reports; a named one keeps who
chose what (for the reminder to those who did not answer and for the leader's result)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class PollStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Poll(Base):
    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    question: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]]
    is_anonymous: Mapped[bool]
    allows_multiple: Mapped[bool]
    closes_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[PollStatus] = mapped_column(default=PollStatus.OPEN, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int | None]
    telegram_poll_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Votes per option and the number of people who voted: from Telegram's `poll` updates
    # (anonymous polls) or counted from the answers (named ones); final once closed.
    totals: Mapped[list[int]]
    voter_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When those who have not answered a named poll are reminded (None: anonymous).
    remind_at: Mapped[datetime | None] = mapped_column(index=True)
    reminded_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class PollVote(Base):
    """A member's current answer to a named poll (an answer taken back is deleted)."""

    __tablename__ = "poll_votes"
    __table_args__ = (UniqueConstraint("poll_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    option_ids: Mapped[list[int]]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
