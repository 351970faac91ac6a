"""`/start <payload>` links: features register what a payload prefix means.

A payload survives registration: an unregistered person is registered first, then the
link is acted on.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from telegram import Update

from bot.context import BotContext

Action = Callable[[Update, BotContext, str], Awaitable[None]]

_actions: dict[str, tuple[Action, bool]] = {}
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def on_payload(prefix: str, action: Action, *, needs_registration: bool = True) -> None:
    """Call `action(update, context, rest)` for `/start <prefix><rest>`."""
    _actions[prefix] = (action, needs_registration)


def clean(payload: str | None) -> str | None:
    """The payload if it is well-formed (Telegram allows [A-Za-z0-9_-], up to 64)."""
    return payload if payload and _PAYLOAD.match(payload) else None


def needs_registration(payload: str) -> bool:
    found = _find(payload)
    return found is None or found[1][1]


def _find(payload: str) -> tuple[str, tuple[Action, bool]] | None:
    for prefix, entry in _actions.items():
        if payload.startswith(prefix):
            return prefix, entry
    return None


async def act(update: Update, context: BotContext, payload: str) -> bool:
    """Run the action for `payload`; False if no feature knows it."""
    found = _find(payload)
    if found is None:
        return False
    prefix, (action, _) = found
    await action(update, context, payload[len(prefix) :])
    return True
