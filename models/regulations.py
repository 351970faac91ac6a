"""The association's own documents: its regulation (положение) and the participant's guide.

The draft regulation is drafted from the association's kind and settings; a section the
leader rewrote is a `RegulationSection` row (restoring the drafted text deletes it). An
approval freezes every section's text and the PDF as a `RegulationVersion`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class RegulationSection(Base):
    """The leader's own wording of one section of the draft regulation."""

    __tablename__ = "regulation_sections"
    __table_args__ = (UniqueConstraint("association_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]  # 1…7, as printed
    text: Mapped[str] = mapped_column(Text)  # a clause per line; «– » starts a list item
    edited_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegulationVersion(Base):
    """An approved regulation: its sections' texts and its PDF, fixed from then on."""

    __tablename__ = "regulation_versions"
    __table_args__ = (UniqueConstraint("association_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    sections: Mapped[list[str]]
    order_ref: Mapped[str | None] = mapped_column(String(200))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    approved_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    approved_at: Mapped[datetime] = mapped_column(default=utcnow)


class ParticipantGuide(Base):
    """The participant's guide last built for an association, reused (and uploaded to
    Telegram once) while the settings it was drawn from stay the same."""

    __tablename__ = "participant_guides"

    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), primary_key=True
    )
    fingerprint: Mapped[str] = mapped_column(String(64))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    built_at: Mapped[datetime] = mapped_column(default=utcnow)
