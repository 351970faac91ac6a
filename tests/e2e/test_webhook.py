"""Webhook mode: updates are accepted only with Telegram's secret-token header."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from bot.__main__ import webhook_options
from bot.app import build_application
from tests.harness import make_settings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_webhook_checks_the_secret_token(fake_api, database_url):
    port = _free_port()
    settings = make_settings(
        fake_api,
        database_url,
        webhook_url=f"http://127.0.0.1:{port}/hook",
        webhook_secret="s3cret",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    app = build_application(settings)
    await app.initialize()
    await app.post_init(app)
    await app.updater.start_webhook(**webhook_options(settings))
    await app.start()
    try:
        assert fake_api.calls_of("setWebhook")[-1].params["secret_token"] == "s3cret"
        fake_api.add_user(42)
        body = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 42, "type": "private"},
                "from": {"id": 42, "is_bot": False, "first_name": "A", "language_code": "ru"},
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        url = f"http://127.0.0.1:{port}/hook"
        async with aiohttp.ClientSession() as http:
            forged = await http.post(
                url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            )
            assert forged.status == 403
            genuine = await http.post(
                url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            )
            assert genuine.status == 200
        await fake_api.wait_for_message(42, "Согласие")
    finally:
        await app.updater.stop()
        await app.stop()
        await app.post_stop(app)
        await app.shutdown()
        await app.post_shutdown(app)
