"""Updates from different chats run concurrently; one person in one chat, strictly in order."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.processor import OrderedUpdateProcessor, ordering_key
from bot.settings import load_settings


def _update(update_id: int, chat_id: int, user_id: int) -> Update:
    chat = Chat(chat_id, "private" if chat_id > 0 else "supergroup")
    user = User(user_id, "U", False)
    message = Message(update_id, date=None, chat=chat, from_user=user, text="x")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def _run(updates: list[Update], in_flight: int = 8) -> tuple[list, float]:
    processor = OrderedUpdateProcessor(
        None,
        load_settings(_env_file=None),  # type: ignore[arg-type]
        in_flight=in_flight,
        unit_of_work=False,
    )
    log: list[tuple[str, int, float]] = []
    loop = asyncio.get_running_loop()

    async def handle(update: Update) -> None:
        log.append(("start", update.update_id, loop.time()))
        await asyncio.sleep(0.05)
        log.append(("end", update.update_id, loop.time()))

    started = loop.time()
    await asyncio.gather(*(processor.process_update(u, handle(u)) for u in updates))
    return log, loop.time() - started


async def test_same_chat_and_user_are_strictly_sequential_and_in_order():
    updates = [_update(i, 10, 10) for i in range(1, 6)]
    log, elapsed = await _run(updates)
    assert [e[:2] for e in log] == [(kind, i) for i in range(1, 6) for kind in ("start", "end")]
    assert elapsed >= 0.25


async def test_different_chats_run_at_the_same_time():
    updates = [_update(i, 100 + i, 100 + i) for i in range(1, 9)]
    log, _ = await _run(updates)
    starts = [t for kind, _, t in log if kind == "start"]
    ends = [t for kind, _, t in log if kind == "end"]
    assert max(starts) < min(ends), "some chat waited for another chat's update"


async def test_interleaved_chats_keep_each_chats_order():
    updates = [_update(i, 1 + i % 3, 1 + i % 3) for i in range(1, 13)]
    log, _ = await _run(updates, in_flight=4)
    for chat in (1, 2, 3):
        mine = [uid for kind, uid, _ in log if kind == "start" and 1 + uid % 3 == chat]
        assert mine == sorted(mine)


def test_group_members_are_ordered_per_person():
    assert ordering_key(_update(1, -100, 5)) == (-100, 5)
    assert ordering_key(_update(2, -100, 6)) != ordering_key(_update(3, -100, 5))
