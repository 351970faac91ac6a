"""The child side of `WORKERS` (bot/shards.py): `python -m bot shard K` handles the
updates the receiving process writes to its standard input, one JSON line each."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from typing import Any

from telegram import Update

from bot.app import build_application
from bot.settings import load_settings
from bot.shards import READY, SETTINGS_VARIABLE, WAKE


async def serve_shard(index: int) -> None:
    """`python -m bot shard K`: handle the updates the receiving process writes to stdin."""
    settings = load_settings(_env_file=None, **json.loads(os.environ[SETTINGS_VARIABLE]))
    logging.getLogger().setLevel(settings.log_level.upper())
    application = build_application(settings, shard=index)
    processor = application.bot_data["processor"]
    processor.after_outbox_hooks.append(_signal_wake)
    await application.initialize()
    await application.start()
    reader = await _stdin_reader()
    sys.stdout.buffer.write(READY + b"\n")
    sys.stdout.flush()
    try:
        while line := await reader.readline():
            payload: Any = json.loads(line)
            update = Update.de_json(payload, application.bot)
            if update is not None:
                await application.update_queue.put(update)
    finally:  # stop() handles what is queued first
        await application.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


async def _stdin_reader() -> asyncio.StreamReader:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**22)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return reader


def _signal_wake() -> None:
    sys.stdout.buffer.write(WAKE + b"\n")
    sys.stdout.flush()
