"""Incoming updates: the getUpdates queue with Telegram's confirmation rules, and webhooks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from dataclasses import dataclass
from typing import Any

import aiohttp

from .errors import ApiError

# Telegram leaves these out unless a bot asks for them in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_LOG = logging.getLogger(__name__)
_WEBHOOK_RETRY_DELAY = 0.05


def update_type(update: dict[str, Any]) -> str:
    """``message``, ``callback_query``, ...: the one key next to ``update_id``."""
    return next((key for key in update if key != "update_id"), "")


@dataclass
class Webhook:
    """What ``setWebhook`` stored."""

    url: str
    secret_token: str | None = None
    max_connections: int | None = None


class UpdateQueue:
    """Updates waiting for the bot; forgotten only once a later ``offset`` confirms them."""

    def __init__(self) -> None:
        self._pending: deque[dict[str, Any]] = deque()
        self._next_id = 1
        self._waiter: asyncio.Future[None] | None = None
        self._delivered: set[int] = set()
        self.answered: list[dict[str, Any]] = []  # delivered at least once, in order
        self.confirmed: list[dict[str, Any]] = []
        self.dropped: list[dict[str, Any]] = []  # filtered out by allowed_updates
        self.allowed_updates: list[str] | None = None
        self.webhook: Webhook | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status)
        self._webhook_task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot."""
        return list(self._pending)

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue ``update`` (``update_id`` is filled in) and wake a long poll or webhook."""
        update = {
            "update_id": self._next_id,
            **{k: v for k, v in update.items() if k != "update_id"},
        }
        self._next_id += 1
        self._pending.append(update)
        self._wake()
        return update

    def redeliver(self, update: dict[str, Any]) -> None:
        """Queue ``update`` again with its own ``update_id``, as Telegram does when it never
        saw the confirmation (a bot that starts afresh polls from offset 0 and gets it)."""
        self._pending.append(dict(update))
        self._pending = type(self._pending)(sorted(self._pending, key=lambda u: u["update_id"]))
        self._wake()

    # --- getUpdates ------------------------------------------------------------------
    async def get(
        self,
        offset: int | None,
        limit: int | None,
        poll_seconds: float | None,
        allowed_updates: list[str] | None,
    ) -> list[dict[str, Any]]:
        """``getUpdates``: confirm below ``offset``, then return or long-poll for updates."""
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if allowed_updates is not None:
            self.allowed_updates = allowed_updates
        self.confirm(offset)
        limit = min(max(limit or 100, 1), 100)
        batch = self._batch(limit)
        if batch or not poll_seconds or poll_seconds <= 0:
            return batch
        await self._long_poll(float(poll_seconds))
        return self._batch(limit)

    def confirm(self, offset: int | None) -> None:
        """Forget updates with ``update_id < offset`` (negative: keep the last ``-offset``)."""
        if offset is None or offset == 0:
            return
        if offset < 0:
            while len(self._pending) > -offset:
                self.confirmed.append(self._pending.popleft())
            return
        while self._pending and self._pending[0]["update_id"] < offset:
            self.confirmed.append(self._pending.popleft())

    def drop_pending(self) -> None:
        """``drop_pending_updates=True``."""
        self.confirmed.extend(self._pending)
        self._pending.clear()

    def _batch(self, limit: int) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        for update in list(self._pending):
            if len(batch) >= limit:
                break
            if not self._is_allowed(update):
                self._pending.remove(update)
                self.dropped.append(update)
                continue
            batch.append(update)
            if update["update_id"] not in self._delivered:
                self._delivered.add(update["update_id"])
                self.answered.append(update)
        return batch

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        kind = update_type(update)
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in OPT_IN_UPDATES

    async def _long_poll(self, seconds: float) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(
                ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            )
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiter = waiter
        try:
            await asyncio.wait_for(asyncio.shield(waiter), seconds)
        except TimeoutError:
            pass
        finally:
            if self._waiter is waiter:
                self._waiter = None

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)
        if self.webhook is not None:
            self._ensure_webhook_task()

    def wake_all(self) -> None:
        """Release a long poll (used on shutdown)."""
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    # --- webhook ---------------------------------------------------------------------
    def set_webhook(self, webhook: Webhook | None) -> None:
        """Store (or with None remove) the webhook and start pushing pending updates."""
        self.webhook = webhook
        if webhook is not None:
            self.wake_all()
            self._ensure_webhook_task()

    def _ensure_webhook_task(self) -> None:
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._push_loop())

    async def _push_loop(self) -> None:
        while self.webhook is not None and self._pending:
            update = self._pending[0]
            if not self._is_allowed(update):
                self.dropped.append(self._pending.popleft())
                continue
            status = await self._post(self.webhook, update)
            self.webhook_deliveries.append((update["update_id"], status))
            if 200 <= status < 300:
                if self._pending and self._pending[0] is update:
                    self.confirmed.append(self._pending.popleft())
                if update["update_id"] not in self._delivered:
                    self._delivered.add(update["update_id"])
                    self.answered.append(update)
            else:
                await asyncio.sleep(_WEBHOOK_RETRY_DELAY)

    async def _post(self, webhook: Webhook, update: dict[str, Any]) -> int:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = {}
        if webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
        try:
            async with self._session.post(webhook.url, json=update, headers=headers) as response:
                return response.status
        except aiohttp.ClientError as exc:
            _LOG.debug("webhook delivery to %s failed: %r", webhook.url, exc)
            return 0

    async def close(self) -> None:
        """Stop webhook pushes and long polls."""
        self.wake_all()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._webhook_task
        if self._session is not None:
            await self._session.close()
            self._session = None
