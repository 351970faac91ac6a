"""Associations (ВМО, ВПО, СМО, ВМК, communities) and memberships."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class AssociationKind(enum.StrEnum):
    VMO = "vmo"
    VPO = "vpo"
    SMO = "smo"
    VMK = "vmk"
    COMMUNITY = "community"


class SubjectScope(enum.StrEnum):
    MONO = "mono"
    SUPRA = "supra"
    MULTI = "multi"


class AssociationStatus(enum.StrEnum):
    PROPOSED = "proposed"
    DRAFT = "draft"
    ACTIVE = "active"
    FINISHED = "finished"
    ARCHIVED = "archived"
    REJECTED = "rejected"


class JoinPolicy(enum.StrEnum):
    OPEN = "open"
    APPROVAL = "approval"
    INVITATION = "invitation"


class MemberRole(enum.StrEnum):
    LEADER = "leader"
    SECRETARY = "secretary"
    ADMINISTRATOR = "administrator"
    EXPERT = "expert"
    MEMBER = "member"


class MembershipStatus(enum.StrEnum):
    REQUESTED = "requested"
    ACTIVE = "active"
    LEFT = "left"
    REMOVED = "removed"
    DECLINED = "declined"


COMMUNITY_DEFAULT_CAP = 150


class Association(Base):
    __tablename__ = "associations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AssociationKind]
    name: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str | None] = mapped_column(Text)
    goals: Mapped[str | None] = mapped_column(Text)
    subject_scope: Mapped[SubjectScope] = mapped_column(default=SubjectScope.MONO)
    subjects: Mapped[list[str]] = mapped_column(default=list)
    organisation: Mapped[str | None] = mapped_column(String(300))
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[AssociationStatus] = mapped_column(default=AssociationStatus.DRAFT, index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("associations.id"), index=True)
    member_cap: Mapped[int | None]
    join_policy: Mapped[JoinPolicy] = mapped_column(default=JoinPolicy.OPEN)
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    rules_text: Mapped[str | None] = mapped_column(Text)
    order_ref: Mapped[str | None] = mapped_column(String(200))
    chat_id: Mapped[int | None] = mapped_column(index=True)
    chat_is_forum: Mapped[bool] = mapped_column(default=False)
    # Forum topic ids by purpose: "announcements", "meetings", "resources", "consultations".
    forum_topics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("association_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = mapped_column(default=MemberRole.MEMBER)
    status: Mapped[MembershipStatus] = mapped_column(default=MembershipStatus.ACTIVE)
    joined_via: Mapped[str | None] = mapped_column(String(32))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    joined_at: Mapped[datetime | None]
    left_at: Mapped[datetime | None]
