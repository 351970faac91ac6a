"""The buttons of messages between members (`cor1`) and their table."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from services.texts import N_

BUTTONS = ButtonTable(
    "cor1", stale=N_("This button is out of date. Open /members to write to a fellow member.")
)


@dataclass(frozen=True)
class OpenFellows(Press, prefix="cor1", action="ls"):
    """A page of an association's fellow members."""

    association_id: int
    page: int = 0


@dataclass(frozen=True)
class Write(Press, prefix="cor1", action="w"):
    """Write a new message to a fellow member."""

    association_id: int
    user_id: int


@dataclass(frozen=True)
class Answer(Press, prefix="cor1", action="ans"):
    """Answer a relayed message (the answer goes back to its sender)."""

    message_id: int


@dataclass(frozen=True)
class Refuse(Press, prefix="cor1", action="blk"):
    """Receive no more messages from the sender of a relayed message."""

    message_id: int


@dataclass(frozen=True)
class Allow(Press, prefix="cor1", action="unb"):
    """Accept messages from a person again."""

    user_id: int


@dataclass(frozen=True)
class Report(Press, prefix="cor1", action="rep"):
    """Report a relayed message to the association's leader."""

    message_id: int
