"""Method handlers by Bot API method name, and the state they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .updates import UpdateQueue
from .world import World

Params = dict[str, Any]
Handler = Callable[["Context", Params], Any]  # may also return an awaitable
HANDLERS: dict[str, Handler] = {}


@dataclass
class Context:
    """Everything a method handler may read or change."""

    world: World
    updates: UpdateQueue
    commands: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    callback_queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    callback_answers: dict[str, Params] = field(default_factory=dict)
    polls: dict[str, tuple[int, int]] = field(default_factory=dict)  # poll id -> chat, message
    default_menu_button: dict[str, Any] = field(default_factory=lambda: {"type": "commands"})


def handles(*methods: str) -> Callable[[Handler], Handler]:
    """Register a function as the handler of ``methods``."""

    def register(func: Handler) -> Handler:
        for method in methods:
            HANDLERS[method] = func
        return func

    return register
