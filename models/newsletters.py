"""Newsletters (one composed message to a filtered audience) and network events."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class NewsletterStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class Newsletter(Base):
    __tablename__ = "newsletters"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Set when a leader writes to their own association: an official notice of it, which
    # reaches members who switched newsletters off.
    association_id: Mapped[int | None] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(Text)  # Telegram HTML, as the author formatted it
    media_kind: Mapped[str | None] = mapped_column(String(16))  # "photo" | "document"
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    # [{"text": ..., "url": ...}, ...], one button per row
    buttons: Mapped[list[dict[str, str]]] = mapped_column(JSON(), default=list)
    # {"associations": [ids], "role": str, "subject": str, "organisation": str,
    #  "municipality": str}; all given filters must hold (empty = all registered teachers)
    audience: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[NewsletterStatus] = mapped_column(default=NewsletterStatus.DRAFT, index=True)
    scheduled_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    recipients: Mapped[int] = mapped_column(default=0)
    # The copies are enqueued a page at a time (services.newsletters.fan_out): the last
    # user id given one, how many were, and when the last page was (or sending stopped).
    fanout_after_user_id: Mapped[int] = mapped_column(default=0)
    enqueued: Mapped[int] = mapped_column(default=0)
    fanned_out_at: Mapped[datetime | None]
    # The author's live progress message, edited at most every few seconds.
    progress_chat_id: Mapped[int | None]
    progress_message_id: Mapped[int | None]
    progress_edited_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def batch(self) -> str:
        return f"nl:{self.id}"


class EventKind(enum.StrEnum):
    CONFERENCE = "conference"
    OLYMPIAD = "olympiad"
    CONTEST = "contest"
    WEBINAR = "webinar"
    OTHER = "other"


class NetworkEvent(Base):
    """A network event a methodist announces (conference, olympiad, contest, webinar)."""

    __tablename__ = "network_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[EventKind] = mapped_column(default=EventKind.OTHER)
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int] = mapped_column(default=60)
    link: Mapped[str | None] = mapped_column(String(500))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventDigestSubscription(Base):
    """Who wants the weekly digest of the coming week's events and meetings."""

    __tablename__ = "event_digest_subscriptions"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
