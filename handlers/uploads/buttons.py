"""The buttons of /upload and of the review: one typed press per kind, one table.

`OpenQueue` and `NewMaterial` are also shown by the catalogue's /resources menu."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from services.texts import N_

PREFIX = "upl1"

BUTTONS = ButtonTable(PREFIX, stale=N_("This button is out of date. Open /upload."))


@dataclass(frozen=True)
class OpenQueue(Press, prefix=PREFIX, action="queue"):
    """The review queue, for reviewers (from /resources → Review)."""


@dataclass(frozen=True)
class NewMaterial(Press, prefix=PREFIX, action="new"):
    """Start the upload form (from /resources → Upload)."""


@dataclass(frozen=True)
class MyMaterials(Press, prefix=PREFIX, action="mine"):
    """The author's own materials and their statuses."""


@dataclass(frozen=True)
class OpenMine(Press, prefix=PREFIX, action="my"):
    """One of the author's materials: its card, status, comment and what can be done."""

    material_id: int


@dataclass(frozen=True)
class Correct(Press, prefix=PREFIX, action="fix"):
    """Correct a material that needs revision (the form, pre-filled) and resubmit it."""

    material_id: int


@dataclass(frozen=True)
class Withdraw(Press, prefix=PREFIX, action="wd"):
    """Asks whether to withdraw; `WithdrawSure` does it."""

    material_id: int


@dataclass(frozen=True)
class WithdrawSure(Press, prefix=PREFIX, action="wdok"):
    material_id: int


@dataclass(frozen=True)
class Review(Press, prefix=PREFIX, action="rev"):
    """A pending material shown to a reviewer: its files, its card, the decisions."""

    material_id: int


@dataclass(frozen=True)
class Approve(Press, prefix=PREFIX, action="ok"):
    material_id: int


@dataclass(frozen=True)
class Revise(Press, prefix=PREFIX, action="redo"):
    """Needs revision: the comment is asked (dialog `uplr`)."""

    material_id: int


@dataclass(frozen=True)
class Reject(Press, prefix=PREFIX, action="no"):
    """Rejected: the reason is asked (dialog `uplr`)."""

    material_id: int
