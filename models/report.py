"""The leader's part of the annual report: how each goal was fulfilled, and the conclusions.

Per association and academic year (the year's first September's year, as plans keep it).
The bot proposes a value for each goal (services/report/goals.py); the leader confirms or
corrects it with an optional reason. Rewritten whole each time the leader goes through
the dialog again.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Fulfilment(enum.StrEnum):
    FULLY = "fully"
    PARTLY = "partly"
    NOT_DONE = "not_done"


class ReportGoalAssessment(Base):
    __tablename__ = "report_goal_assessments"
    __table_args__ = (UniqueConstraint("association_id", "academic_year", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    academic_year: Mapped[int]
    position: Mapped[int]  # 1, 2, … as the goals are listed
    goal: Mapped[str] = mapped_column(Text)
    proposed: Mapped[Fulfilment]
    confirmed: Mapped[Fulfilment]
    reason: Mapped[str | None] = mapped_column(String(500))
    assessed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportConclusions(Base):
    __tablename__ = "report_conclusions"
    __table_args__ = (UniqueConstraint("association_id", "academic_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    academic_year: Mapped[int]
    text: Mapped[str] = mapped_column(Text)  # conclusions and tasks for next year
    written_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
