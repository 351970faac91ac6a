"""The outbox delivery worker against the fake Bot API server: its documented guarantees."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
import telegram
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.request import AiohttpRequest
from models import Association, OutboxMessage, OutboxStatus, User
from models.db import create_engine, create_session_factory, unit_of_work
from scheduler import outbox_edits
from scheduler.outbox import OutboxWorker, WorkerConfig
from scheduler.ratelimit import SendLimits
from services.clock import now, set_clock
from services.outbox import Outgoing, batch_progress, enqueue, enqueue_text, failures
from tests.factories import make_association, make_teacher

pytestmark = pytest.mark.asyncio

FAST = WorkerConfig(rate=30.0, private_interval=0.0, stale_after=60.0)


@pytest_asyncio.fixture
async def bot(fake_api) -> AsyncIterator[telegram.Bot]:  # type: ignore[no-untyped-def]
    request = AiohttpRequest(pool_size=8, read_timeout=5, pool_timeout=5)
    async with telegram.Bot(fake_api.token, base_url=fake_api.base_url, request=request) as bot:
        yield bot


def _users(fake_api, first: int, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    ids = [first + i for i in range(count)]
    for chat_id in ids:
        fake_api.add_user(chat_id, "Анна")
    return ids


async def _enqueue(sessions: async_sessionmaker[AsyncSession], chats: list[int], **kw) -> None:  # type: ignore[no-untyped-def]
    async with unit_of_work(sessions) as session:
        await enqueue(session, [Outgoing(chat_id=c, text=f"<b>Hello</b> {c}") for c in chats], **kw)


async def _rows(sessions: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with sessions() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


def _delivered(fake_api) -> Counter[int]:  # type: ignore[no-untyped-def]
    return Counter(c.params["chat_id"] for c in fake_api.calls_of("sendMessage") if c.ok)


def _shift_clock(seconds: float) -> None:
    set_clock(lambda: datetime.now(UTC) + timedelta(seconds=seconds))


async def test_delivers_everything_once_with_formatting(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    chats = _users(fake_api, 1000, 12)
    await _enqueue(sessions, chats, batch="b1")
    worker = OutboxWorker(bot, sessions, FAST)
    await worker.drain()
    assert _delivered(fake_api) == Counter(chats)
    assert {r.status for r in await _rows(sessions)} == {OutboxStatus.SENT}
    assert all(r.message_id for r in await _rows(sessions))
    assert fake_api.calls_of("sendMessage")[0].params["parse_mode"] == "HTML"
    async with sessions() as session:
        progress = await batch_progress(session, "b1")
    assert (progress.total, progress.sent, progress.pending, progress.done) == (12, 12, 0, True)


async def test_dedupe_key_makes_enqueueing_idempotent(sessions) -> None:  # type: ignore[no-untyped-def]
    async with unit_of_work(sessions) as session:
        first = await enqueue_text(session, 5, "Reminder", dedupe_key="reminder:1")
        again = await enqueue_text(session, 5, "Reminder", dedupe_key="reminder:1")
        other = await enqueue_text(session, 5, "Reminder", dedupe_key="reminder:2")
    async with unit_of_work(sessions) as session:
        later = await enqueue_text(session, 5, "Reminder", dedupe_key="reminder:1")
    assert (first, again, other, later) == (1, 0, 1, 0)
    assert len(await _rows(sessions)) == 2


async def test_429_pauses_every_send_for_retry_after(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    chats = _users(fake_api, 2000, 4)
    await _enqueue(sessions, chats)
    fake_api.inject_error("sendMessage", code=429, retry_after=1)
    worker = OutboxWorker(bot, sessions, FAST)
    await worker.drain()
    calls = fake_api.calls_of("sendMessage")
    limited = [c for c in calls if c.http_status == 429]
    assert len(limited) == 1
    # Everything that left after the 429 waited out the whole second.
    after = [c for c in calls if c.time > limited[0].time]
    assert after and all(c.time - limited[0].time >= 0.95 for c in after)
    assert _delivered(fake_api) == Counter(chats)
    assert worker.stats["rate_limited"] == 1
    # The 429 did not use up one of the row's attempts.
    assert all(r.attempts == 1 for r in await _rows(sessions) if r.status is OutboxStatus.SENT)


async def test_blocked_user_is_recorded_and_not_written_to_again(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    (blocked, fine) = _users(fake_api, 3000, 2)
    fake_api.block(blocked)
    async with unit_of_work(sessions) as session:
        await make_teacher(session, telegram_id=blocked)
        await enqueue(
            session,
            [
                Outgoing(chat_id=blocked, text="one"),
                Outgoing(chat_id=blocked, text="two"),
                Outgoing(chat_id=fine, text="three"),
            ],
            batch="news",
        )
    worker = OutboxWorker(bot, sessions, WorkerConfig(rate=30, private_interval=1.0))
    await worker.drain()
    assert len([c for c in fake_api.calls_of("sendMessage") if c.params["chat_id"] == blocked]) == 1
    rows = await _rows(sessions)
    assert [r.status for r in rows] == [
        OutboxStatus.BLOCKED,
        OutboxStatus.BLOCKED,
        OutboxStatus.SENT,
    ]
    async with sessions() as session:
        user = await session.scalar(select(User).where(User.telegram_id == blocked))
        failed = await failures(session, "news")
    assert user is not None and user.unreachable_since is not None
    assert [f.chat_id for f in failed] == [blocked, blocked]
    assert "blocked" in (failed[0].last_error or "").lower()


async def test_migrated_group_is_followed(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    fake_api.add_chat(-4001, "ВМО математиков", type="group")
    fake_api.migrate_group(-4001, -1004001)
    async with unit_of_work(sessions) as session:
        association = await make_association(session, chat_id=-4001)
        await enqueue_text(session, -4001, "Meeting tomorrow")
    await OutboxWorker(bot, sessions, FAST).drain()
    assert _delivered(fake_api) == Counter({-1004001: 1})
    (row,) = await _rows(sessions)
    assert (row.status, row.chat_id, row.attempts) == (OutboxStatus.SENT, -1004001, 1)
    async with sessions() as session:
        moved = await session.get_one(Association, association.id)
    assert moved.chat_id == -1004001


async def test_transient_errors_are_retried_with_backoff(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    (chat,) = _users(fake_api, 5000, 1)
    await _enqueue(sessions, [chat])
    fake_api.inject_error("sendMessage", code=502)  # nginx's HTML: Telegram did not take it
    worker = OutboxWorker(bot, sessions, FAST)
    await worker.drain()
    (row,) = await _rows(sessions)
    assert row.status is OutboxStatus.PENDING and row.attempts == 1
    assert row.not_before.replace(tzinfo=UTC) > now() + timedelta(seconds=1)
    await worker.drain()  # not due yet: nothing is tried
    assert len(fake_api.calls_of("sendMessage")) == 1
    _shift_clock(10)
    await worker.drain()
    (row,) = await _rows(sessions)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)
    assert _delivered(fake_api) == Counter({chat: 1})


async def test_gives_up_after_max_attempts(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    (chat,) = _users(fake_api, 5100, 1)
    await _enqueue(sessions, [chat], batch="x")
    fake_api.inject_error("sendMessage", code=500, description="Internal Server Error", count=3)
    worker = OutboxWorker(
        bot, sessions, WorkerConfig(rate=30, private_interval=0.0, max_attempts=3)
    )
    for step in range(3):
        _shift_clock(1000 * step)
        await worker.drain()
    (row,) = await _rows(sessions)
    assert row.status is OutboxStatus.FAILED and row.attempts == 3, (
        row.attempts,
        row.last_error,
        row.not_before,
        now(),
        len(fake_api.calls_of("sendMessage")),
    )
    assert "gave up" in (row.last_error or "")


async def test_lost_answer_is_unconfirmed_never_resent(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    (chat,) = _users(fake_api, 5200, 1)
    await _enqueue(sessions, [chat])
    # The message reaches the chat, then the connection drops before the answer.
    fake_api.inject_error("sendMessage", drop_connection=True, after_effect=True)
    worker = OutboxWorker(bot, sessions, FAST)
    await worker.drain()
    _shift_clock(3600)
    await worker.drain()
    (row,) = await _rows(sessions)
    assert row.status is OutboxStatus.UNCONFIRMED
    assert len(fake_api.calls_of("sendMessage")) == 1


async def test_crash_with_stale_claims_marks_unconfirmed_and_sends_rest_once(
    fake_api, bot, sessions
) -> None:  # type: ignore[no-untyped-def]
    chats = _users(fake_api, 6000, 6)
    await _enqueue(sessions, chats, batch="crash")
    # The state a kill -9 leaves: two rows claimed by the dead worker, one already delivered
    # by it (its answer never recorded), one sent before the crash and recorded.
    async with unit_of_work(sessions) as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
        for row in rows[:2]:
            row.status = OutboxStatus.SENDING
            row.claimed_by = "dead-worker"
            row.claimed_at = now() - timedelta(minutes=5)
            row.attempts = 1
        rows[2].status = OutboxStatus.SENT
    await fake_api_send(bot, chats[0])  # it had reached Telegram before the crash
    worker = OutboxWorker(bot, sessions, FAST)
    await worker.start()
    try:
        await worker.drain()
    finally:
        await worker.stop()
    statuses = [r.status for r in await _rows(sessions)]
    assert statuses[:2] == [OutboxStatus.UNCONFIRMED, OutboxStatus.UNCONFIRMED]
    assert statuses[2:] == [OutboxStatus.SENT] * 4
    delivered = _delivered(fake_api)
    assert max(delivered.values()) == 1  # nobody got it twice
    assert set(delivered) == {chats[0], *chats[3:]}
    async with sessions() as session:
        progress = await batch_progress(session, "crash")
        failed = await failures(session, "crash")
    assert (progress.unconfirmed, progress.pending) == (2, 0)
    assert [f.chat_id for f in failed] == chats[:2]


async def fake_api_send(bot: telegram.Bot, chat_id: int) -> None:
    await bot.send_message(chat_id, "<b>Hello</b>", parse_mode="HTML")


async def test_recent_claims_survive_restart_until_stale(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    await _enqueue(sessions, _users(fake_api, 6100, 1))
    async with unit_of_work(sessions) as session:
        row = await session.scalar(select(OutboxMessage))
        assert row is not None
        row.status, row.claimed_at, row.claimed_by = OutboxStatus.SENDING, now(), "other"
    worker = OutboxWorker(bot, sessions, FAST)
    assert await worker.recover_stale_claims() == 0  # maybe another live worker's send
    _shift_clock(FAST.stale_after + 1)
    assert await worker.recover_stale_claims() == 1
    (row,) = await _rows(sessions)
    assert row.status is OutboxStatus.UNCONFIRMED
    assert fake_api.calls_of("sendMessage") == []


async def test_private_chat_pacing(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    (chat, other) = _users(fake_api, 7000, 2)
    async with unit_of_work(sessions) as session:
        await enqueue(
            session,
            [Outgoing(chat_id=chat, text=f"m{i}") for i in range(3)]
            + [Outgoing(chat_id=other, text="x")],
        )
    worker = OutboxWorker(bot, sessions, WorkerConfig(rate=30, private_interval=0.4))
    for _ in range(50):  # each drain sends what is due; the chat's next one comes later
        await worker.drain()
        if all(r.status is OutboxStatus.SENT for r in await _rows(sessions)):
            break
        await asyncio.sleep(0.1)
    times = [c.time for c in fake_api.calls_of("sendMessage") if c.params["chat_id"] == chat]
    assert len(times) == 3
    assert all(b - a >= 0.35 for a, b in itertools.pairwise(times))
    # The other chat did not wait behind the first one's spacing.
    other_time = next(
        c.time for c in fake_api.calls_of("sendMessage") if c.params["chat_id"] == other
    )
    assert other_time < times[1]


@pytest.mark.filterwarnings("ignore::pytest.PytestWarning")
def test_send_limits_spacing_and_bounded_catch_up() -> None:
    moment = [100.0]
    limits = SendLimits(rate=25, clock=lambda: moment[0])
    sent = 0
    # Idle first: at most 1 + catch_up may leave at once, then the pace is 1/25 s.
    while limits.global_wait() == 0:
        limits.take_global_slot()
        sent += 1
    assert 2 <= sent <= 3
    in_one_second = 0
    start = moment[0]
    while moment[0] < start + 1.0:
        moment[0] += limits.global_wait() or 0.001
        if limits.global_wait() == 0 and moment[0] < start + 1.0:
            limits.take_global_slot()
            in_one_second += 1
    assert sent + in_one_second <= 29
    limits.pause(5)
    assert limits.global_wait() == pytest.approx(5.0)
    assert limits.pause_wait() == pytest.approx(5.0)


@pytest.mark.filterwarnings("ignore::pytest.PytestWarning")
def test_send_limits_groups_per_minute() -> None:
    moment = [0.0]
    limits = SendLimits(group_per_minute=20, clock=lambda: moment[0])
    for _ in range(20):
        assert limits.chat_wait(-5) == 0
        limits.record_chat_send(-5)
        moment[0] += 1
    assert limits.chat_wait(-5) == pytest.approx(40.0)
    assert limits.chat_wait(-6) == 0


async def test_two_workers_share_without_duplicates(fake_api, database_url) -> None:  # type: ignore[no-untyped-def]
    chats = _users(fake_api, 8000, 60)
    engines = [create_engine(database_url) for _ in range(2)]
    try:
        from models.migrate import upgrade_async

        await upgrade_async(engines[0])
        factories = [create_session_factory(e) for e in engines]
        await _enqueue(factories[0], chats)
        bots = [
            telegram.Bot(
                fake_api.token,
                base_url=fake_api.base_url,
                request=AiohttpRequest(pool_size=8),
            )
            for _ in range(2)
        ]
        for b in bots:
            await b.initialize()
        # Two workers share Telegram's ~30/s, each its part (docs: OUTBOX_RATE_PER_SECOND / K).
        workers = [
            OutboxWorker(b, f, WorkerConfig(rate=12), worker_id=f"w{i}")
            for i, (b, f) in enumerate(zip(bots, factories, strict=True))
        ]
        await asyncio.gather(*(w.drain() for w in workers))
        for b in bots:
            await b.shutdown()
        assert _delivered(fake_api) == Counter(chats)
        rows = await _rows(factories[0])
        assert {r.status for r in rows} == {OutboxStatus.SENT}
        by_worker = Counter(r.claimed_by for r in rows)
        assert by_worker["w0"] > 0 and by_worker["w1"] > 0
        assert all(r.attempts == 1 for r in rows)
    finally:
        for e in engines:
            await e.dispose()


# edits -----------------------------------------------------------------------------------
GROUP = -100_123_001


def _edit(text: str, target: str = "card:1", chat_id: int = GROUP) -> Outgoing:
    return Outgoing(kind="edit", chat_id=chat_id, edit_of=target, text=text)


async def _enqueue_edits(sessions, *edits: Outgoing) -> int:  # type: ignore[no-untyped-def]
    async with unit_of_work(sessions) as session:
        return await enqueue(session, edits)


async def _posted_card(fake_api, bot, sessions, text: str = "Будут: 0") -> OutboxMessage:  # type: ignore[no-untyped-def]
    """A card delivered by the worker, as the meeting's announcement is."""
    fake_api.add_chat(GROUP, "ВМО математиков")
    async with unit_of_work(sessions) as session:
        await enqueue(session, [Outgoing(chat_id=GROUP, text=text, dedupe_key="card:1")])
    await OutboxWorker(bot, sessions, FAST).drain()
    (card,) = await _rows(sessions)
    assert card.status is OutboxStatus.SENT and card.message_id
    return card


