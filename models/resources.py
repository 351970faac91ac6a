"""The resource bank (методическая копилка): materials, their files and their review."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class MaterialKind(enum.StrEnum):
    METHODOLOGICAL = "methodological"  # методический материал
    DIDACTIC = "didactic"  # дидактический материал
    LESSON_PLAN = "lesson_plan"  # конспект / технологическая карта урока
    WORK_PROGRAMME = "work_programme"  # рабочая программа
    NORMATIVE = "normative"  # нормативный документ
    PROJECT = "project"
    PRESENTATION = "presentation"
    VIDEO = "video"
    LINK = "link"  # полезная ссылка
    TEACHER_PAGE = "teacher_page"  # страница лучшего учителя
    GALLERY = "gallery"  # работа для галереи
    ACHIEVEMENT = "achievement"  # достижение участника
    DIGITAL = "digital"  # ЦОР: программа или онлайн-сервис и опыт его применения


class MaterialStatus(enum.StrEnum):
    PENDING = "pending"  # submitted, waiting in the review queue
    APPROVED = "approved"
    NEEDS_REVISION = "needs_revision"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # taken back by the author or removed by a moderator


class FileKind(enum.StrEnum):
    DOCUMENT = "document"
    PHOTO = "photo"
    VIDEO = "video"


class Material(Base):
    """One material of the bank: its card, where it belongs, and what happened to it."""

    __tablename__ = "materials"
    __table_args__ = (
        Index("ix_materials_status_approved", "status", "approved_at"),
        Index("ix_materials_association_status", "association_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL: a network-wide material (only methodists submit those).
    association_id: Mapped[int | None] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE")
    )
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[MaterialKind] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str | None] = mapped_column(String(100), index=True)
    # Grades 1–11 as an inclusive range; NULL both: not tied to a grade.
    grade_from: Mapped[int | None]
    grade_to: Mapped[int | None]
    # Normalised, comma-separated, lower-case: «дроби, 5 класс».
    tags: Mapped[str] = mapped_column(String(500), default="")
    url: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[MaterialStatus] = mapped_column(default=MaterialStatus.PENDING)
    reviewer_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    review_comment: Mapped[str | None] = mapped_column(Text)
    # Counters for sorting; every view and download is also an ActivityEvent (ref_id = id).
    views: Mapped[int] = mapped_column(default=0)
    downloads: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MaterialFile(Base):
    """A file of a material, kept by Telegram's file id; copied to FILES_DIR when archived."""

    __tablename__ = "material_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[FileKind]
    telegram_file_id: Mapped[str] = mapped_column(String(200))
    file_unique_id: Mapped[str] = mapped_column(String(100), index=True)
    file_name: Mapped[str | None] = mapped_column(String(255))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    # Relative to FILES_DIR, set by `python -m bot archive-files`.
    archived_path: Mapped[str | None] = mapped_column(String(500))
    archived_at: Mapped[datetime | None]


class MaterialReview(Base):
    """One decision of a reviewer: the history behind a material's status."""

    __tablename__ = "material_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="CASCADE"), index=True
    )
    reviewer_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decision: Mapped[MaterialStatus]
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)
