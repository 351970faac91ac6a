"""The buttons of the regulation and the participant's guide: one typed press per kind,
one table dispatching them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from services.texts import N_

PREFIX = "reg1"

BUTTONS = ButtonTable(
    PREFIX, stale=N_("This button is out of date. Open the association's card again.")
)


@dataclass(frozen=True)
class OpenRegulation(Press, prefix=PREFIX, action="open"):
    """The leader's screen of the regulation; a member gets the approved copy."""

    association_id: int


@dataclass(frozen=True)
class OpenSection(Press, prefix=PREFIX, action="sec"):
    association_id: int
    number: int


@dataclass(frozen=True)
class ReplaceSection(Press, prefix=PREFIX, action="edit"):
    association_id: int
    number: int


@dataclass(frozen=True)
class RestoreSection(Press, prefix=PREFIX, action="rest"):
    association_id: int
    number: int


@dataclass(frozen=True)
class Preview(Press, prefix=PREFIX, action="pdf"):
    association_id: int


@dataclass(frozen=True)
class SendVersion(Press, prefix=PREFIX, action="ver"):
    version_id: int


@dataclass(frozen=True)
class AskApproval(Press, prefix=PREFIX, action="ask"):
    association_id: int


@dataclass(frozen=True)
class ConfirmApproval(Press, prefix=PREFIX, action="ok"):
    """Carries the version number the leader was shown: a second approval meanwhile is
    refused instead of approving something unseen."""

    association_id: int
    version: int


@dataclass(frozen=True)
class SendGuide(Press, prefix=PREFIX, action="guide"):
    association_id: int
