"""Open dialogs (multi-step forms) stored per chat and user, in the update's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models import DialogState
from services.clock import now

# (chat, user) pairs known to have no open dialog in this session: the identity map keeps
# what was found, not what was missing, and an update asks more than once (the dialogs'
# router, then the command's handler).
_NONE_OPEN = "dialogs.none_open"


def _none_open(session: AsyncSession) -> set[tuple[int, int]]:
    return session.info.setdefault(_NONE_OPEN, set())


async def load(session: AsyncSession, *, chat_id: int, user_id: int) -> DialogState | None:
    if (chat_id, user_id) in _none_open(session):
        return None
    state = await session.get(DialogState, (chat_id, user_id))
    if state is None:
        _none_open(session).add((chat_id, user_id))
    return state


async def begin(
    session: AsyncSession,
    *,
    chat_id: int,
    user_id: int,
    dialog: str,
    step: str,
    data: dict[str, Any] | None = None,
) -> DialogState:
    """Start a dialog, replacing whatever dialog this chat and user had open."""
    state = await load(session, chat_id=chat_id, user_id=user_id)
    if state is None:
        state = DialogState(
            chat_id=chat_id,
            user_id=user_id,
            dialog=dialog,
            step=step,
            data=dict(data or {}),
            updated_at=now(),
        )
        session.add(state)
        _none_open(session).discard((chat_id, user_id))
    else:
        state.dialog, state.step, state.data, state.updated_at = (
            dialog,
            step,
            dict(data or {}),
            now(),
        )
    return state


async def end(session: AsyncSession, *, chat_id: int, user_id: int) -> bool:
    """Close the open dialog; False if there was none.

    An ORM delete, not a DELETE statement: it is written at commit, so the update does not
    hold SQLite's write lock while it talks to Telegram.
    """
    state = await load(session, chat_id=chat_id, user_id=user_id)
    if state is None:
        return False
    await session.delete(state)
    return True