def _edits_sent(fake_api) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.params["text"] for c in fake_api.calls_of("editMessageText") if c.ok]


async def test_pending_edits_of_one_message_are_coalesced(sessions) -> None:  # type: ignore[no-untyped-def]
    async with unit_of_work(sessions) as session:
        await enqueue_text(session, GROUP, "Будут: 0", dedupe_key="card:1")
    assert await _enqueue_edits(sessions, _edit("Будут: 1")) == 1
    assert await _enqueue_edits(sessions, _edit("Будут: 2"), _edit("Будут: 3")) == 1
    assert await _enqueue_edits(sessions, _edit("Другая", target="card:2")) == 1
    edits = [r for r in await _rows(sessions) if r.kind == "edit"]
    assert [(r.edit_of, r.payload["text"]) for r in edits] == [
        ("card:1", "Будут: 3"),
        ("card:2", "Другая"),
    ]
    # Once the first is claimed, the next edit is a new row: still one pending per target.
    async with unit_of_work(sessions) as session:
        claimed = await session.get_one(OutboxMessage, edits[0].id)
        claimed.status = OutboxStatus.SENDING
    assert await _enqueue_edits(sessions, _edit("Будут: 4")) == 1
    assert await _enqueue_edits(sessions, _edit("Будут: 5")) == 1
    pending = [
        r.payload["text"]
        for r in await _rows(sessions)
        if r.edit_of == "card:1" and r.status is OutboxStatus.PENDING
    ]
    assert pending == ["Будут: 5"]
    with pytest.raises(ValueError):
        Outgoing(kind="edit", chat_id=GROUP, text="no target")
    with pytest.raises(ValueError):
        Outgoing(kind="edit", chat_id=GROUP, edit_of="card:1", dedupe_key="x")


