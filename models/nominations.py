"""Nomination lists (представление к поощрению): the leader's list sent to the approver,
and each nominated member with the leader's justification."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Nomination(Base):
    """One list of an association for an academic year, as sent."""

    __tablename__ = "nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    academic_year: Mapped[int]
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class NominationEntry(Base):
    """A nominated member: the leader's justification and their activity as it was then."""

    __tablename__ = "nomination_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)  # the order on the list
    justification: Mapped[str] = mapped_column(Text)
    activity: Mapped[str] = mapped_column(Text, default="")  # «посещение заседаний — 5 из 6; …»
