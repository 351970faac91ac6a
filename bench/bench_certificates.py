"""150 certificates at once: ``python bench/bench_certificates.py [--members 150] [--pg URL]``.

Fills a fresh database (SQLite by default) with an association of `--members` members and
five held meetings everyone attended most of, then runs the leader's «issue to all
eligible» (services/certificates/issue.py: eligibility from the activity layer, numbers and
codes: rows only) and the delivery sweep until every PDF is built, stored and enqueued.
Twice: with the PDFs built in a thread of this process (DOCUMENT_PROCESSES=0) and in the
document process (DOCUMENT_PROCESSES=1, the default). Prints the press's time, the
delivery's, the longest sweep run (a unit of work), the peak Python memory of this process
(tracemalloc, which also slows the thread's ReportLab), its peak resident size
(getrusage), and the longest stall of the event loop meanwhile (a 10 ms ticker): what
other users of the bot would wait.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NOW = datetime(2027, 5, 25, 9, 0, tzinfo=UTC)
SURNAMES = [
    "Иванова",
    "Петров",
    "Сидорова",
    "Кузнецов",
    "Смирнова",
    "Чернышёв",
    "Римская-Корсакова",
]
GIVEN = ["Мария Петровна", "Иван Сергеевич", "Анна Ильинична", "Пётр Ильич"]


async def _fill(session, members: int, offset: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from bench.bench_report import meeting_rows
    from models.association import (
        Association,
        AssociationKind,
        AssociationStatus,
        MemberRole,
        Membership,
    )
    from models.meetings import Meeting, MeetingAttendance
    from models.user import User

    ids = range(offset + 1, offset + members + 2)  # the leader first
    await session.execute(
        insert(User),
        [
            {
                "id": i,
                "telegram_id": 20_000_000 + i,
                "full_name": f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[i % len(GIVEN)]}",
                "organisation": "МБОУ «СОШ № 5»",
                "registered_at": NOW,
                "consent_at": NOW,
                "consent_version": "2026-09-01",
            }
            for i in ids
        ],
    )
    association_id = offset + 1
    await session.execute(
        insert(Association),
        [
            {
                "id": association_id,
                "kind": AssociationKind.VMO,
                "name": "ВМО учителей математики",
                "topic": "Формирование функциональной грамотности обучающихся",
                "organisation": "МБОУ «СОШ № 5» г. Твери",
                "status": AssociationStatus.ACTIVE,
                "period_start": date(2026, 9, 1),
                "period_end": date(2027, 8, 31),
                "join_code": f"C{association_id:05d}",
            }
        ],
    )
    await session.execute(
        insert(Membership),
        [
            {
                "association_id": association_id,
                "user_id": i,
                "role": MemberRole.LEADER if i == ids[0] else MemberRole.MEMBER,
                "joined_at": NOW,
            }
            for i in ids
        ],
    )
    meetings = meeting_rows(association_id, NOW)
    await session.execute(insert(Meeting), meetings)
    await session.execute(
        insert(MeetingAttendance),
        [
            {"meeting_id": m["id"], "user_id": i}
            for i in ids[1:]
            for k, m in enumerate(meetings)
            if (i + k) % 5
        ],
    )
    return association_id, 20_000_000 + ids[0]


async def _ticker(stalls: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(0.01)
        stalls.append((time.perf_counter() - before - 0.01) * 1000)


async def _batch(sessions, association_id: int, leader: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The leader's press (rows only), then the delivery sweep until nothing is left."""
    import handlers.certificates.notices  # noqa: F401  (the notices' words)
    from bot.notices import NoticeRenderer
    from models.db import unit_of_work
    from services.access import Actor
    from services.certificates.common import Links
    from services.certificates.issue import deliver_pending, issue_to_all_eligible

    stalls: list[float] = []
    stop = asyncio.Event()
    ticker = asyncio.create_task(_ticker(stalls, stop))
    tracemalloc.start()
    start = time.perf_counter()
    async with unit_of_work(sessions) as session:
        count = await issue_to_all_eligible(
            session, Actor(leader), association_id=association_id, links=Links("vmo_bot")
        )
    pressed = time.perf_counter()
    runs, longest = 0, 0.0
    while True:
        began = time.perf_counter()
        async with unit_of_work(sessions) as session:
            sent = await deliver_pending(session)
            await NoticeRenderer("ru").deliver(session)
        longest = max(longest, time.perf_counter() - began)
        if not sent:
            break
        runs += 1
    finished = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    stop.set()
    await ticker
    return {
        "count": count,
        "press": (pressed - start) * 1000,
        "delivery": (finished - pressed) * 1000,
        "runs": runs,
        "longest_run": longest * 1000,
        "peak": peak,
        "stall": max(stalls, default=0.0),
    }


async def main(members: int, url: str | None) -> None:
    from models.db import create_engine, create_session_factory, unit_of_work
    from models.migrate import upgrade
    from services import offload
    from services.clock import set_clock

    set_clock(lambda: NOW)
    if url is None:
        url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    print(f"an association of {members} members, {engine.dialect.name}\n")
    print(
        "| PDFs built in | certificates | the press, ms | delivery, ms | ms each | sweep runs "
        "| longest run, ms | peak MB (tracemalloc) | max RSS MB | longest loop stall, ms |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for n, (label, processes) in enumerate((("a thread", "0"), ("the document process", "1"))):
        os.environ["DOCUMENT_PROCESSES"] = processes
        offload.shutdown()
        async with unit_of_work(sessions) as session:
            association_id, leader = await _fill(session, members, offset=n * 10_000)
        r = await _batch(sessions, association_id, leader)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"| {label} | {r['count']:.0f} | {r['press']:.0f} | {r['delivery']:.0f} "
            f"| {r['delivery'] / max(r['count'], 1):.1f} | {r['runs']:.0f} "
            f"| {r['longest_run']:.0f} | {r['peak']:.1f} | {rss:.0f} | {r['stall']:.0f} |"
        )
    offload.shutdown()
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=150)
    parser.add_argument("--pg", help="a PostgreSQL URL (postgresql+asyncpg://…) to fill instead")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.members, arguments.pg))
