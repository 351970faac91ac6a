"""A whole region, its heaviest reads measured: ``python bench/bench_region.py [--pg URL]
[--scale 1.0] [--sqlite-scale 0.1] [--runs 10]``.

Builds a synthetic regional network — at scale 1: 100,000 teachers, 1,000 associations of
100 members, a year of 8 meetings each with attendance, 1,000,000 activity events, 20,000
materials in the bank — on SQLite (a tenth by default, in a temp dir) and on PostgreSQL
when ``--pg`` is given (its ``public`` schema is dropped and re-created!). Then runs each of
the heaviest reads the bot makes `--runs` times and prints, per read and database, the
median and worst time, the number of SQL statements and the number of rows it answers
with, and the process's peak memory. The targets: each read under 200 ms, and no
statement count that grows with the rows shown (a small association's roster takes as
many statements as a large one's).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bench.bench_search import QUERIES, _material, migrated_empty
from models import ActivityEvent, Association, Membership, User
from models.association import AssociationKind, AssociationStatus, MemberRole
from models.db import create_engine, create_session_factory
from models.meetings import Meeting, MeetingAttendance, MeetingStatus
from models.user import NetworkRole, NetworkRoleGrant, QualificationCategory
from services import activity, activity_rollup, audience, memberships, newsletters, report
from services.access import Actor
from services.clock import now
from services.resources import catalogue

YEAR_START = datetime(2025, 9, 1, 6, tzinfo=UTC)
PERIOD = activity.Period(date(2025, 9, 1), date(2026, 8, 31))
SUBJECTS = [
    "Математика",
    "Русский язык",
    "История",
    "Биология",
    "Физика",
    "Химия",
    "Английский язык",
]
# What a teacher's profile stores: the catalogue's keys (services/catalogs.py).
SUBJECT_KEYS = ["math", "russian", "history", "biology", "physics", "chemistry", "english"]
SURNAMES = ["Иванова", "Петрова", "Смирнова", "Кузнецова", "Соколова", "Попова", "Лебедева"]
NAMES = ["Мария Петровна", "Елена Ивановна", "Ольга Сергеевна", "Анна Викторовна"]
EVENT_KINDS = [
    *["group_message"] * 6,
    "material_viewed",
    "material_downloaded",
    "consultation_asked",
]
CHUNK = 5_000


@dataclass(frozen=True)
class Sizes:
    teachers: int
    associations: int
    events: int
    materials: int
    meetings_per_association: int = 8

    @classmethod
    def at(cls, scale: float) -> Sizes:
        return cls(
            teachers=int(100_000 * scale),
            associations=max(2, int(1_000 * scale)),
            events=int(1_000_000 * scale),
            materials=int(20_000 * scale),
        )


@dataclass(frozen=True)
class Region:
    sizes: Sizes
    large: int  # an association of 100 members
    small: int  # an association of 10
    leader_of_large: int  # telegram ids
    leader_of_small: int
    methodist: int


def _chunks(rows: Iterator[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def _insert(session: AsyncSession, model: type, rows: Iterator[dict]) -> None:
    for batch in _chunks(rows):
        await session.execute(insert(model), batch)


def _teachers(sizes: Sizes, rng: random.Random) -> Iterator[dict]:
    now = YEAR_START - timedelta(days=30)
    for n in range(1, sizes.teachers + 1):
        name = f"{rng.choice(SURNAMES)} {rng.choice(NAMES)}"
        school = f"МБОУ СОШ № {n % 300 + 1}"
        yield {
            "telegram_id": 10_000_000 + n,
            "full_name": name,
            "organisation": school,
            "position": "Учитель",
            "subjects": [rng.choice(SUBJECT_KEYS)],
            "experience_years": rng.randint(1, 35),
            "category": rng.choice(list(QualificationCategory)),
            "municipality": f"Район {n % 40 + 1}",
            "search_text": f"{name} {school}".casefold(),
            "organisation_folded": school.casefold(),
            "municipality_folded": f"район {n % 40 + 1}",
            "language": "ru",
            "consent_version": "2026-01",
            "consent_at": now,
            "registered_at": now,
        }


def _members_of(sizes: Sizes, association: int) -> range:
    """User ids (1-based, in insertion order) of an association: 100 each; the last has 10."""
    per = sizes.teachers // sizes.associations
    first = (association - 1) * per + 1
    count = 10 if association == sizes.associations else per
    return range(first, first + count)


def _associations(sizes: Sizes) -> Iterator[dict]:
    for n in range(1, sizes.associations + 1):
        yield {
            "kind": AssociationKind.VMO,
            "name": f"ШМО учителей {SUBJECTS[n % len(SUBJECTS)].lower()} № {n}",
            "topic": "Формирование функциональной грамотности",
            "period_start": PERIOD.start,
            "period_end": PERIOD.end,
            "status": AssociationStatus.ACTIVE,
            "join_code": f"r{n:07d}",
            "chat_id": -1_000_000_000_000 - n,
            "created_by_user_id": _members_of(sizes, n)[0],
        }


def _memberships(sizes: Sizes) -> Iterator[dict]:
    for n in range(1, sizes.associations + 1):
        for i, user_id in enumerate(_members_of(sizes, n)):
            role = MemberRole.LEADER if i == 0 else MemberRole.MEMBER
            yield {"association_id": n, "user_id": user_id, "role": role, "joined_at": YEAR_START}


def _meetings(sizes: Sizes) -> Iterator[dict]:
    for n in range(1, sizes.associations + 1):
        for k in range(sizes.meetings_per_association):
            yield {
                "association_id": n,
                "number": k + 1,
                "academic_year": 2025,
                "topic": f"Заседание № {k + 1}",
                "form": "online",
                "starts_at": YEAR_START + timedelta(days=40 * k + 10),
                "link": "https://meet.example/room",
                "status": MeetingStatus.PROTOCOL_APPROVED,
            }


def _attendance(sizes: Sizes, rng: random.Random) -> Iterator[dict]:
    meeting_id = 0
    for n in range(1, sizes.associations + 1):
        members = _members_of(sizes, n)
        for _ in range(sizes.meetings_per_association):
            meeting_id += 1
            for user_id in members:
                if rng.random() < 0.6:
                    yield {"meeting_id": meeting_id, "user_id": user_id, "source": "self"}


def _events(sizes: Sizes, rng: random.Random) -> Iterator[dict]:
    for _ in range(sizes.events):
        association = rng.randint(1, sizes.associations)
        members = _members_of(sizes, association)
        kind = rng.choice(EVENT_KINDS)
        yield {
            "user_id": rng.choice(members),
            "association_id": association,
            "kind": kind,
            "ref_id": rng.randint(1, max(1, sizes.materials)) if "material" in kind else None,
            "at": YEAR_START + timedelta(seconds=rng.randint(0, 360 * 86400)),
        }


async def _materials(session: AsyncSession, sizes: Sizes, rng: random.Random) -> None:
    for start in range(0, sizes.materials, 2000):
        batch = [_material(rng, n) for n in range(start, min(sizes.materials, start + 2000))]
        for material in batch:
            material.association_id = rng.randint(1, sizes.associations)
            material.subject = rng.choice(SUBJECTS)
            material.approved_at = YEAR_START + timedelta(days=rng.randint(0, 360))
            material.downloads = rng.randint(0, 200)
        session.add_all(batch)
        await session.flush()


async def build(engine: AsyncEngine, sizes: Sizes) -> Region:
    """The region's rows, written in bulk (the bot's own code paths are for the reads)."""
    await migrated_empty(engine)
    rng = random.Random(2025)
    async with create_session_factory(engine)() as session:
        await _insert(session, User, _teachers(sizes, rng))
        await _insert(session, Association, _associations(sizes))
        await _insert(session, Membership, _memberships(sizes))
        await _insert(session, Meeting, _meetings(sizes))
        await _insert(session, MeetingAttendance, _attendance(sizes, rng))
        await _insert(session, ActivityEvent, _events(sizes, rng))
        await _materials(session, sizes, rng)
        methodist = {"user_id": sizes.teachers, "role": NetworkRole.METHODIST}  # in no association
        await session.execute(insert(NetworkRoleGrant), [methodist])
        await session.commit()
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))
    else:
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
    large_leader = _members_of(sizes, 1)[0]
    small_leader = _members_of(sizes, sizes.associations)[0]
    return Region(
        sizes,
        large=1,
        small=sizes.associations,
        leader_of_large=10_000_000 + large_leader,
        leader_of_small=10_000_000 + small_leader,
        methodist=10_000_000 + sizes.teachers,
    )


Read = Callable[[AsyncSession], Awaitable[int]]


def reads(region: Region) -> dict[str, Read]:
    """The heaviest reads, each answering with a number of rows."""
    start, end = PERIOD.bounds()
    everyone = audience.Audience(official=True)
    one_subject = audience.Audience(subject=SUBJECT_KEYS[1])
    district = audience.Audience(municipality="район 7")  # matched in Python, any case
    middle = region.sizes.teachers // 2  # a user id halfway through the teachers

    async def roster(association: int, leader: int, session: AsyncSession) -> int:
        found = await memberships.roster_of(
            session, actor=Actor(leader), association_id=association
        )
        return len(found.entries)

    async def find(session: AsyncSession) -> int:
        return len((await catalogue.find(session, Actor(region.methodist), QUERIES[0])).items)

    async def browse(session: AsyncSession) -> int:
        page = await catalogue.browse(session, Actor(region.methodist), catalogue.Filters())
        return len(page.items)

    async def association_year(session: AsyncSession) -> int:
        counted = await activity.tally(
            session, start=start, end=end, association_ids=[region.large]
        )
        await activity.held_meetings(session, start=start, end=end, association_ids=[region.large])
        return len(counted.counts)

    async def network_year(session: AsyncSession) -> int:
        counted = await activity.tally(session, start=start, end=end)
        await activity.held_meetings(
            session, start=start, end=end, association_ids=range(1, region.sizes.associations + 1)
        )
        return len(counted.counts)

    async def network_active_from_acts(session: AsyncSession) -> int:
        parts = activity.active_pairs(None, start, end)
        return len(await activity_rollup.people_in(session, parts))

    async def network_active(session: AsyncSession) -> int:
        return len(await activity_rollup.active_people(session, start=start, end=end))

    async def network_summary(session: AsyncSession) -> int:
        return len((await report.gather_network(session, PERIOD)).lines)

    return {
        "roster, 100 members": lambda s: roster(region.large, region.leader_of_large, s),
        "roster, 10 members": lambda s: roster(region.small, region.leader_of_small, s),
        f"catalogue search «{QUERIES[0]}», first page": find,
        "catalogue, newest first, first page": browse,
        "newsletter audience: the whole network, counted": lambda s: _counted(s, everyone),
        "newsletter audience: one subject, counted": lambda s: _counted(s, one_subject),
        "newsletter audience: the whole network, a page": lambda s: _page(s, everyone, middle),
        "newsletter audience: one subject, a page": lambda s: _page(s, one_subject, middle),
        "newsletter audience: one municipality, counted": lambda s: _counted(s, district),
        "activity of an association, a year": association_year,
        "activity of the network, a year": network_year,
        "people active in the network, a year, from the acts": network_active_from_acts,
        "people active in the network, a year, rollup + acts since": network_active,
        "network summary data (report)": network_summary,
    }


async def _counted(session: AsyncSession, chosen: audience.Audience) -> int:
    """What the preview and the press read: how many (services.newsletters.start)."""
    return await audience.count(session, chosen)


async def _page(session: AsyncSession, chosen: audience.Audience, after: int) -> int:
    """What each pass of the fan-out reads: a page in the middle of the audience."""
    page = await audience.candidates_after(
        session, chosen, after_user_id=after, size=newsletters.FANOUT_PAGE
    )
    return len(page)


@dataclass(frozen=True)
class Measured:
    median_ms: float
    worst_ms: float
    statements: int
    rows: int


async def measure(engine: AsyncEngine, read: Read, runs: int) -> Measured:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    times: list[float] = []
    rows = 0
    sessions = create_session_factory(engine)
    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        for _ in range(runs):
            statements.clear()
            async with sessions() as session:
                started = time.perf_counter()
                rows = await read(session)
                times.append((time.perf_counter() - started) * 1000)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    return Measured(statistics.median(times), max(times), len(statements), rows)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(url: str, sizes: Sizes, runs: int) -> tuple[float, dict[str, Measured], float]:
    engine = create_engine(url)
    try:
        started = time.perf_counter()
        region = await build(engine, sizes)
        built = time.perf_counter() - started
        started = time.perf_counter()
        async with create_session_factory(engine)() as session:
            await activity_rollup.build(session, PERIOD, through=now())  # the daily sweep's work
            await session.commit()
        print(f"the rollup's daily build: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        results = {name: await measure(engine, read, runs) for name, read in reads(region).items()}
    finally:
        await engine.dispose()
    return built, results, _peak_mb()


def _describe(sizes: Sizes) -> str:
    def n(count: int) -> str:
        return f"{count:,}".replace(",", " ")

    return (
        f"{n(sizes.teachers)} teachers, {n(sizes.associations)} associations, "
        f"{n(sizes.events)} events, {n(sizes.materials)} materials"
    )


async def main(args: argparse.Namespace) -> None:
    configurations: list[tuple[str, str, Sizes]] = []
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite+aiosqlite:///{Path(tmp) / 'region.sqlite3'}"
        configurations.append(("SQLite", sqlite_url, Sizes.at(args.sqlite_scale)))
        if args.pg:
            configurations.append(("PostgreSQL", args.pg, Sizes.at(args.scale)))
        table: dict[str, dict[str, Measured]] = {}
        for name, url, sizes in configurations:
            built, results, peak = await run(url, sizes, args.runs)
            label = f"{name} ({_describe(sizes)})"
            print(f"{label}: built in {built:.0f} s, peak memory {peak:.0f} MB", file=sys.stderr)
            table[label] = results
    print(f"\n{args.runs} runs per read; median / worst ms, SQL statements, rows answered\n")
    for label, results in table.items():
        print(f"**{label}**\n")
        print("| read | median ms | worst ms | statements | rows |")
        print("|---|---:|---:|---:|---:|")
        for read, m in results.items():
            print(f"| {read} | {m.median_ms:.1f} | {m.worst_ms:.1f} | {m.statements} | {m.rows} |")
        print()
    print(f"peak memory of this process: {_peak_mb():.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="", help="PostgreSQL URL (its schema is dropped!)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--sqlite-scale", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=10)
    asyncio.run(main(parser.parse_args()))
