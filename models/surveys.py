"""Questionnaires: the survey, its questions, who is invited, and the responses.

Anonymity is a property of the schema, not of the queries: a response of an anonymous
survey has no person, no moment finer than the day and a random id, and the "has
answered" mark on the invitation carries no answer and no time. Nothing joins the two.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class SurveyStatus(enum.StrEnum):
    DRAFT = "draft"  # being built; nobody invited
    SCHEDULED = "scheduled"  # opens at `opens_at` (the sweep invites then)
    OPEN = "open"
    CLOSED = "closed"


class SurveyTemplate(enum.StrEnum):
    NEEDS = "needs"  # needs diagnostics
    FEEDBACK = "feedback"  # after a meeting
    YEAR = "year"  # end-of-year evaluation of the association
    BLANK = "blank"


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    SCALE = "scale"  # 1–5
    TEXT = "text"


class Survey(Base):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # An association's survey, or None for a network one (a methodist's, `audience`).
    association_id: Mapped[int | None] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    template: Mapped[SurveyTemplate] = mapped_column(default=SurveyTemplate.BLANK)
    # A built-in title is a msgid, worded in each reader's language.
    title: Mapped[str] = mapped_column(String(200))
    title_builtin: Mapped[bool] = mapped_column(default=False)
    anonymous: Mapped[bool] = mapped_column(default=True)
    status: Mapped[SurveyStatus] = mapped_column(default=SurveyStatus.DRAFT, index=True)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime]
    # The meeting a feedback survey is about (one per meeting).
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), unique=True
    )
    reminded: Mapped[bool] = mapped_column(default=False)
    # Invitations go out a page at a time (services.surveys.invite_next_page): the last
    # user id invited, and when the last page was (at once for a meeting's feedback).
    invite_after_user_id: Mapped[int] = mapped_column(default=0)
    invited_all_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyQuestion(Base):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[QuestionKind]
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=True)
    # A question copied from a template: text and options are msgids.
    builtin: Mapped[bool] = mapped_column(default=False)


class SurveyInvitation(Base):
    """Who is asked, and the bare "has answered" mark used for the reminder.

    `draft` holds the answers given so far while the person is answering (they may stop
    and come back); a named response empties it when submitted, an anonymous one stays
    sealed there (`{"sealed": answers}`) until it is stored among others.
    """

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("survey_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answered: Mapped[bool] = mapped_column(default=False)
    reminded: Mapped[bool] = mapped_column(default=False)
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class SurveyResponse(Base):
    """One submitted questionnaire. For an anonymous survey `user_id` is None, the id is
    random and only the day is kept."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    submitted_on: Mapped[date]
    # {question id (str): answer} — a string, a list of strings, an int 1–5, or None.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
