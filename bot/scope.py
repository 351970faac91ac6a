"""The unit of work of one update: its database session, its person, their language."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from models import User
from services.access import Actor


@dataclass
class UpdateScope:
    session: AsyncSession
    translator: Translator
    actor: Actor | None
    user: User | None
    # Set by the error handler: the processor then rolls the session back.
    failed: bool = False
    after_commit: list = field(default_factory=list)
    # Bot API calls the handlers need not wait for (answering a button press while the
    # message is edited); the processor waits for them before it commits.
    alongside: list[asyncio.Task[Any]] = field(default_factory=list)

    def run_alongside(self, call: Coroutine[Any, Any, Any]) -> None:
        self.alongside.append(asyncio.create_task(call))

    async def settle(self) -> None:
        """Wait for the calls run alongside; a failed one is logged (nothing depends on it)."""
        tasks, self.alongside = self.alongside, []
        for outcome in await asyncio.gather(*tasks, return_exceptions=True):
            if isinstance(outcome, Exception):
                log.warning("a call made alongside the handler failed: %r", outcome)


log = logging.getLogger(__name__)

current_scope: ContextVar[UpdateScope | None] = ContextVar("current_scope", default=None)


def scope() -> UpdateScope:
    """The scope of the update being handled (only inside a handler)."""
    value = current_scope.get()
    if value is None:
        raise RuntimeError("no update is being handled in this task")
    return value
