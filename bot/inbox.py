"""Updates are written to the database before Telegram is told they arrived.

PTB confirms a batch of updates (the next getUpdates offset) as soon as it has queued
them, before they are handled. Storing each update first means a crash loses nothing:
at start the unhandled ones are replayed, and redeliveries are recognised by update_id.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import ExtBot

from bot.workers import UPDATES_CHANNEL, notify
from models import ReceivedUpdate
from models.db import unit_of_work
from services.clock import now

log = logging.getLogger(__name__)

KEEP_HANDLED_FOR = timedelta(days=7)


class InboxBot(ExtBot[None]):
    """An ExtBot whose getUpdates stores new updates durably before they are confirmed.

    Known updates are still returned, so the next getUpdates confirms them (otherwise
    Telegram would offer them forever); the processor skips the ones already handled.
    """

    _inbox_sessions: async_sessionmaker[AsyncSession] | None = None
    _fresh: set[int] | None = None

    def attach_inbox(self, sessions: async_sessionmaker[AsyncSession], fresh: set[int]) -> None:
        """Store updates with `sessions`; add the ids of newly stored ones to `fresh`."""
        self._inbox_sessions = sessions
        self._fresh = fresh

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        updates = await super().get_updates(*args, **kwargs)
        if not updates or self._inbox_sessions is None:
            return updates
        new_ids = await store_new(self._inbox_sessions, updates)
        if self._fresh is not None:
            self._fresh.update(new_ids)
        return updates


async def store_new(
    sessions: async_sessionmaker[AsyncSession], updates: Sequence[Update]
) -> set[int]:
    """Insert the updates not seen before; return their ids."""
    ids = [u.update_id for u in updates]
    async with unit_of_work(sessions) as session:
        known = set(
            (
                await session.scalars(
                    select(ReceivedUpdate.update_id).where(ReceivedUpdate.update_id.in_(ids))
                )
            ).all()
        )
        fresh = [update for update in updates if update.update_id not in known]
        for update in fresh:
            session.add(
                ReceivedUpdate(
                    update_id=update.update_id,
                    payload=update.to_dict(),
                    received_at=now(),
                    lane=lane_of(update),
                )
            )
        if fresh:
            await notify(session, UPDATES_CHANNEL)
    if known:
        log.info("skipping %d update(s) already received: %s", len(known), sorted(known))
    return set(ids) - known


def lane_of(update: Update) -> str | None:
    """The chat and the person: their updates are handled one at a time, in order."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None and user is None:
        return None
    return f"{chat.id if chat else ''}:{user.id if user else ''}"


async def unhandled(sessions: async_sessionmaker[AsyncSession], bot: ExtBot[Any]) -> list[Update]:
    """Updates stored but not handled when the bot last stopped, oldest first."""
    async with sessions() as session:
        rows = await session.scalars(
            select(ReceivedUpdate)
            .where(ReceivedUpdate.handled_at.is_(None), ReceivedUpdate.payload.is_not(None))
            .order_by(ReceivedUpdate.update_id)
        )
        return [u for row in rows if (u := Update.de_json(row.payload, bot)) is not None]


async def prune(session: AsyncSession) -> int:
    """Forget handled update ids after a week (Telegram never repeats them that late)."""
    result = await session.execute(
        delete(ReceivedUpdate).where(
            ReceivedUpdate.handled_at.is_not(None),
            ReceivedUpdate.handled_at < now() - KEEP_HANDLED_FOR,
        )
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
