"""The unit of work of one update: its database session, its person, their language."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

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


current_scope: ContextVar[UpdateScope | None] = ContextVar("current_scope", default=None)


def scope() -> UpdateScope:
    """The scope of the update being handled (only inside a handler)."""
    value = current_scope.get()
    if value is None:
        raise RuntimeError("no update is being handled in this task")
    return value
