"""Year work plans: versions, items, proposals, the approval route and its decisions."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    AGREED = "agreed"
    APPROVED = "approved"
    RETURNED = "returned"


class PlanItemStatus(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"
    MOVED = "moved"
    CANCELLED = "cancelled"


class ProposalStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class RouteStep(enum.StrEnum):
    AGREEMENT = "agreement"  # согласование
    APPROVAL = "approval"  # утверждение


class Plan(Base):
    """One version of an association's plan for an academic year."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("association_id", "academic_year", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    academic_year: Mapped[int]
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[PlanStatus] = mapped_column(default=PlanStatus.DRAFT)
    # The route as it was when submitted: [{"step", "user_id", "position"}, ...].
    route: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Index into `route` of the step now deciding (while submitted or agreed).
    current_step: Mapped[int | None]
    returned_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]


class PlanEntry(Base):
    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    # Year and month of the item; `on_date` when an exact day is known.
    year: Mapped[int]
    month: Mapped[int]
    on_date: Mapped[date | None]
    topic: Mapped[str] = mapped_column(String(500))
    form: Mapped[str] = mapped_column(String(32))
    responsible_user_ids: Mapped[list[int]] = mapped_column(default=list)
    expected_result: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[PlanItemStatus] = mapped_column(default=PlanItemStatus.PLANNED)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanProposal(Base):
    __tablename__ = "plan_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    year: Mapped[int]
    month: Mapped[int]
    on_date: Mapped[date | None]
    topic: Mapped[str] = mapped_column(String(500))
    status: Mapped[ProposalStatus] = mapped_column(default=ProposalStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]


class PlanRoute(Base):
    """An association's route: who agrees (optional) and who approves, with positions."""

    __tablename__ = "plan_routes"
    __table_args__ = (UniqueConstraint("association_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    step: Mapped[RouteStep] = mapped_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    position: Mapped[str] = mapped_column(String(200))


class PlanApproval(Base):
    """A decision on a plan version: who, when, at which step, what, and why."""

    __tablename__ = "plan_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    step: Mapped[RouteStep] = mapped_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    position: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column()  # "agreed", "approved", "returned"
    comment: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
