"""The aiohttp request backend: what PTB sends, and how each failure is reported."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
import telegram
from telegram.error import NetworkError, TimedOut

from bot.request import AiohttpRequest
from scheduler.outbox import _may_not_have_left

CHAT = 4242


@pytest_asyncio.fixture
async def bot(fake_api) -> AsyncIterator[telegram.Bot]:  # type: ignore[no-untyped-def]
    fake_api.add_user(CHAT, "Анна")
    request = AiohttpRequest(pool_size=1, read_timeout=0.5, pool_timeout=0.1)
    async with telegram.Bot(
        fake_api.token,
        base_url=fake_api.base_url,
        base_file_url=fake_api.base_file_url,
        request=request,
    ) as bot:
        yield bot


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_text_and_keyboard_arrive_as_sent(fake_api, bot) -> None:  # type: ignore[no-untyped-def]
    markup = telegram.InlineKeyboardMarkup(
        [[telegram.InlineKeyboardButton("Да", callback_data="y")]]
    )
    message = await bot.send_message(
        CHAT, "<b>Привет</b> &amp; «кавычки»", reply_markup=markup, parse_mode="HTML"
    )
    assert message.text == "Привет & «кавычки»"
    (call,) = fake_api.calls_of("sendMessage")
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "Да"


async def test_a_file_is_uploaded_as_multipart(fake_api, bot) -> None:  # type: ignore[no-untyped-def]
    content = "Протокол № 1\n".encode() * 100
    message = await bot.send_document(
        CHAT, telegram.InputFile(content, filename="протокол.txt"), caption="Документ"
    )
    assert message.document is not None and message.caption == "Документ"
    stored = fake_api.world.files.get(message.document.file_id)
    assert stored.content == content and message.document.file_name == "протокол.txt"
    downloaded = await (await bot.get_file(message.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == content


async def test_refused_connection_is_known_not_to_have_left(fake_api) -> None:  # type: ignore[no-untyped-def]
    request = AiohttpRequest(connect_timeout=1)
    await request.initialize()
    url = f"http://127.0.0.1:{_closed_port()}/bot{fake_api.token}/sendMessage"
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(url)
    finally:
        await request.shutdown()
    assert _may_not_have_left(caught.value)


async def test_pool_timeout_is_known_not_to_have_left(fake_api, bot) -> None:  # type: ignore[no-untyped-def]
    fake_api.latency = 0.3
    first = asyncio.create_task(bot.send_message(CHAT, "first"))
    await asyncio.sleep(0.05)
    with pytest.raises(TimedOut, match="Pool timeout") as caught:
        await bot.send_message(CHAT, "second")
    assert _may_not_have_left(caught.value)
    assert (await first).text == "first"
    assert [c.params["text"] for c in fake_api.calls_of("sendMessage")] == ["first"]


async def test_slow_answer_times_out_and_may_have_left(fake_api, bot) -> None:  # type: ignore[no-untyped-def]
    fake_api.latency = 2.0
    with pytest.raises(TimedOut) as caught:
        await bot.send_message(CHAT, "slow", read_timeout=0.2, write_timeout=0.0)
    assert not _may_not_have_left(caught.value)


async def test_dropped_answer_may_have_left(fake_api, bot) -> None:  # type: ignore[no-untyped-def]
    fake_api.inject_error("sendMessage", drop_connection=True, after_effect=True)
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(CHAT, "lost answer")
    assert not isinstance(caught.value, TimedOut)
    assert not _may_not_have_left(caught.value)
    assert len(fake_api.sent_to(CHAT)) == 1


async def test_unusable_before_initialize_and_after_shutdown() -> None:
    request = AiohttpRequest()
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post("http://127.0.0.1:1/botx/getMe")
    await request.initialize()
    await request.shutdown()
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post("http://127.0.0.1:1/botx/getMe")


async def test_a_proxy_from_the_environment_is_used_unless_bypassed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    request = AiohttpRequest()
    await request.initialize()
    try:
        assert request._proxy_for("https://api.telegram.org/botX/getMe") == (
            "http://proxy.example:3128"
        )
        assert request._proxy_for("http://127.0.0.1:8081/botX/getMe") is None
    finally:
        await request.shutdown()
