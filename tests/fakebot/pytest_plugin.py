"""Ready-made fixtures: add ``pytest_plugins = ["tests.fakebot.pytest_plugin"]`` to conftest."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
import telegram

from .server import FakeBotApi


@pytest_asyncio.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    """A started :class:`FakeBotApi`; the test fails if the bot broke the Bot API spec."""
    async with FakeBotApi() as api:
        yield api
        api.assert_clean()


@pytest_asyncio.fixture
async def fake_bot(fake_api: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    """An initialized PTB ``Bot`` talking to ``fake_api``."""
    async with telegram.Bot(
        fake_api.token, base_url=fake_api.base_url, base_file_url=fake_api.base_file_url
    ) as bot:
        yield bot
