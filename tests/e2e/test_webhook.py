"""Webhook mode: an update is stored before the 200; the secret token is required; bodies
that are not updates get 400; a burst is handled once each, redeliveries skipped."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest_asyncio
from sqlalchemy import func, select

from bot.app import build_application
from bot.webhook import WebhookServer
from models import ReceivedUpdate
from tests.harness import make_settings

SECRET = "s3cret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(update_id: int, user: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": user, "type": "private"},
            "from": {"id": user, "is_bot": False, "first_name": "A", "language_code": "ru"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


@pytest_asyncio.fixture
async def webhook(fake_api, database_url) -> AsyncIterator[tuple[Any, str]]:  # type: ignore[no-untyped-def]
    port = _free_port()
    settings = make_settings(
        fake_api,
        database_url,
        webhook_url=f"http://127.0.0.1:{port}/hook",
        webhook_secret=SECRET,
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    app = build_application(settings)
    server = WebhookServer(app, settings)
    await app.initialize()
    await app.post_init(app)
    await app.start()
    await server.start()
    try:
        yield app, f"http://127.0.0.1:{port}/hook"
    finally:
        await server.stop()
        await app.stop()
        await app.post_stop(app)
        await app.shutdown()
        await app.post_shutdown(app)


async def _post(
    http: aiohttp.ClientSession, url: str, body: Any, secret: str | None = SECRET
) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    data = body if isinstance(body, str) else None
    async with http.post(url, json=None if data else body, data=data, headers=headers) as answer:
        return answer.status


async def _stored(app, update_id: int) -> bool:  # type: ignore[no-untyped-def]
    async with app.bot_data["sessions"]() as session:
        return await session.get(ReceivedUpdate, update_id) is not None


async def test_the_secret_is_required_and_an_update_is_stored_before_the_200(
    fake_api, webhook
) -> None:  # type: ignore[no-untyped-def]
    app, url = webhook
    assert fake_api.calls_of("setWebhook")[-1].params["secret_token"] == SECRET
    fake_api.add_user(42)
    async with aiohttp.ClientSession() as http:
        assert await _post(http, url, _start(1, 42), secret="wrong") == 403
        assert await _post(http, url, _start(1, 42), secret=None) == 403
        assert not await _stored(app, 1)
        assert await _post(http, url, _start(1, 42)) == 200
        # Acknowledged means stored: a crash now would replay it at the next start.
        assert await _stored(app, 1)
    await fake_api.wait_for_message(42, "Согласие")


async def test_malformed_bodies_are_refused(fake_api, webhook) -> None:  # type: ignore[no-untyped-def]
    _app, url = webhook
    async with aiohttp.ClientSession() as http:
        assert await _post(http, url, "{not json") == 400
        assert await _post(http, url, [1, 2]) == 400
        assert await _post(http, url, {"message": {}}) == 400
        assert await _post(http, url, {"update_id": "x"}) == 400
    assert not fake_api.calls_of("sendMessage")


async def test_a_burst_is_handled_once_each_and_redeliveries_are_skipped(fake_api, webhook) -> None:  # type: ignore[no-untyped-def]
    app, url = webhook
    users = [43_000 + n for n in range(30)]
    for user in users:
        fake_api.add_user(user)
    async with aiohttp.ClientSession() as http:
        statuses = await asyncio.gather(
            *(_post(http, url, _start(100 + n, user)) for n, user in enumerate(users))
        )
        assert statuses == [200] * len(users)
        # Telegram repeats what it thinks was not delivered: the same ids again.
        again = await asyncio.gather(
            *(_post(http, url, _start(100 + n, u)) for n, u in enumerate(users[:5]))
        )
        assert again == [200] * 5
    for user in users:
        await fake_api.wait_for_message(user, "Согласие", timeout=30)
    await asyncio.sleep(0.3)
    for user in users:
        greetings = [m for m in fake_api.sent_to(user) if "Согласие" in (m.get("text") or "")]
        assert len(greetings) == 1, user
    async with app.bot_data["sessions"]() as session:
        handled = await session.scalar(
            select(func.count())
            .select_from(ReceivedUpdate)
            .where(ReceivedUpdate.handled_at.is_not(None))
        )
    assert handled == len(users)
