"""The annual analytical report: ``python bench/bench_report.py [--pg URL]``.

Fills a database (a fresh SQLite file by default) with a year of one network: 100
associations of 100 teachers each (10,000 teachers) and one of 150 members; every
association holds five meetings with attendance, a plan of eight items and a stream of
group messages and downloads. Times gathering and building the association's report
and the network summary, with the peak Python memory of each. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ASSOCIATIONS = 100
TEACHERS = 100  # per association of the network
BIG = 150  # members of the association whose report is timed
NOW = datetime(2027, 6, 20, 9, 0, tzinfo=UTC)


def _rows(association_id: int, users: range, meeting_ids: list[int]) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {"memberships": [], "attendance": [], "events": []}
    for user in users:
        rows["memberships"].append(
            {"association_id": association_id, "user_id": user, "joined_at": NOW}
        )
        for n, meeting in enumerate(meeting_ids):
            if (user + n) % 3:
                rows["attendance"].append({"meeting_id": meeting, "user_id": user})
        for k in range(user % 7):
            at = NOW - timedelta(days=10 + 20 * k)
            for kind in ("group_message", "material_downloaded"):
                rows["events"].append(
                    {"association_id": association_id, "user_id": user, "kind": kind, "at": at}
                )
    return rows


def meeting_rows(association_id: int, now: datetime, count: int = 5) -> list[dict[str, Any]]:
    """Rows of `count` held meetings of the association, a month apart before `now`."""
    return [
        {
            "id": association_id * 10 + n,
            "association_id": association_id,
            "number": n,
            "academic_year": 2026,
            "topic": f"Заседание {n}",
            "form": "online",
            "link": "https://example.org",
            "starts_at": now - timedelta(days=30 * n),
        }
        for n in range(1, count + 1)
    ]


async def _fill(session) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from models import ActivityEvent
    from models.association import Association, AssociationKind, AssociationStatus, Membership
    from models.meetings import Meeting, MeetingAttendance
    from models.plans import Plan, PlanEntry, PlanItemStatus
    from models.user import User

    sizes = [BIG] + [TEACHERS] * ASSOCIATIONS
    total = sum(sizes)
    await session.execute(
        insert(User),
        [
            {
                "id": i,
                "telegram_id": 10_000_000 + i,
                "full_name": f"Учитель {i}",
                "organisation": f"МБОУ «СОШ № {i % 40 + 1}»",
                "position": "учитель",
                "experience_years": i % 35,
            }
            for i in range(1, total + 1)
        ],
    )
    first = 1
    for a, size in enumerate(sizes, 1):
        await session.execute(
            insert(Association),
            [
                {
                    "id": a,
                    "kind": AssociationKind.VMO,
                    "name": f"ВМО № {a}",
                    "status": AssociationStatus.ACTIVE,
                    "period_start": date(2026, 9, 1),
                    "period_end": date(2027, 8, 31),
                    "join_code": f"B{a:05d}",
                }
            ],
        )
        meetings = meeting_rows(a, NOW)
        await session.execute(insert(Meeting), meetings)
        await session.execute(insert(Plan), [{"id": a, "association_id": a, "academic_year": 2026}])
        await session.execute(
            insert(PlanEntry),
            [
                {
                    "plan_id": a,
                    "year": 2026,
                    "month": 9 + m % 4,
                    "topic": f"Пункт {m}",
                    "form": "online",
                    "status": PlanItemStatus.DONE if m % 3 else PlanItemStatus.MOVED,
                }
                for m in range(8)
            ],
        )
        rows = _rows(a, range(first, first + size), [m["id"] for m in meetings])
        await session.execute(insert(Membership), rows["memberships"])
        await session.execute(insert(MeetingAttendance), rows["attendance"])
        if rows["events"]:
            await session.execute(insert(ActivityEvent), rows["events"])
        first += size
    return total


async def _measure(step: Callable[[], Awaitable[bytes]]) -> tuple[float, float, int]:
    tracemalloc.start()
    start = time.perf_counter()
    pdf = await step()
    elapsed = (time.perf_counter() - start) * 1000
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return elapsed, peak, len(pdf)


async def main(url: str | None) -> None:
    from documents.report import build_network, build_report
    from models.db import create_engine, create_session_factory, unit_of_work
    from models.migrate import upgrade
    from services import report
    from services.activity import Period
    from services.clock import set_clock

    set_clock(lambda: NOW)
    if url is None:
        url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    period = Period(date(2026, 9, 1), date(2027, 8, 31))
    async with unit_of_work(sessions) as session:
        teachers = await _fill(session)

    async def one() -> bytes:
        async with sessions() as session:
            return build_report(await report.gather(session, 1, period))

    async def network() -> bytes:
        async with sessions() as session:
            return build_network(await report.gather_network(session, period))

    print(f"{teachers} teachers, {ASSOCIATIONS + 1} associations, {engine.dialect.name}\n")
    print("| document | ms | peak MB | PDF KB |\n|---|---:|---:|---:|")
    for name, step in ((f"association of {BIG}", one), ("network summary", network)):
        elapsed, peak, size = await _measure(step)
        print(f"| {name} | {elapsed:.0f} | {peak:.1f} | {size / 1024:.0f} |")
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", help="a PostgreSQL URL (postgresql+asyncpg://…) to fill instead")
    asyncio.run(main(parser.parse_args().pg))
