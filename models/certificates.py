"""Certificates (сертификаты участника, свидетельства о публикации), the rules an
association sets for them, and the leader's corrections of declined names."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class CertificateKind(enum.StrEnum):
    PARTICIPATION = "participation"  # «ВМО-2026-0001»
    PUBLICATION = "publication"  # «СП-2026-0001»


class CertificateStatus(enum.StrEnum):
    REQUESTED = "requested"  # waits for the leader
    ISSUED = "issued"
    DECLINED = "declined"
    REVOKED = "revoked"


class CertificateTitle(enum.StrEnum):
    """What a participation certificate is called on paper."""

    CERTIFICATE = "certificate"  # «СЕРТИФИКАТ»
    PARTICIPATION = "participation"  # «ДОКУМЕНТ ОБ УЧАСТИИ»


class GrammaticalCase(enum.StrEnum):
    DATIVE = "datv"  # «выдан Ивановой Марии Петровне»
    GENITIVE = "gent"


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("kind", "year", "sequence"),
        Index("ix_certificates_association_status", "association_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The verification code (services/verification.py); given when issued.
    code: Mapped[str | None] = mapped_column(String(16), unique=True)
    # The registry number «ВМО-2026-0001»; given when issued.
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    kind: Mapped[CertificateKind]
    year: Mapped[int | None]
    sequence: Mapped[int | None]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    material_id: Mapped[int | None] = mapped_column(
        ForeignKey("materials.id", ondelete="SET NULL"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(200))  # nominative, as printed in the registry
    full_name_dative: Mapped[str] = mapped_column(String(200))  # «выдан(а) …»
    title: Mapped[CertificateTitle] = mapped_column(default=CertificateTitle.CERTIFICATE)
    association_name: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str | None] = mapped_column(Text)
    organisation: Mapped[str | None] = mapped_column(String(300))
    material_title: Mapped[str | None] = mapped_column(String(200))
    period_start: Mapped[date]
    period_end: Mapped[date]
    hours: Mapped[int | None]
    leader_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[CertificateStatus] = mapped_column(default=CertificateStatus.REQUESTED)
    reason: Mapped[str | None] = mapped_column(Text)  # of a decline or a revocation
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[datetime | None]
    issued_on: Mapped[date | None]  # the date printed, in the association's time zone
    # What the QR code holds (services/verification.py), fixed when issued: a reprint is
    # the same document.
    verification_url: Mapped[str | None] = mapped_column(String(300))
    # When the PDF was sent to its holder; the batch leaves it to the delivery sweep.
    delivered_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CertificateRules(Base):
    """When an association's members are entitled to a certificate of participation."""

    __tablename__ = "certificate_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), unique=True
    )
    min_attendance_percent: Mapped[int] = mapped_column(default=50)
    min_contributions: Mapped[int | None]  # acts of any form of activity (services/activity)
    manual_only: Mapped[bool] = mapped_column(default=False)
    hours: Mapped[int | None]
    title: Mapped[CertificateTitle] = mapped_column(default=CertificateTitle.CERTIFICATE)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class NameCorrection(Base):
    """A declined form of a person's name as the leader corrected it, reused from then on."""

    __tablename__ = "name_corrections"
    __table_args__ = (UniqueConstraint("user_id", "grammatical_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    grammatical_case: Mapped[GrammaticalCase]
    # The nominative it corrects: a changed name in the profile is declined afresh.
    full_name: Mapped[str] = mapped_column(String(200))
    corrected: Mapped[str] = mapped_column(String(200))
    corrected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)
