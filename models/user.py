"""Teachers (users of the bot) and their network-wide roles."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class NetworkRole(enum.StrEnum):
    METHODIST = "methodist"
    APPROVER = "approver"
    EXPERT = "expert"


class QualificationCategory(enum.StrEnum):
    NONE = "none"
    COMPLIANCE = "compliance"  # соответствие занимаемой должности
    FIRST = "first"
    HIGHEST = "highest"
    METHODIST = "methodist"  # педагог-методист
    MENTOR = "mentor"  # педагог-наставник


YOUNG_SPECIALIST_YEARS = 3


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL once the person is forgotten (/forget): the row stays as an anonymous tombstone.
    telegram_id: Mapped[int | None] = mapped_column(unique=True)
    telegram_username: Mapped[str | None] = mapped_column(String(64))
    telegram_language: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    full_name: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[str | None] = mapped_column(String(100))
    subjects: Mapped[list[str]] = mapped_column(default=list)
    experience_years: Mapped[int | None]
    category: Mapped[QualificationCategory | None]
    municipality: Mapped[str | None] = mapped_column(String(200))
    # Lower-cased name and organisation: SQLite's LIKE folds ASCII only, not Cyrillic.
    search_text: Mapped[str | None] = mapped_column(String(600), index=True)
    # The same for the newsletter filters «organisation contains», «municipality contains».
    organisation_folded: Mapped[str | None] = mapped_column(String(300))
    municipality_folded: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consent_at: Mapped[datetime | None]
    registered_at: Mapped[datetime | None]
    newsletters_enabled: Mapped[bool] = mapped_column(default=True)
    # The weekly digest of new materials of the bank (/resources → settings).
    materials_digest_enabled: Mapped[bool] = mapped_column(default=True)
    # The bot cannot write to this person (they blocked it or never started it).
    unreachable_since: Mapped[datetime | None]
    forgotten_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_registered(self) -> bool:
        return self.registered_at is not None and self.forgotten_at is None

    @property
    def is_young_specialist(self) -> bool:
        return self.experience_years is not None and self.experience_years < YOUNG_SPECIALIST_YEARS


class NetworkRoleGrant(Base):
    __tablename__ = "network_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[NetworkRole]
    granted_by_telegram_id: Mapped[int | None]
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
