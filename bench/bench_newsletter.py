"""Newsletter delivery at Telegram's limits: ``python bench/bench_newsletter.py [options]``.

A newsletter to N recipients (default 10,000) goes through the fake Bot API server with
Telegram's flood limits enforced and 50 ms latency per call; some recipients have blocked
the bot and a few 429s are injected. Delivery workers run as child processes (the real
`OutboxWorker`), so the second run can `kill -9` one halfway and start a new one.

Prints a Markdown table per run: calls per second achieved against the configured rate,
429s received, duplicates (must be 0), recipients neither delivered nor recorded as failed
(must be 0), what became of the message in flight at the kill (UNCONFIRMED), and how long
starting the newsletter took (the methodist's press: the first page of copies, each a notice
worded with its header, enqueued) and how long its other pages took.

Options: ``--recipients N``, ``--rate R``, ``--workers K`` (K > 1 needs PostgreSQL),
``--database-url URL`` (default: a fresh SQLite file), ``--only full|crash``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIRST_CHAT = 500_000
METHODIST = 499_999  # the author: gets the progress message and the report
STALE_AFTER = 5.0


# --- the child: one delivery worker ----------------------------------------------------
async def run_worker(database_url: str, base_url: str, token: str, rate: float) -> None:
    from sqlalchemy import func, select
    from telegram import Bot

    from bot.request import AiohttpRequest
    from models import OutboxMessage, OutboxStatus
    from models.db import create_engine, create_session_factory
    from scheduler.outbox import OutboxWorker, WorkerConfig

    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    request = AiohttpRequest(pool_size=16, read_timeout=15, pool_timeout=10)
    bot = Bot(token, base_url=base_url, request=request)
    await bot.initialize()
    worker = OutboxWorker(
        bot, sessions, WorkerConfig(rate=rate, stale_after=STALE_AFTER, idle_poll=0.2)
    )
    await worker.start()
    try:
        while True:
            await asyncio.sleep(0.5)
            async with sessions() as session:
                open_rows = await session.scalar(
                    select(func.count()).where(
                        OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
                    )
                )
            if not open_rows:
                break
    finally:
        await worker.stop()
        await bot.shutdown()
        await engine.dispose()


# --- the parent: fake server, data, measurements ---------------------------------------
async def _prepare(database_url: str, recipients: int, blocked: set[int]) -> tuple[float, float]:
    """The recipients, and a methodist's newsletter to all of them started the way the bot
    starts one (services.newsletters.start: the first page of copies, each a notice worded
    with its header and enqueued before the commit), then its other pages enqueued. Returns
    the seconds the start took and the seconds the other pages took."""
    from sqlalchemy import text

    from bot.notices import NoticeRenderer
    from handlers.newsletters import notices  # noqa: F401  (the renderers)
    from models import NetworkRole, NetworkRoleGrant, User
    from models.db import create_engine, create_session_factory, unit_of_work
    from models.migrate import upgrade_async
    from models.newsletters import Newsletter
    from services import newsletters
    from services.access import Actor
    from services.audience import Audience
    from services.clock import now

    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade_async(engine)
    sessions = create_session_factory(engine)
    registered = now()
    async with unit_of_work(sessions) as session:
        session.add_all(
            User(telegram_id=FIRST_CHAT + i, full_name=f"Учитель {i}", registered_at=registered)
            for i in range(recipients)
        )
        author = User(
            telegram_id=METHODIST, full_name="Петрова Елена Ивановна", registered_at=registered
        )
        session.add(author)
        await session.flush()
        session.add(NetworkRoleGrant(user_id=author.id, role=NetworkRole.METHODIST))
    text_body = "<b>Вебинар</b> для учителей: приглашаем всех 1 декабря в 15:00."
    started = time.monotonic()
    async with unit_of_work(sessions) as session:
        newsletter = await newsletters.create(
            session,
            actor=Actor(telegram_id=METHODIST),
            draft=newsletters.Draft(text=text_body, audience=Audience()),
            scheduled_at=None,
            progress_chat_id=METHODIST,
        )
        await newsletters.start(session, newsletter, rate=25.0)
        await NoticeRenderer("ru").deliver(session)
    seconds = time.monotonic() - started
    # The other pages, one transaction each, as the sweep enqueues them (here all before
    # the delivery starts, so the run measures the delivery alone).
    paging = time.monotonic()
    while newsletter.fanned_out_at is None:
        async with unit_of_work(sessions) as session:
            newsletter = await session.get_one(Newsletter, newsletter.id)
            await newsletters.fan_out(session, newsletter)
            await NoticeRenderer("ru").deliver(session)
    await engine.dispose()
    return seconds, time.monotonic() - paging


async def _status_counts(database_url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from models import OutboxMessage
    from models.db import create_engine

    engine = create_engine(database_url)
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        counts = {
            str(status.value if hasattr(status, "value") else status): n for status, n in rows
        }
    await engine.dispose()
    return counts


async def _unconfirmed_chats(database_url: str) -> list[int]:
    from sqlalchemy import select

    from models import OutboxMessage, OutboxStatus
    from models.db import create_engine

    engine = create_engine(database_url)
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(OutboxMessage.chat_id).where(OutboxMessage.status == OutboxStatus.UNCONFIRMED)
        )
        chats = [row[0] for row in rows]
    await engine.dispose()
    return chats


async def _spawn(args: argparse.Namespace, database_url: str, api) -> asyncio.subprocess.Process:  # type: ignore[no-untyped-def]
    return await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--worker",
        database_url,
        api.base_url,
        api.token,
        # Each worker paces itself: K workers share the configured overall rate.
        str(args.rate / args.workers),
        cwd=str(ROOT),
    )


def _delivered(api) -> Counter[int]:  # type: ignore[no-untyped-def]
    """Copies of the newsletter that arrived, per chat (the author's progress message and
    report are not copies)."""
    return Counter(
        call.params.get("chat_id")
        for call in api.calls_of("sendMessage")
        if call.ok
        and isinstance(call.params.get("chat_id"), int)
        and "Вебинар" in (call.params.get("text") or "")
    )


async def _inject_429s(api, every: float, count: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        await asyncio.sleep(every)
        api.inject_error("sendMessage", code=429, retry_after=1)


async def one_run(args: argparse.Namespace, *, crash: bool) -> dict[str, object]:
    from tests.fakebot import FakeBotApi

    recipients = args.recipients
    blocked = {FIRST_CHAT + i for i in range(0, recipients, 97)}
    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        start_seconds, paging_seconds = await _prepare(database_url, recipients, blocked)
        async with FakeBotApi(latency=0.05, enforce_limits=True) as api:
            api.add_user(METHODIST, "Елена")
            for i in range(recipients):
                api.add_user(FIRST_CHAT + i, f"Учитель {i}")
            for chat_id in blocked:
                api.block(chat_id)
            expected_seconds = recipients / args.rate
            injector = asyncio.create_task(_inject_429s(api, expected_seconds / 4, 3))
            started = time.monotonic()
            workers = [await _spawn(args, database_url, api) for _ in range(args.workers)]
            killed_at = None
            if crash:
                while len(api.calls_of("sendMessage")) < recipients // 2:  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
                workers[0].send_signal(signal.SIGKILL)
                await workers[0].wait()
                killed_at = len(api.calls_of("sendMessage"))
                workers[0] = await _spawn(args, database_url, api)
            for worker in workers:
                await worker.wait()
            wall = time.monotonic() - started
            injector.cancel()
            calls = api.calls_of("sendMessage")
            # The pace is measured over the sending itself (first to last call).
            elapsed = max(calls[-1].time - calls[0].time, 1e-6)
            delivered = _delivered(api)
            counts = await _status_counts(database_url)
            unconfirmed = await _unconfirmed_chats(database_url)
            recorded_failed = counts.get("blocked", 0) + counts.get("failed", 0)
            neither = counts.get("pending", 0) + counts.get("sending", 0)
            too_many = sum(1 for call in calls if call.http_status == 429)
            return {
                "run": "kill -9 halfway + restart" if crash else "uninterrupted",
                "recipients": recipients,
                "seconds": elapsed,
                "wall": wall,
                "calls": len(calls),
                "calls/s": len(calls) / elapsed,
                "delivered": sum(delivered.values()),
                "blocked/failed recorded": recorded_failed,
                "429s": too_many,
                "429s from flood limits": api.stats.get("flood_limited", 0),
                "duplicates": sum(n - 1 for n in delivered.values() if n > 1),
                "neither delivered nor failed": neither,
                "unconfirmed": len(unconfirmed),
                "unconfirmed actually delivered": sum(1 for c in unconfirmed if delivered[c]),
                "sent at kill": killed_at,
                "sent rows": counts.get("sent", 0),
                "start, s": start_seconds,
                "other pages, s": paging_seconds,
            }


def _table(args: argparse.Namespace, results: list[dict[str, object]]) -> str:
    header = (
        "| run | recipients | workers | time, s | calls/s | of configured | 429s | "
        "duplicates | neither delivered nor failed | blocked/failed | unconfirmed | start, s | "
        "other pages, s |"
    )
    lines = [header, "|" + "---|" * 13]
    for r in results:
        rate = float(r["calls/s"])  # type: ignore[arg-type]
        unconfirmed = f"{r['unconfirmed']} (delivered: {r['unconfirmed actually delivered']})"
        lines.append(
            f"| {r['run']} | {r['recipients']} | {args.workers} | {float(r['seconds']):.1f} | "  # type: ignore[arg-type]
            f"{rate:.2f} | {rate / args.rate:.1%} of {args.rate:g}/s | {r['429s']} "
            f"(flood: {r['429s from flood limits']}) | {r['duplicates']} | "
            f"{r['neither delivered nor failed']} | {r['blocked/failed recorded']} | "
            f"{unconfirmed} | {float(r['start, s']):.2f} | "  # type: ignore[arg-type]
            f"{float(r['other pages, s']):.1f} |"  # type: ignore[arg-type]
        )
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> None:
    results = []
    if args.only in (None, "full"):
        results.append(await one_run(args, crash=False))
        print(results[-1], flush=True)
    if args.only in (None, "crash"):
        results.append(await one_run(args, crash=True))
        print(results[-1], flush=True)
    print()
    print(_table(args, results))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        os.environ.setdefault("PYTHONUNBUFFERED", "1")
        asyncio.run(run_worker(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--only", choices=["full", "crash"], default=None)
    asyncio.run(main(parser.parse_args()))
