"""Notices: a service says who is to be told what; the bot says it in words.

A use case that has to tell somebody something on its own initiative (an invitation, a
decision, a reminder) does not compose text. It records a `Notice` — a kind, a recipient
and the parameters the words need — with `tell(session, ...)`. At the end of the unit of
work, before the commit, the bot's renderer (`bot/notices.py`) words every recorded notice
in its recipient's language and puts it in the outbox, in the same transaction. A unit of
work that fails drops its notices with its other writes.

The parameters are plain values and the objects the service already holds (views, rows);
they are used before the commit and never stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from models import User

PENDING = "notices_pending"


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell one recipient: a person (`user`, in their private chat and their
    language) or a chat (`chat_id`, a group, in the network's language).

    The delivery fields (`dedupe_key`, `batch`, `not_before`, `priority`, `file_id`, `pin`,
    `thread_id`, `edit_of`) mean what they mean for an outbox row (services/outbox.py).
    """

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    user: User | None = None
    chat_id: int | None = None
    thread_id: int | None = None
    dedupe_key: str | None = None
    batch: str | None = None
    not_before: datetime | None = None
    priority: int = 5
    file_id: int | None = None
    media: str = "document"  # how `file_id` is sent: "document" or "photo"
    pin: bool = False
    edit_of: str | None = None

    def __post_init__(self) -> None:
        if (self.user is None) == (self.chat_id is None):
            raise ValueError(f"a notice {self.kind!r} needs exactly one recipient")


def tell(session: AsyncSession, *notices: Notice) -> None:
    """Record notices to be worded and enqueued when this unit of work ends."""
    session.info.setdefault(PENDING, []).extend(notices)


def take_pending(session: AsyncSession) -> list[Notice]:
    """The notices recorded in this session, forgotten by it (the renderer's side)."""
    return session.info.pop(PENDING, [])


def discard_pending(session: AsyncSession) -> None:
    """Forget what was recorded (the unit of work was rolled back)."""
    session.info.pop(PENDING, None)


def has_pending(session: AsyncSession | Session) -> bool:
    return bool(session.info.get(PENDING))
