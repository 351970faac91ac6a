"""The polls' buttons (`pl1`): typed presses and their dispatch table."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from services.texts import N_

PREFIX = "pl1"
STALE = N_("This button is out of date. Please open /poll again.")

BUTTONS = ButtonTable(PREFIX, stale=STALE)


@dataclass(frozen=True)
class OpenPolls(Press, prefix=PREFIX, action="assoc"):  # the action choose_association uses
    association_id: int


@dataclass(frozen=True)
class NewPoll(Press, prefix=PREFIX, action="new"):
    association_id: int


@dataclass(frozen=True)
class ShowResult(Press, prefix=PREFIX, action="res"):
    poll_id: int