async def test_edit_waits_for_its_target_and_only_the_latest_is_sent(
    fake_api, bot, sessions
) -> None:  # type: ignore[no-untyped-def]
    fake_api.add_chat(GROUP, "ВМО математиков")
    async with unit_of_work(sessions) as session:
        await enqueue_text(session, GROUP, "Будут: 0", dedupe_key="card:1", priority=9)
        # Enqueued after, but first in line: it must still wait for the card itself.
        await enqueue(session, [_edit("Будут: 1")], priority=0)
        await enqueue(session, [_edit("Будут: 2")], priority=0)
    await OutboxWorker(bot, sessions, FAST).drain()
    card, edit = await _rows(sessions)
    assert (card.status, edit.status) == (OutboxStatus.SENT, OutboxStatus.SENT)
    assert _edits_sent(fake_api) == ["Будут: 2"]
    assert fake_api.world.chat(GROUP).messages[card.message_id]["text"] == "Будут: 2"
    assert fake_api.calls_of("editMessageText")[0].time > fake_api.calls_of("sendMessage")[0].time


async def test_edit_of_an_undelivered_message_is_dropped(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    fake_api.add_chat(GROUP, "ВМО математиков")
    async with unit_of_work(sessions) as session:
        await enqueue_text(session, GROUP, "Будут: 0", dedupe_key="card:1")
        await enqueue(session, [_edit("Будут: 1")])
    fake_api.inject_error("sendMessage", code=400, description="Bad Request: chat not found")
    await OutboxWorker(bot, sessions, FAST).drain()
    card, edit = await _rows(sessions)
    assert (card.status, edit.status) == (OutboxStatus.FAILED, OutboxStatus.CANCELLED)
    assert "not delivered" in (edit.last_error or "")
    assert await _enqueue_edits(sessions, _edit("Будут: 2")) == 0  # not even enqueued
    assert len(await _rows(sessions)) == 2
    assert fake_api.calls_of("editMessageText") == []


async def test_not_modified_counts_as_sent(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    card = await _posted_card(fake_api, bot, sessions, "Будут: 0")
    await _enqueue_edits(sessions, _edit("Будут: 0"))
    await OutboxWorker(bot, sessions, FAST).drain()
    (call,) = fake_api.calls_of("editMessageText")
    assert not call.ok and "not modified" in call.response["description"]
    edit = (await _rows(sessions))[-1]
    assert (edit.status, edit.message_id) == (OutboxStatus.SENT, card.message_id)


async def test_deleted_message_is_recorded_and_not_edited_again(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    card = await _posted_card(fake_api, bot, sessions)
    await bot.delete_message(GROUP, card.message_id)  # a group admin removed the card
    await _enqueue_edits(sessions, _edit("Будут: 1"))
    await OutboxWorker(bot, sessions, FAST).drain()
    card, edit = await _rows(sessions)
    assert card.status is OutboxStatus.DELETED and edit.status is OutboxStatus.FAILED
    assert "not found" in (edit.last_error or "")
    assert await _enqueue_edits(sessions, _edit("Будут: 2")) == 0
    await OutboxWorker(bot, sessions, FAST).drain()
    assert len(fake_api.calls_of("editMessageText")) == 1


async def test_edits_count_against_the_group_limit(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    await _posted_card(fake_api, bot, sessions)
    worker = OutboxWorker(bot, sessions, WorkerConfig(rate=30, group_per_minute=2))
    await _enqueue(sessions, [GROUP])
    await _enqueue_edits(sessions, _edit("Будут: 1"))
    await worker.drain()  # the card (an earlier worker) does not count; these two fill it
    await _enqueue_edits(sessions, _edit("Будут: 2"))
    await worker.drain()
    assert _edits_sent(fake_api) == ["Будут: 1"]
    edit = (await _rows(sessions))[-1]
    assert edit.status is OutboxStatus.PENDING and edit.not_before > now()


async def test_crash_between_claim_and_send_does_not_send_an_edit_twice(
    fake_api, bot, sessions
) -> None:  # type: ignore[no-untyped-def]
    await _posted_card(fake_api, bot, sessions)
    await _enqueue_edits(sessions, _edit("Будут: 1"))
    worker = OutboxWorker(bot, sessions, FAST)
    claimed = await worker._claim()  # ...and the process dies before the request leaves
    assert claimed is not None and claimed.kind == "edit"
    await _enqueue_edits(sessions, _edit("Будут: 2"))
    restarted = OutboxWorker(bot, sessions, FAST)
    await restarted.drain()  # the claim may be a live worker's: the next edit waits
    assert fake_api.calls_of("editMessageText") == []
    _shift_clock(FAST.stale_after + 1)
    assert await restarted.recover_stale_claims() == 1
    await restarted.drain()
    assert _edits_sent(fake_api) == ["Будут: 2"]
    statuses = [r.status for r in await _rows(sessions) if r.kind == "edit"]
    assert statuses == [OutboxStatus.UNCONFIRMED, OutboxStatus.SENT]


async def _edit_in_flight_and_a_newer_one(fake_api, bot, sessions):  # type: ignore[no-untyped-def]
    """An edit claimed (its request about to leave, and to meet a 429), a newer one pending."""
    await _posted_card(fake_api, bot, sessions)
    await _enqueue_edits(sessions, _edit("Будут: 1"))
    worker = OutboxWorker(bot, sessions, FAST)
    await worker._slots.acquire()
    row = await worker._claim()
    assert row is not None
    await _enqueue_edits(sessions, _edit("Будут: 2"))
    fake_api.inject_error("editMessageText", code=429, retry_after=1)
    return worker, row


async def test_an_edit_to_retry_gives_way_to_a_newer_one(fake_api, bot, sessions) -> None:  # type: ignore[no-untyped-def]
    worker, row = await _edit_in_flight_and_a_newer_one(fake_api, bot, sessions)
    await worker._deliver(row)  # 429: it would go back to pending, beside the newer one
    await worker.drain()
    assert _edits_sent(fake_api) == ["Будут: 2"]
    first, second = [r for r in await _rows(sessions) if r.kind == "edit"]
    assert (first.status, second.status) == (OutboxStatus.CANCELLED, OutboxStatus.SENT)
    assert "superseded" in (first.last_error or "")


async def test_a_newer_edit_committed_during_the_check_still_wins(
    fake_api, bot, sessions, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The race the check cannot see (the newer edit commits right after it): the unique
    pending edit refuses the retry, and the retry is recorded as superseded."""
    worker, row = await _edit_in_flight_and_a_newer_one(fake_api, bot, sessions)

    async def saw_nothing(session, row) -> bool:  # type: ignore[no-untyped-def]
        return False

    monkeypatch.setattr(outbox_edits, "superseded", saw_nothing)
    await worker._deliver(row)
    first, second = [r for r in await _rows(sessions) if r.kind == "edit"]
    assert (first.status, second.status) == (OutboxStatus.CANCELLED, OutboxStatus.PENDING)
    assert "superseded" in (first.last_error or "")


async def test_a_card_left_behind_by_a_migrated_group_is_not_edited_again(
    fake_api, bot, sessions
) -> None:  # type: ignore[no-untyped-def]
    card = await _posted_card(fake_api, bot, sessions)
    fake_api.migrate_group(GROUP, GROUP - 1)
    await _enqueue_edits(sessions, _edit("Будут: 1"))
    await OutboxWorker(bot, sessions, FAST).drain()
    card, edit = await _rows(sessions)
    assert (card.status, edit.status) == (OutboxStatus.DELETED, OutboxStatus.FAILED)
    assert len(fake_api.calls_of("editMessageText")) == 1
