"""Running the real Application against the fake Bot API server, as a person would use it."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.settings import Settings, load_settings
from models.db import create_engine
from scheduler import jobs
from tests.fakebot import FakeBotApi

ADMIN_ID = 900_001


def make_settings(api: FakeBotApi, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": api.token,
        "database_url": database_url,
        "bot_api_base_url": api.base_url,
        "bot_api_base_file_url": api.base_file_url,
        "admin_ids": [ADMIN_ID],
        "default_language": "ru",
        "outbox_rate_per_second": 25,
        "outbox_private_interval": 0.0,
        "admin_alert_interval": 0,
        "_env_file": None,
    }
    values.update(overrides)
    return load_settings(**values)


def stop_feature_sweeps(app: Application) -> None:
    assert app.job_queue is not None
    for name in jobs.feature_sweep_names():
        for job in app.job_queue.get_jobs_by_name(name):
            job.schedule_removal()


class BotHarness:
    """Starts, stops and restarts the bot; drives it through the fake server."""

    def __init__(
        self,
        api: FakeBotApi,
        settings: Settings,
        engine_kwargs: dict[str, Any] | None = None,
        *,
        sweeps: bool = False,
    ) -> None:
        self.api = api
        self.settings = settings
        # The features' periodic sweeps run on wall-clock timers; a test calls them itself
        # (at the moment it chooses) unless it asks for the timers.
        self.sweeps = sweeps
        # Extra engine options (pool sizes) for benchmarks; the defaults otherwise.
        self.engine_kwargs = engine_kwargs or {}
        self.app: Application | None = None

    async def start(self) -> Application:
        engine = (
            create_engine(
                self.settings.database_url,
                handlers=self.settings.concurrent_updates,
                **self.engine_kwargs,
            )
            if self.engine_kwargs
            else None
        )
        app = build_application(self.settings, engine=engine)
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES
        )
        await app.start()
        if not self.sweeps:
            stop_feature_sweeps(app)
        self.app = app
        return app

    async def stop(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        assert app.updater is not None
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)

    async def crash(self) -> None:
        """Die without a clean stop: tasks cancelled, nothing flushed or confirmed."""
        app, self.app = self.app, None
        assert app is not None
        worker = app.bot_data["outbox"]
        for task in [worker._task, *worker._in_flight]:
            if task is not None:
                task.cancel()
        assert app.updater is not None
        app.updater._running = False
        for task in asyncio.all_tasks():
            name = task.get_name()
            if "Updater" in name or "Application" in name:
                task.cancel()
        await asyncio.sleep(0.05)
        await app.bot_data["engine"].dispose()

    async def restart(self) -> Application:
        await self.stop()
        return await self.start()

    async def idle(self, seconds: float = 0.05) -> None:
        """Wait until the bot has handled and committed everything it received."""
        await asyncio.sleep(seconds)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while loop.time() < deadline:
            app = self.app
            busy = app is not None and (
                not app.update_queue.empty() or app.bot_data["processor"].active
            )
            if not self.api.pending_updates and not busy:
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the bot did not settle within 10 s\n" + self.api.dump())

    @property
    def sessions(self):  # type: ignore[no-untyped-def]
        assert self.app is not None
        return self.app.bot_data["sessions"]
