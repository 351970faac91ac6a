"""The buttons of /report: which association, or the network summary."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from services.texts import N_

PREFIX = "rep1"

BUTTONS = ButtonTable(PREFIX, stale=N_("This button is out of date. Send /report again."))


@dataclass(frozen=True)
class ReportOn(Press, prefix=PREFIX, action="assoc"):  # the action choose_association uses
    association_id: int


@dataclass(frozen=True)
class NetworkSummary(Press, prefix=PREFIX, action="net"):
    pass
