"""The buttons of /survey: one typed press per kind, one table dispatching them (`srv1`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from services.texts import N_

PREFIX = "srv1"

BUTTONS = ButtonTable(PREFIX, stale=N_("This button is out of date. Open /survey."))


@dataclass(frozen=True)
class Answer(Press, prefix=PREFIX, action="ans"):
    """A respondent starts (or resumes) answering."""

    survey_id: int


@dataclass(frozen=True)
class NewSurvey(Press, prefix=PREFIX, action="new"):
    pass


@dataclass(frozen=True)
class OpenSurvey(Press, prefix=PREFIX, action="open"):
    """The survey's screen for the one who manages it."""

    survey_id: int


@dataclass(frozen=True)
class OpenQuestion(Press, prefix=PREFIX, action="q"):
    question_id: int


@dataclass(frozen=True)
class AddQuestion(Press, prefix=PREFIX, action="add"):
    survey_id: int


@dataclass(frozen=True)
class RewordQuestion(Press, prefix=PREFIX, action="rew"):
    question_id: int


@dataclass(frozen=True)
class DeleteQuestion(Press, prefix=PREFIX, action="del"):
    question_id: int


@dataclass(frozen=True)
class ToggleRequired(Press, prefix=PREFIX, action="req"):
    question_id: int


@dataclass(frozen=True)
class Launch(Press, prefix=PREFIX, action="go"):
    survey_id: int


@dataclass(frozen=True)
class Close(Press, prefix=PREFIX, action="stop"):
    survey_id: int


@dataclass(frozen=True)
class ShowResults(Press, prefix=PREFIX, action="res"):
    survey_id: int


@dataclass(frozen=True)
class ResultsPdf(Press, prefix=PREFIX, action="pdf"):
    survey_id: int


@dataclass(frozen=True)
class ResultsCsv(Press, prefix=PREFIX, action="csv"):
    survey_id: int
