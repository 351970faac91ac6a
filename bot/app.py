"""Building the Application: the one place where everything is wired, in order."""

from __future__ import annotations

import logging
from types import ModuleType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults, TypeHandler

from bot.commands import CommandSpec, publish
from bot.context import BotContext, make_context_types
from bot.errors import on_error
from bot.inbox import InboxBot, unhandled
from bot.processor import OrderedUpdateProcessor
from bot.render import Renderer
from bot.request import AiohttpRequest
from bot.settings import Settings
from bot.workers import OUTBOX_CHANNEL, listen, notify_outbox
from handlers import (
    activity,
    admin,
    announcements,
    associations,
    certificates,
    common,
    consultations,
    contests,
    correspondence,
    events,
    groups,
    meetings,
    members,
    newsletters,
    plans,
    polls,
    privacy,
    profile,
    protocols,
    regulations,
    report,
    resources,
    surveys,
    tasks,
    uploads,
)
from handlers import settings as settings_handlers
from models.db import (
    connection_limit,
    connections_needed,
    create_engine,
    create_session_factory,
)
from models.migrate import ensure_schema_current, upgrade_async
from scheduler import jobs
from scheduler.outbox import OutboxWorker, WorkerConfig
from scheduler.ratelimit import SendLimits
from services import offload

log = logging.getLogger(__name__)

# Order matters: commands and feature buttons first, the catch-all fallbacks last.
FEATURES: list[ModuleType] = [
    common,
    profile,
    settings_handlers,
    privacy,
    admin,
    associations,
    members,
    activity,
    correspondence,
    groups,
    announcements,
    meetings,
    plans,
    protocols,
    newsletters,
    consultations,
    events,
    tasks,
    polls,
    surveys,
    regulations,
    uploads,
    resources,
    report,
    certificates,
    contests,
]


def all_commands() -> list[CommandSpec]:
    specs: list[CommandSpec] = []
    for feature in FEATURES:
        specs.extend(getattr(feature, "COMMANDS", []))
    return specs


def build_application(
    settings: Settings, *, engine: AsyncEngine | None = None, worker: bool = False
) -> Application:
    """The bot, ready for run_polling, the webhook server (bot/webhook.py) or manual
    initialize/start in tests.

    With `worker` it is an update worker (`python -m bot worker`, bot/workers.py): it handles
    the stored updates it claims and nothing else (no receiving, no outbox delivery, no
    scheduled jobs); it tells the receiver when it has added to the outbox.
    """
    engine = engine or create_engine(settings.database_url, handlers=settings.concurrent_updates)
    sessions = create_session_factory(engine)
    processor = OrderedUpdateProcessor(sessions, settings, in_flight=settings.concurrent_updates)
    # One budget per scope for the whole process: direct replies (through the request
    # layer) and the outbox spend the same limits (docs/ARCHITECTURE.md, "Flood control").
    limits = SendLimits(
        rate=settings.outbox_rate_per_second,
        private_interval=settings.outbox_private_interval,
        group_per_minute=settings.outbox_group_per_minute,
    )
    request = AiohttpRequest(
        pool_size=settings.http_pool_size,
        read_timeout=15,
        write_timeout=15,
        media_write_timeout=60,
        connect_timeout=10,
        pool_timeout=10,
        limits=limits,
    )
    updates_request = AiohttpRequest(pool_size=2, read_timeout=40)
    bot = InboxBot(
        settings.bot_token,
        base_url=settings.bot_api_base_url,
        base_file_url=settings.bot_api_base_file_url,
        request=request,
        get_updates_request=updates_request,
        defaults=Defaults(
            parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        ),
    )
    if not worker:
        bot.attach_inbox(sessions, processor.fresh_update_ids)
    application = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(make_context_types())
        .concurrent_updates(processor)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data.update(
        settings=settings,
        engine=engine,
        sessions=sessions,
        renderer=Renderer(),
        processor=processor,
        role="worker" if worker else "bot",
    )
    outbox = OutboxWorker(
        bot,
        sessions,
        WorkerConfig(
            rate=settings.outbox_rate_per_second,
            private_interval=settings.outbox_private_interval,
            group_per_minute=settings.outbox_group_per_minute,
            max_attempts=settings.outbox_max_attempts,
        ),
        limits=limits,
    )
    application.bot_data["outbox"] = outbox
    application.bot_data["notices"] = processor.notices
    application.bot_data["sweeps"] = jobs.SweepRunner(
        sessions, processor.notices, outbox.wake, settings=settings
    )
    if worker:
        processor.receive_only = False  # a worker handles, whatever HANDLE_UPDATES says
        processor.after_outbox_hooks.append(lambda: notify_outbox(engine))
    else:
        processor.after_outbox_hooks.append(outbox.wake)
    _wire(application)
    return application


def _wire(application: Application) -> None:
    common.set_command_registry(all_commands())
    for feature in FEATURES:
        feature.register(application)
    common.register_fallbacks(application)
    application.add_error_handler(on_error)  # type: ignore[arg-type]


async def _post_init(application: Application) -> None:
    data: dict[str, Any] = application.bot_data
    settings: Settings = data["settings"]
    if settings.auto_migrate:
        await upgrade_async(data["engine"])
    await ensure_schema_current(data["engine"])
    await _warn_if_connections_run_short(data["engine"], settings)
    if data["role"] == "worker":
        return
    await publish(application.bot, all_commands(), settings.default_language)
    if settings.handle_updates:
        for update in await unhandled(data["sessions"], application.bot):
            await application.update_queue.put(update)
    elif data["engine"].dialect.name == "postgresql":
        # Workers on other machines add to the outbox: they say so.
        data["outbox_listener"] = await listen(data["engine"], OUTBOX_CHANNEL, data["outbox"].wake)
    await data["outbox"].start()
    await data["sweeps"].renew()
    jobs.schedule(application)
    if settings.web_port is not None:
        # The public verification page (bot/web.py): served by the receiving process.
        from bot.web import WebServer

        data["web"] = WebServer.from_settings(settings, data["sessions"])
        await data["web"].start()


async def _warn_if_connections_run_short(engine: AsyncEngine, settings: Settings) -> None:
    """Say at start, not under load, that PostgreSQL would refuse some of our connections."""
    limit = await connection_limit(engine)
    needed = connections_needed(settings.concurrent_updates)
    if limit is not None and needed > limit:
        log.warning(
            "PostgreSQL accepts %d connections, but this process with CONCURRENT_UPDATES=%d "
            "may open up to %d (and each worker as many): under load some updates would fail "
            "with 'too many clients'. Raise max_connections or lower CONCURRENT_UPDATES.",
            limit,
            settings.concurrent_updates,
            needed,
        )


async def _post_stop(application: Application) -> None:
    if application.bot_data["role"] == "worker":
        return
    if "web" in application.bot_data:
        await application.bot_data.pop("web").stop()
    if "outbox_listener" in application.bot_data:
        application.bot_data.pop("outbox_listener").cancel()
    await application.bot_data["sweeps"].release()
    await application.bot_data["outbox"].stop()


async def _post_shutdown(application: Application) -> None:
    offload.shutdown()
    await application.bot_data["engine"].dispose()


__all__ = ["BotContext", "TypeHandler", "Update", "build_application"]
