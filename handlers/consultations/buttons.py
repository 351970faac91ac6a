"""The buttons of /ask: one typed press per kind, one table dispatching them (`ask1`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from models.consultations import FilePart
from services.texts import N_

PREFIX = "ask1"

BUTTONS = ButtonTable(PREFIX, stale=N_("This button is out of date. Open /ask."))


@dataclass(frozen=True)
class Home(Press, prefix=PREFIX, action="home"):
    pass


@dataclass(frozen=True)
class NewQuestion(Press, prefix=PREFIX, action="new"):
    pass


@dataclass(frozen=True)
class MyQuestions(Press, prefix=PREFIX, action="mine"):
    pass


@dataclass(frozen=True)
class Queue(Press, prefix=PREFIX, action="queue"):
    pass


@dataclass(frozen=True)
class OpenQuestion(Press, prefix=PREFIX, action="open"):
    consultation_id: int


@dataclass(frozen=True)
class ShowFiles(Press, prefix=PREFIX, action="files"):
    consultation_id: int
    part: FilePart


@dataclass(frozen=True)
class Take(Press, prefix=PREFIX, action="take"):
    consultation_id: int


@dataclass(frozen=True)
class Answer(Press, prefix=PREFIX, action="answer"):
    consultation_id: int


@dataclass(frozen=True)
class Rate(Press, prefix=PREFIX, action="rate"):
    consultation_id: int
    score: int


@dataclass(frozen=True)
class FollowUp(Press, prefix=PREFIX, action="more"):
    consultation_id: int


@dataclass(frozen=True)
class Close(Press, prefix=PREFIX, action="close"):
    consultation_id: int


@dataclass(frozen=True)
class Publish(Press, prefix=PREFIX, action="faqpub"):
    consultation_id: int


@dataclass(frozen=True)
class ChooseFaq(Press, prefix=PREFIX, action="faqs"):
    pass


@dataclass(frozen=True)
class OpenFaq(Press, prefix=PREFIX, action="faq"):
    association_id: int


@dataclass(frozen=True)
class Mentors(Press, prefix=PREFIX, action="mentors"):
    association_id: int


@dataclass(frozen=True)
class PickMentee(Press, prefix=PREFIX, action="mentee"):
    association_id: int
    mentee_id: int


@dataclass(frozen=True)
class PickMentor(Press, prefix=PREFIX, action="mentor"):
    association_id: int
    mentee_id: int
    mentor_id: int


@dataclass(frozen=True)
class Timings(Press, prefix=PREFIX, action="hours"):
    association_id: int


@dataclass(frozen=True)
class Answered(Press, prefix=PREFIX, action="done"):
    """The leader's list of the association's answered questions (to publish in the FAQ)."""

    association_id: int
