"""The buttons of /task and /tasks: one typed press per kind, one table dispatching them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from services.texts import N_

PREFIX = "task1"

BUTTONS = ButtonTable(PREFIX, stale=N_("This button is out of date. Open /tasks."))


@dataclass(frozen=True)
class GiveIn(Press, prefix=PREFIX, action="assoc"):  # the action choose_association uses
    association_id: int


@dataclass(frozen=True)
class Submit(Press, prefix=PREFIX, action="submit"):
    assignment_id: int


@dataclass(frozen=True)
class Accept(Press, prefix=PREFIX, action="ok"):
    assignment_id: int


@dataclass(frozen=True)
class Return(Press, prefix=PREFIX, action="ret"):
    assignment_id: int


@dataclass(frozen=True)
class OpenReview(Press, prefix=PREFIX, action="rev"):
    """A submission waiting for the decision, shown again from /tasks."""

    assignment_id: int


@dataclass(frozen=True)
class Manage(Press, prefix=PREFIX, action="mng"):
    """A given task's screen: move the due date, or cancel the task."""

    task_id: int


@dataclass(frozen=True)
class MoveDue(Press, prefix=PREFIX, action="due"):
    task_id: int


@dataclass(frozen=True)
class Cancel(Press, prefix=PREFIX, action="cnl"):
    """Asks whether to cancel; `confirmed` is the second press."""

    task_id: int
    confirmed: bool = False


@dataclass(frozen=True)
class Keep(Press, prefix=PREFIX, action="keep"):
    task_id: int
