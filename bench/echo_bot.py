"""The yardstick for CPU per update: a plain python-telegram-bot echo bot, tuned.

What the issue compares the bot against: PTB's Application with concurrent updates, no
persistence, no database, a handler that answers every text with itself. Tuned the ways
plain PTB allows — updates handled concurrently, a connection pool as large as the bot's,
no rate limiter — with PTB's own HTTP layer (`HTTPXRequest`) or, with `aiohttp`, the
bot's `AiohttpRequest` (its limits off), so the two differ only in what the bot does.
`bench_updates.py --modes echo-httpx,echo-aiohttp` runs it in the bot's place, in its own process.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from bot.request import AiohttpRequest

POOL = 32  # as many connections as the bot's CONCURRENT_UPDATES


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


def build_echo_bot(token: str, base_url: str, base_file_url: str, *, aiohttp: bool) -> Application:
    request = AiohttpRequest(pool_size=POOL) if aiohttp else HTTPXRequest(connection_pool_size=POOL)
    updates = AiohttpRequest(pool_size=2, read_timeout=40) if aiohttp else HTTPXRequest()
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .request(request)
        .get_updates_request(updates)
        .concurrent_updates(True)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


async def start_echo_bot(
    token: str, base_url: str, base_file_url: str, *, aiohttp: bool
) -> Application:
    """Started and polling, the way the bench's harness starts the bot."""
    application = build_echo_bot(token, base_url, base_file_url, aiohttp=aiohttp)
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES
    )
    return application


async def stop_echo_bot(application: Application) -> None:
    assert application.updater is not None
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
