"""The associations' buttons: typed presses and their dispatch tables.

The presses are plain data, kept apart from the routes (one module per use case), so the
catalogue, the card and the use cases can offer each other's buttons without importing
each other. `as2` replaced `as` when the catalogue's filters became typed (no filter is
now `-`); buttons of the old format are answered as out of date.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from models import AssociationKind
from services.texts import N_

STALE = N_("This button is out of date. Please open /associations again.")

BUTTONS = ButtonTable("as2", stale=STALE)
DECISIONS = ButtonTable("mj", stale=STALE)  # a join request: approve or decline
OFFERS = ButtonTable("wl", stale=STALE)  # a place offered from the queue
PROPOSALS = ButtonTable("ap", stale=STALE)  # a teacher's proposal of an association
OLD_BUTTONS = ButtonTable("as", stale=STALE)  # no routes: every old press is stale

TABLES = (BUTTONS, DECISIONS, OFFERS, PROPOSALS, OLD_BUTTONS)


@dataclass(frozen=True)
class OpenCatalogue(Press, prefix="as2", action="ls"):
    page: int = 0
    kind: AssociationKind | None = None
    subject: str | None = None


@dataclass(frozen=True)
class ChooseSubject(Press, prefix="as2", action="subj"):
    kind: AssociationKind | None = None


@dataclass(frozen=True)
class OpenCard(Press, prefix="as2", action="card"):
    association_id: int


@dataclass(frozen=True)
class Join(Press, prefix="as2", action="join"):
    association_id: int


@dataclass(frozen=True)
class Queue(Press, prefix="as2", action="wait"):
    association_id: int


@dataclass(frozen=True)
class Leave(Press, prefix="as2", action="leave"):
    association_id: int


@dataclass(frozen=True)
class ConfirmLeave(Press, prefix="as2", action="bye"):
    association_id: int


@dataclass(frozen=True)
class ShowRequests(Press, prefix="as2", action="req"):
    association_id: int


@dataclass(frozen=True)
class Invite(Press, prefix="as2", action="inv"):
    association_id: int


@dataclass(frozen=True)
class EditRules(Press, prefix="as2", action="rules"):
    association_id: int


@dataclass(frozen=True)
class Edit(Press, prefix="as2", action="edit"):
    association_id: int


@dataclass(frozen=True)
class Approve(Press, prefix="mj", action="ok"):
    membership_id: int


@dataclass(frozen=True)
class Decline(Press, prefix="mj", action="no"):
    membership_id: int


@dataclass(frozen=True)
class TakePlace(Press, prefix="wl", action="take"):
    entry_id: int


@dataclass(frozen=True)
class ApproveProposal(Press, prefix="ap", action="ok"):
    association_id: int


@dataclass(frozen=True)
class RejectProposal(Press, prefix="ap", action="no"):
    association_id: int
