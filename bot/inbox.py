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
    Each update is stored as Telegram sent it (the JSON of the answer), not re-serialised
    from PTB's objects. `post` is a Bot API call whose answer stays JSON: the replies
    need only the sent message's id, and building PTB's whole Message for each one was
    the largest single cost of an update after the HTTP call itself.
    """

    _inbox_sessions: async_sessionmaker[AsyncSession] | None = None
    _fresh: set[int] | None = None
    _raw_updates: list[dict[str, Any]] | None = None

    def attach_inbox(self, sessions: async_sessionmaker[AsyncSession], fresh: set[int]) -> None:
        """Store updates with `sessions`; add the ids of newly stored ones to `fresh`."""
        self._inbox_sessions = sessions
        self._fresh = fresh

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        self._raw_updates = None
        updates = await super().get_updates(*args, **kwargs)
        if not updates or self._inbox_sessions is None:
            return updates
        raw = self._raw_updates or []
        if len(raw) != len(updates):  # not through _do_post (never, but then re-serialise)
            raw = [update.to_dict() for update in updates]
        new_ids = await store_new(self._inbox_sessions, list(zip(updates, raw, strict=True)))
        if self._fresh is not None:
            self._fresh.update(new_ids)
        return updates

    async def _do_post(self, endpoint: str, data: dict[str, Any], **kwargs: Any) -> Any:
        result = await super()._do_post(endpoint, data, **kwargs)
        if endpoint == "getUpdates" and isinstance(result, list):
            self._raw_updates = result  # one getUpdates at a time (PTB's Updater)
        return result

    async def post(self, method: str, data: dict[str, Any]) -> Any:
        """Call `method` with PTB's defaults inserted; Telegram's answer as JSON."""
        return await self._post(method, data)


async def store_new(
    sessions: async_sessionmaker[AsyncSession], received: Sequence[tuple[Update, dict[str, Any]]]
) -> set[int]:
    """Insert the updates not seen before (each with Telegram's JSON); return their ids."""
    ids = [update.update_id for update, _ in received]
    async with unit_of_work(sessions) as session:
        known = set(
            (
                await session.scalars(
                    select(ReceivedUpdate.update_id).where(ReceivedUpdate.update_id.in_(ids))
                )
            ).all()
        )
        fresh = [(update, raw) for update, raw in received if update.update_id not in known]
        for update, raw in fresh:
            session.add(
                ReceivedUpdate(
                    update_id=update.update_id,
                    payload=raw,
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
