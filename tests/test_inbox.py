"""The inbox stores each update as Telegram sent it, and replies skip PTB's Message."""

from __future__ import annotations

import pytest
import telegram
from sqlalchemy import select

from bot.inbox import InboxBot, unhandled
from bot.request import AiohttpRequest
from models import ReceivedUpdate
from tests.flows import say

PERSON = 730_001


def _refuse(*_: object, **__: object) -> None:
    raise AssertionError("re-serialised or re-parsed: the inbox and replies keep the JSON")


async def test_updates_are_stored_as_telegram_sent_them(fake_api, sessions, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fake_api.add_user(PERSON, "Ольга")
    sent = fake_api.user_sends(PERSON, "/start привет")
    monkeypatch.setattr(telegram.Update, "to_dict", _refuse)
    fresh: set[int] = set()
    request = AiohttpRequest(pool_size=2, read_timeout=5)
    async with InboxBot(fake_api.token, base_url=fake_api.base_url, request=request) as bot:
        bot.attach_inbox(sessions, fresh)
        updates = await bot.get_updates(timeout=0)
        assert [u.update_id for u in updates] == [sent["update_id"]]
        assert fresh == {sent["update_id"]}
        async with sessions() as session:
            stored = await session.scalar(select(ReceivedUpdate))
        assert stored is not None
        assert stored.payload == sent
        assert stored.lane == f"{PERSON}:{PERSON}"
        replayed = await unhandled(sessions, bot)
    assert [u.effective_message.text for u in replayed] == ["/start привет"]  # type: ignore[union-attr]


async def test_a_reply_skips_ptbs_message(harness, fake_api, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(telegram.Bot, "_send_message", _refuse)
    fake_api.add_user(PERSON, language_code="ru")
    assert await say(fake_api, PERSON, "/start", "Согласие")
    sent = fake_api.calls_of("sendMessage")[-1]
    assert sent.params["parse_mode"] == "HTML"
    assert sent.params["link_preview_options"] == {"is_disabled": True}
    with pytest.raises(AssertionError):
        await harness.app.bot.send_message(PERSON, "the PTB way still builds the Message")
