"""Messages between members: the relayed text (kept only while it can be answered or
reported) and the refusals of further messages from a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class MemberMessage(Base):
    """One message relayed by the bot from a member to a fellow member of an association.

    The row (with its text) is erased `services.correspondence.RETENTION` after it was
    sent, and with either person's /forget; the activity event it recorded stays.
    """

    __tablename__ = "member_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("member_messages.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reported_at: Mapped[datetime | None]


class MessageBlock(Base):
    """`blocker` receives no more messages from `blocked` (until they allow them again)."""

    __tablename__ = "member_message_blocks"
    __table_args__ = (UniqueConstraint("blocker_id", "blocked_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
