"""The regulation and the participant's guide: ``python bench/bench_regulations.py [joins]``.

Times building each kind's regulation (drafting the seven sections and the PDF) and the
guide, then ``joins`` teachers (100 by default) joining one association through the
service on a fresh SQLite file: the guide is built once for its settings and reused, so a
join costs its queries, not a PDF. Prints a Markdown table.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REPETITIONS = 5


def _timed(build: Callable[[], bytes]) -> tuple[int, float, float]:
    """Pages, median and best milliseconds of `build` (after a warm-up)."""
    from pypdf import PdfReader

    pages = len(PdfReader(BytesIO(build())).pages)
    times = []
    for _ in range(REPETITIONS):
        start = time.perf_counter()
        build()
        times.append((time.perf_counter() - start) * 1000)
    return pages, statistics.median(times), min(times)


def _documents() -> list[str]:
    from documents.guide import GuideData, build_guide
    from documents.regulation import RegulationData, build_regulation
    from documents.regulation_kinds import KINDS
    from documents.regulation_text import RegulationFacts, draft_sections

    rows = []
    for kind in KINDS:
        facts = RegulationFacts(
            kind=kind,
            name="Объединение учителей математики",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 5, 31),
            organisation="МБОУ «СОШ № 5»",
            topic="Формирование функциональной грамотности",
            subjects=("math",),
        )

        def regulation(facts: RegulationFacts = facts) -> bytes:
            sections = draft_sections(facts)
            return build_regulation(RegulationData(facts.name, facts.kind, sections))

        pages, median, best = _timed(regulation)
        rows.append(f"| Положение, {kind} | {pages} | {median:.0f} | {best:.0f} |")
    guide = GuideData("ВМО учителей математики", "vmo", date(2026, 9, 1), date(2027, 8, 31))
    pages, median, best = _timed(lambda: build_guide(guide))
    rows.append(f"| Инструкция участника | {pages} | {median:.0f} | {best:.0f} |")
    return rows


async def _joins(count: int) -> str:
    from sqlalchemy import func, select

    import handlers.regulations.notices  # noqa: F401  (how its notices read)
    from bot.notices import NoticeRenderer
    from models import Base, StoredFile
    from models.db import create_engine, create_session_factory, unit_of_work
    from services import memberships
    from services.access import Actor
    from tests.factories import make_association, make_teacher

    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/bench.sqlite3")
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        sessions = create_session_factory(engine)
        async with unit_of_work(sessions) as session:
            club = await make_association(session, leader=await make_teacher(session, 950_000))
            club_id = club.id
            for n in range(count):
                await make_teacher(session, 950_001 + n)
        renderer = NoticeRenderer("ru")
        times = []
        for n in range(count):
            start = time.perf_counter()
            async with unit_of_work(sessions) as session:
                actor = Actor(950_001 + n)
                await memberships.join(session, actor=actor, association_id=club_id, via="code")
                await renderer.deliver(session)
            times.append((time.perf_counter() - start) * 1000)
        async with sessions() as session:
            files = await session.scalar(select(func.count()).select_from(StoredFile))
        await engine.dispose()
    return (
        f"| {count} вступлений подряд (SQLite), на одно; сохранённых PDF: {files} | — | "
        f"{statistics.median(times):.1f} | первое: {times[0]:.0f} |"
    )


def run(joins: int = 100) -> str:
    lines = ["| what | pages | median ms | best ms |", "|---|---:|---:|---:|"]
    lines += _documents()
    lines.append(asyncio.run(_joins(joins)))
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
