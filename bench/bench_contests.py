"""A large contest, end to end at the service level: ``python bench/bench_contests.py
[--pg URL] [--entries 500] [--jurors 20] [--criteria 4]``.

500 teachers submit a work each (through `services.contests.entries.submit`, as the bot
does), 20 jurors from other schools score every entry on every criterion
(`judging.score`, 10,000 sheets), then the results are computed and published (500
diplomas issued, 501 notices worded into the outbox), all 500 diploma PDFs are built one
by one (what the participants download), the organiser's PDF of all diplomas, and the
results protocol. Prints each phase's time, the statements it took, and the process's
peak memory. The target: results and 500 diplomas in under 30 s. On SQLite (a temp dir)
by default; with ``--pg`` the ``public`` schema of that database is dropped and re-created!
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event, insert, select

import handlers.contests.notices  # noqa: F401  (the renderers of the notices)
from bench.bench_search import migrated_empty
from bot.notices import NoticeRenderer
from documents.contest_protocol import build_contest_protocol
from documents.diploma import build_diploma, build_diplomas
from models import Association, Membership, User
from models.association import AssociationKind, AssociationStatus, MemberRole
from models.contests import ContestCriterion, ContestEntry, ContestNomination
from models.db import create_engine, create_session_factory
from models.user import QualificationCategory
from services.access import Actor
from services.clock import set_clock
from services.contests import announcing, diplomas, entries, judging, results

OPEN = datetime(2026, 12, 1, 9, tzinfo=UTC)
JUDGING = datetime(2026, 12, 11, 9, tzinfo=UTC)
LINK = "https://t.me/vmo_bot?start=verify_{}"


def _people(count: int, first_id: int, school: str) -> list[dict[str, object]]:
    return [
        dict(
            telegram_id=first_id + n,
            full_name=f"Учитель{n:04d} Мария Петровна",
            organisation=f"{school} № {n % 40 + 1}",
            position="teacher",
            subjects=["math"],
            experience_years=10,
            category=QualificationCategory.FIRST,
            municipality="г. Тверь",
            language="ru",
            consent_version="2026-09-01",
            consent_at=OPEN,
            registered_at=OPEN,
        )
        for n in range(count)
    ]


async def _world(session, entrants: int, jurors: int, criteria: int):  # type: ignore[no-untyped-def]
    association = Association(
        kind=AssociationKind.VMO,
        name="ВМО учителей математики",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
        status=AssociationStatus.ACTIVE,
        join_code="BENCH1",
        chat_id=-100_900,
    )
    session.add(association)
    await session.flush()
    rows = [
        dict(telegram_id=900_000, full_name="Иванова Анна Петровна", organisation="Управление"),
        *_people(entrants, 910_000, "МБОУ «СОШ"),
        *_people(jurors, 990_000, "Гимназия"),
    ]
    defaults = _people(1, 0, "x")[0]
    await session.execute(insert(User), [{**defaults, **row} for row in rows])
    users = (await session.execute(select(User.id, User.telegram_id))).all()
    await session.execute(
        insert(Membership),
        [
            dict(
                association_id=association.id,
                user_id=user_id,
                role=MemberRole.LEADER if telegram_id == 900_000 else MemberRole.MEMBER,
                joined_at=OPEN,
            )
            for user_id, telegram_id in users
        ],
    )
    juror_ids = [user_id for user_id, telegram_id in users if telegram_id >= 990_000]
    draft = announcing.ContestDraft(
        title="Педагогический дебют",
        rules="Конкурс методических разработок учителей математики.",
        nominations=("Лучший урок", "Проект"),
        criteria=tuple(announcing.CriterionDraft(f"Критерий {n + 1}", 10) for n in range(criteria)),
        opens_on=date(2026, 12, 1),
        closes_on=date(2026, 12, 10),
        judging_until=date(2026, 12, 15),
        results_on=date(2026, 12, 16),
        jurors=tuple(juror_ids),
        audience_vote=True,
    )
    contest = await announcing.announce(
        session, Actor(900_000), association_id=association.id, draft=draft
    )
    await NoticeRenderer("ru").deliver(session)
    await session.commit()
    return contest.id


async def run(url: str, entrants: int, jurors: int, criteria: int) -> list[tuple[str, float, int]]:
    engine = create_engine(url)
    await migrated_empty(engine)
    statements = [0]

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(*_: object) -> None:
        statements[0] += 1

    phases: list[tuple[str, float, int]] = []

    def timed(name: str, started: float, before: int) -> None:
        phases.append((name, time.perf_counter() - started, statements[0] - before))

    set_clock(lambda: OPEN)
    async with create_session_factory(engine)() as session:
        contest_id = await _world(session, entrants, jurors, criteria)
        nominations = (
            await session.scalars(
                select(ContestNomination.id).where(ContestNomination.contest_id == contest_id)
            )
        ).all()
        criterion_ids = (
            await session.scalars(
                select(ContestCriterion.id).where(ContestCriterion.contest_id == contest_id)
            )
        ).all()

        started, before = time.perf_counter(), statements[0]
        for n in range(entrants):
            draft = entries.EntryDraft(
                nomination_id=nominations[n % len(nominations)],
                title=f"Работа № {n + 1}",
                annotation="Урок с исследовательскими заданиями для 8 класса.",
                files=(entries.WorkFile(f"FILE-{n}", f"работа-{n}.pdf"),),
            )
            await entries.submit(session, Actor(910_000 + n), contest_id=contest_id, draft=draft)
            if n % 100 == 99:
                await session.commit()
        await session.commit()
        timed(f"{entrants} submissions", started, before)

        set_clock(lambda: JUDGING)
        entry_ids = (
            await session.scalars(
                select(ContestEntry.id)
                .where(ContestEntry.contest_id == contest_id)
                .order_by(ContestEntry.id)
            )
        ).all()
        started, before = time.perf_counter(), statements[0]
        for j in range(jurors):
            actor = Actor(990_000 + j)
            for k, entry_id in enumerate(entry_ids):
                values = {c: (j + k + i) % 11 for i, c in enumerate(criterion_ids)}
                await judging.score(session, actor, entry_id=entry_id, values=values)
            await session.commit()
        timed(f"{jurors} jurors × {len(entry_ids)} entries scored", started, before)

        started, before = time.perf_counter(), statements[0]
        found = await results.publish(session, Actor(900_000), contest_id)
        await NoticeRenderer("ru").deliver(session)
        await session.commit()
        timed("results published, diplomas issued, notices worded", started, before)

        started, before = time.perf_counter(), statements[0]
        data = await diplomas.all_diplomas(
            session, Actor(900_000), contest_id, link_for=LINK.format
        )
        timed("diplomas' data read", started, before)

        started, before = time.perf_counter(), statements[0]
        sizes = [len(build_diploma(item)) for item in data]
        timed(f"{len(sizes)} diploma PDFs, one by one", started, before)

        started = time.perf_counter()
        combined = build_diplomas(data)
        timed(f"one PDF of all diplomas ({len(combined) // 1024} KB)", started, statements[0])

        started, before = time.perf_counter(), statements[0]
        protocol = await diplomas.protocol_document(session, Actor(900_000), contest_id)
        content = build_contest_protocol(protocol)
        timed(f"results protocol ({len(content) // 1024} KB)", started, before)
        assert sum(len(n.entries) for n in found.nominations) == entrants
    await engine.dispose()
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", help="a PostgreSQL URL (its public schema is re-created!)")
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--jurors", type=int, default=20)
    parser.add_argument("--criteria", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.pg or f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        phases = asyncio.run(run(url, args.entries, args.jurors, args.criteria))
    backend = "PostgreSQL" if args.pg else "SQLite"
    print(f"\n### bench_contests — {backend}\n")
    print("| phase | seconds | statements |")
    print("|---|---:|---:|")
    for name, seconds, count in phases:
        print(f"| {name} | {seconds:.2f} | {count} |")
    results_and_diplomas = sum(s for name, s, _ in phases[2:5])
    print(f"\nResults + {args.entries} diplomas: {results_and_diplomas:.2f} s (target < 30 s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
