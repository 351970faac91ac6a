"""Webhook mode: Telegram POSTs each update; it is stored before the 200 goes back.

PTB's own webhook server answers 200 once the update is in its in-memory queue, so a crash
right after loses the update (Telegram will not send it again). Here the update is written
to the database first (bot/inbox.py), and only then acknowledged; a redelivered update is
recognised by its id. Requests without the secret token get 403, bodies that are not an
update get 400. With HANDLE_UPDATES=false the stored updates are left to the workers.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.inbox import store_new
from bot.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # Telegram's updates are far smaller; a bigger body is not one of them


def webhook_path(settings: Settings) -> str:
    return "/" + (urlsplit(settings.webhook_url).path.strip("/") or "telegram")


class WebhookServer:
    """An aiohttp server in the bot's process receiving Telegram's POSTs."""

    def __init__(self, application: Application, settings: Settings) -> None:
        self.application = application
        self.settings = settings
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(webhook_path(self.settings), self.receive)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self._app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.webhook_listen, self.settings.webhook_port)
        await site.start()
        self.port = self.settings.webhook_port
        await self.application.bot.set_webhook(
            self.settings.webhook_url,
            secret_token=self.settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.settings.webhook_secret.encode()):
            return web.Response(status=403, text="forbidden")
        parsed = await self._parse(request)
        if parsed is None:
            return web.Response(status=400, text="not an update")
        update, body = parsed
        data: dict[str, Any] = self.application.bot_data
        fresh = await store_new(data["sessions"], [(update, body)])
        processor = data["processor"]
        if fresh and not processor.receive_only:
            processor.fresh_update_ids.update(fresh)
            await self.application.update_queue.put(update)
        return web.Response(status=200)

    async def _parse(self, request: web.Request) -> tuple[Update, dict[str, Any]] | None:
        """The update and the JSON Telegram sent (what is stored); None for anything else."""
        try:
            body = await request.json(loads=json.loads)
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(body, dict) or not isinstance(body.get("update_id"), int):
            return None
        try:
            update = Update.de_json(body, self.application.bot)
        except (KeyError, TypeError, ValueError):
            return None
        return (update, body) if update is not None else None


async def serve(application: Application, settings: Settings) -> None:
    """Run the bot in webhook mode until SIGINT/SIGTERM (PTB's lifecycle, our server)."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    server = WebhookServer(application, settings)
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    await server.start()
    log.info("webhook server listening on %s:%s", settings.webhook_listen, settings.webhook_port)
    try:
        await stopping.wait()
    finally:
        await server.stop()
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
