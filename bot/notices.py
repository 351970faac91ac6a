"""The one place where notices become words: rendered in the recipient's language, enqueued.

Each feature declares how its kinds of notice read, next to its handlers
(`handlers/<feature>/notices.py`):

    @renders("meeting.cancelled")
    def cancelled(t: Translator, notice: Notice) -> Rendered:
        view = notice.params["view"]
        return Rendered(t.gettext("❌ The meeting «{topic}» is cancelled.", topic=view.topic))

The unit of work (an update in bot/processor.py, a sweep in scheduler/jobs.py) calls
`NoticeRenderer.deliver(session)` before it commits; a commit with notices still pending
is refused, so a forgotten delivery fails loudly instead of losing messages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.i18n import Translator, pick_language
from services.notices import Notice, has_pending, take_pending
from services.outbox import Buttons, Outgoing, enqueue


@dataclass(frozen=True, slots=True)
class Rendered:
    """A notice in words: HTML text and buttons as outbox data (services/outbox.py)."""

    text: str
    buttons: Buttons | None = None
    disable_preview: bool = True


Render = Callable[[Translator, Notice], Rendered | None]

_RENDERERS: dict[str, Render] = {}


def renders(kind: str) -> Callable[[Render], Render]:
    """Declare how notices of `kind` read (a function returning None sends nothing)."""

    def register(render: Render) -> Render:
        if kind in _RENDERERS and _RENDERERS[kind] is not render:
            raise ValueError(f"notice kind {kind!r} is rendered twice")
        _RENDERERS[kind] = render
        return render

    return register


def known_kinds() -> set[str]:
    return set(_RENDERERS)


class NoticeRenderer:
    """Words notices in their recipients' languages and puts them in the outbox."""

    def __init__(self, default_language: str) -> None:
        self.default_language = default_language
        self._translators: dict[str, Translator] = {}

    def translator(self, notice: Notice) -> Translator:
        person = notice.user
        language = (
            pick_language(person.language, person.telegram_language, self.default_language)
            if person is not None
            else self.default_language
        )
        if language not in self._translators:  # a sweep words hundreds of notices
            self._translators[language] = Translator(language)
        return self._translators[language]

    def outgoing(self, notice: Notice) -> Outgoing | None:
        """The notice as an outbox message, or None (nobody to reach, nothing to say)."""
        chat_id = notice.chat_id if notice.user is None else notice.user.telegram_id
        if not chat_id:
            return None  # the person erased their data or never started the bot
        render = _RENDERERS.get(notice.kind)
        if render is None:
            raise LookupError(f"no renderer for the notice kind {notice.kind!r}")
        words = render(self.translator(notice), notice)
        if words is None:
            return None
        return Outgoing(
            chat_id=chat_id,
            text=words.text,
            kind=_message_kind(notice),
            buttons=words.buttons,
            file_id=notice.file_id,
            dedupe_key=notice.dedupe_key,
            thread_id=notice.thread_id,
            pin=notice.pin,
            disable_preview=words.disable_preview,
            edit_of=notice.edit_of,
        )

    async def deliver(self, session: AsyncSession) -> int:
        """Word and enqueue every notice recorded in `session`; returns the rows added."""
        groups: dict[tuple[str | None, datetime | None, int], list[Outgoing]] = defaultdict(list)
        for notice in take_pending(session):
            message = self.outgoing(notice)
            if message is not None:
                groups[(notice.batch, notice.not_before, notice.priority)].append(message)
        added = 0
        for (batch, not_before, priority), messages in groups.items():
            added += await enqueue(
                session, messages, batch=batch, not_before=not_before, priority=priority
            )
        return added


def _message_kind(notice: Notice) -> str:
    if notice.edit_of is not None:
        return "edit"
    return notice.media if notice.file_id is not None else "text"


@event.listens_for(Session, "before_commit")
def _refuse_undelivered(session: Session) -> None:
    """A unit of work that recorded notices must deliver them before it commits."""
    if has_pending(session):  # the same `info` as its AsyncSession's
        raise RuntimeError(
            "notices were recorded but not delivered: call NoticeRenderer.deliver(session) "
            "before the commit"
        )
