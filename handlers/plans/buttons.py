"""The buttons of /plan: one typed press per kind, one table dispatching them.

`plan2` (version 2 of the format): the screens, the approvers' decisions and the leaders'
answers to proposals. Buttons of version 1 (`plan`, `planr`, `planp`) are stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from models.plans import PlanItemStatus, RouteStep
from services.texts import N_

PREFIX = "plan2"

BUTTONS = ButtonTable(PREFIX, stale=N_("This button is out of date. Open /plan."))


@dataclass(frozen=True)
class OpenPlan(Press, prefix=PREFIX, action="assoc"):  # the action choose_association uses
    association_id: int


@dataclass(frozen=True)
class AddItem(Press, prefix=PREFIX, action="add"):
    association_id: int


@dataclass(frozen=True)
class OpenItem(Press, prefix=PREFIX, action="item"):
    item_id: int


@dataclass(frozen=True)
class EditTopic(Press, prefix=PREFIX, action="topic"):
    item_id: int


@dataclass(frozen=True)
class MoveItem(Press, prefix=PREFIX, action="move"):
    item_id: int


@dataclass(frozen=True)
class DeleteItem(Press, prefix=PREFIX, action="del"):
    item_id: int


@dataclass(frozen=True)
class PickMeeting(Press, prefix=PREFIX, action="held"):
    item_id: int


@dataclass(frozen=True)
class MarkProgress(Press, prefix=PREFIX, action="prog"):
    item_id: int
    status: PlanItemStatus
    meeting_id: int | None = None


@dataclass(frozen=True)
class OpenRoute(Press, prefix=PREFIX, action="route"):
    association_id: int


@dataclass(frozen=True)
class SetStep(Press, prefix=PREFIX, action="step"):
    association_id: int
    step: RouteStep


@dataclass(frozen=True)
class RemoveAgreement(Press, prefix=PREFIX, action="noag"):
    association_id: int


@dataclass(frozen=True)
class OpenChecks(Press, prefix=PREFIX, action="check"):
    plan_id: int


@dataclass(frozen=True)
class Submit(Press, prefix=PREFIX, action="submit"):
    plan_id: int


@dataclass(frozen=True)
class SendPdf(Press, prefix=PREFIX, action="pdf"):
    plan_id: int


@dataclass(frozen=True)
class Propose(Press, prefix=PREFIX, action="prop"):
    association_id: int


@dataclass(frozen=True)
class Accept(Press, prefix=PREFIX, action="ok"):
    """The person of route step `step` agrees or approves."""

    plan_id: int
    step: int


@dataclass(frozen=True)
class Return(Press, prefix=PREFIX, action="ret"):
    """The person of route step `step` returns the plan (a comment is asked)."""

    plan_id: int
    step: int


@dataclass(frozen=True)
class AnswerProposal(Press, prefix=PREFIX, action="pans"):
    proposal_id: int
    accept: bool
