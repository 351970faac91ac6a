"""The protocol buttons (`prot:*`): typed presses and their table. The formats are those
of the buttons already sent (the protocol request says `prot:new:<meeting id>`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from services.texts import N_

PROT = ButtonTable("prot", stale=N_("This button is out of date. Open /protocol."))


@dataclass(frozen=True)
class OpenAssociation(Press, prefix="prot", action="assoc"):
    association_id: int


@dataclass(frozen=True)
class Record(Press, prefix="prot", action="new"):
    meeting_id: int


@dataclass(frozen=True)
class FinalPdf(Press, prefix="prot", action="pdf"):
    protocol_id: int


@dataclass(frozen=True)
class DraftPdf(Press, prefix="prot", action="draft"):
    protocol_id: int


@dataclass(frozen=True)
class Approve(Press, prefix="prot", action="ok"):
    protocol_id: int


@dataclass(frozen=True)
class ApproveAnyway(Press, prefix="prot", action="okyes"):
    """Approve although nobody but the chair and the secretary is present (asked first)."""

    protocol_id: int


@dataclass(frozen=True)
class ExtractItems(Press, prefix="prot", action="ext"):
    protocol_id: int


@dataclass(frozen=True)
class ExtractItem(Press, prefix="prot", action="exi"):
    protocol_id: int
    item: int
