"""What associations need beyond the core tables: waiting lists, invitations, chat members."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.association import Association
from models.base import Base, utcnow


class WaitingStatus(enum.StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class WaitingListEntry(Base):
    """A person waiting for a place in a full association."""

    __tablename__ = "association_waiting_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[WaitingStatus] = mapped_column(default=WaitingStatus.WAITING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    offered_at: Mapped[datetime | None]
    offer_expires_at: Mapped[datetime | None]


class AssociationInvitation(Base):
    """A personal-use invitation link issued by a leader (for the invitation policy)."""

    __tablename__ = "association_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    token: Mapped[str] = mapped_column(String(32), unique=True)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    uses: Mapped[int] = mapped_column(default=0)
    revoked: Mapped[bool] = mapped_column(default=False)
    # Set when the link is issued (never loaded implicitly: async code has no lazy loads).
    association: Mapped[Association] = relationship(lazy="raise")


class AssociationChatLink(Base):
    """The invite link (with join requests) the bot created for an association's group."""

    __tablename__ = "association_chat_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(index=True)
    invite_link: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChatMemberSeen(Base):
    """Who is in a bound group chat, as the bot last saw it (from chat_member updates)."""

    __tablename__ = "chat_members_seen"
    __table_args__ = (UniqueConstraint("chat_id", "telegram_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(index=True)
    telegram_id: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnnouncementStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    REPORTED = "reported"
    CANCELLED = "cancelled"


class Announcement(Base):
    """An announcement of an association: to its group and/or privately to every member."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id", ondelete="SET NULL"))
    file_kind: Mapped[str | None] = mapped_column(String(16))
    to_group: Mapped[bool] = mapped_column(default=False)
    pin: Mapped[bool] = mapped_column(default=False)
    to_members: Mapped[bool] = mapped_column(default=False)
    send_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    status: Mapped[AnnouncementStatus] = mapped_column(
        default=AnnouncementStatus.SCHEDULED, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
