"""WORKERS=2: a second process handles the chats of shard 1; each chat stays in order in
one process, a registration finishes there, and a child killed mid-flight is started again
and given the updates it had not handled — each answered once."""

from __future__ import annotations

import asyncio
import os
import signal

from sqlalchemy import select
from telegram import Update

from bot.shards import shard_of
from models import User
from tests.flows import register_teacher, say
from tests.harness import BotHarness, make_settings

EVEN = (760_000, 760_002, 760_004)  # private chat id = user id: shard 0, this process
ODD = (760_001, 760_003, 760_005)  # shard 1: the child process


def _message_update(chat_id: int, user_id: int) -> Update:
    chat_type = "private" if chat_id > 0 else "supergroup"
    payload = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": chat_id, "type": chat_type, "title": "ВМО"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Анна"},
            "text": "/help",
        },
    }
    update = Update.de_json(payload, None)
    assert update is not None
    return update


def test_a_chat_belongs_to_one_shard() -> None:
    assert [shard_of(_message_update(c, c), 2) for c in (*EVEN, *ODD)] == [0, 0, 0, 1, 1, 1]
    # Everyone in a group is handled where the group is: its messages stay in order.
    group = -100_760_001
    assert {shard_of(_message_update(group, user), 3) for user in (*EVEN, *ODD)} == {abs(group) % 3}
    assert shard_of(_message_update(ODD[0], ODD[0]), 1) == 0
    assert shard_of(object(), 2) == 0


async def test_two_processes_share_the_chats_and_survive_a_killed_child(fake_api, database_url):  # type: ignore[no-untyped-def]
    harness = BotHarness(fake_api, make_settings(fake_api, database_url, workers=2))
    await harness.start()
    try:
        router = harness.app.bot_data["shards"]
        for telegram_id in (*EVEN, *ODD):
            fake_api.add_user(telegram_id, "Анна")
            fake_api.user_sends(telegram_id, "/start")
        for telegram_id in (*EVEN, *ODD):
            await fake_api.wait_for_message(telegram_id, "Согласие")
        assert router.forwarded == len(ODD)

        # A whole registration in the child process (its dialog state in the shared database).
        await register_teacher(harness, fake_api, ODD[0], name="Петрова Мария Ивановна")
        async with harness.sessions() as session:
            user = await session.scalar(select(User).where(User.telegram_id == ODD[0]))
        assert user is not None and user.full_name == "Петрова Мария Ивановна"

        # The child dies; what is sent meanwhile is answered once after its restart.
        child = router.children[1]
        os.kill(child.process.pid, signal.SIGKILL)
        await child.process.wait()
        fake_api.mark(ODD[1])
        before = len(fake_api.sent_to(ODD[1]))
        fake_api.user_sends(ODD[1], "/help")
        answer = await say(fake_api, EVEN[0], "/help")
        assert answer["text"]  # this process answered while the child was down
        await fake_api.wait_for_message(ODD[1], None, timeout=15)
        assert child.process.returncode is None  # running again
        await asyncio.sleep(1.0)  # room for a second answer, which must not come
        assert len(fake_api.sent_to(ODD[1])) == before + 1
    finally:
        await harness.stop()
