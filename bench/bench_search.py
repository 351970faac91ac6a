"""The bank's search over 20,000 materials: ``python bench/bench_search.py [--materials N]
[--database-url postgresql+asyncpg://...]``.

Builds N approved materials with realistic Russian titles, descriptions and tags (SQLite in
a temp dir, and PostgreSQL when ``--database-url`` is given — its ``public`` schema is
dropped and re-created!), then runs each query 30 times and prints p50/p95 per query and
database as a Markdown table. The target: every query under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import create_engine, create_session_factory
from models.migrate import upgrade_async
from models.resources import Material, MaterialKind, MaterialStatus
from services.resources import search

TOPICS = [
    "Дроби",
    "Проценты",
    "Уравнения",
    "Функции",
    "Геометрические построения",
    "Текстовые задачи",
    "Орфография",
    "Причастный оборот",
    "Сочинение-рассуждение",
    "Великая Отечественная война",
    "Фотосинтез",
    "Электрический ток",
    "Химические реакции",
    "Функциональная грамотность",
    "Проектная деятельность",
    "Читательская грамотность",
    "Подготовка к ОГЭ",
    "Подготовка к ЕГЭ",
]
FORMS = [
    "Конспект урока",
    "Технологическая карта",
    "Презентация",
    "Рабочий лист",
    "Тест",
    "Методическая разработка",
    "Внеклассное мероприятие",
    "Кейс",
]
WORDS = [
    "учащиеся",
    "задания",
    "класс",
    "оценивание",
    "групповая работа",
    "игра",
    "викторина",
    "исследование",
    "рефлексия",
    "самостоятельная работа",
    "цифровые ресурсы",
]
QUERIES = [
    "дробь",
    "уравнения с дробями",
    "подготовка к огэ",
    "функциональной грамотности",
    "викторина",
    "технологическая карта урока",
    "электричество",
    "несуществующееслово",
]


def _material(rng: random.Random, n: int) -> Material:
    topic, form = rng.choice(TOPICS), rng.choice(FORMS)
    words = rng.sample(WORDS, 4)
    return Material(
        kind=rng.choice(list(MaterialKind)),
        title=f"{form}: {topic.lower()} ({rng.randint(5, 11)} класс) №{n}",
        description=f"{form} по теме «{topic}». " + ", ".join(words) + ".",
        tags=", ".join(rng.sample(WORDS, 2)),
        status=MaterialStatus.APPROVED,
    )


async def migrated_empty(engine: AsyncEngine) -> None:
    """A fresh schema: PostgreSQL's `public` is dropped first (a new SQLite file is empty)."""
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade_async(engine)


async def _build(url: str, count: int) -> None:
    engine = create_engine(url)
    await migrated_empty(engine)
    rng = random.Random(7)
    async with create_session_factory(engine)() as session:
        for start in range(0, count, 2000):
            session.add_all(_material(rng, n) for n in range(start, min(count, start + 2000)))
            await session.flush()
        await session.commit()
        if url.startswith("postgresql"):
            await session.execute(text("ANALYZE materials"))
            await session.commit()
    await engine.dispose()


async def _measure(url: str, runs: int) -> dict[str, tuple[float, float, int]]:
    engine = create_engine(url)
    found: dict[str, tuple[float, float, int]] = {}
    async with create_session_factory(engine)() as session:
        for query in QUERIES:
            times, total = [], 0
            for _ in range(runs):
                started = time.perf_counter()
                _hits, total = await search.search(session, query, limit=10)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            found[query] = (statistics.median(times), p95, total)
    await engine.dispose()
    return found


async def main(args: argparse.Namespace) -> None:
    results: dict[str, dict[str, tuple[float, float, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"SQLite (FTS5 + Snowball)": f"sqlite+aiosqlite:///{Path(tmp) / 'bank.sqlite3'}"}
        if args.database_url:
            urls["PostgreSQL (russian, GIN)"] = args.database_url
        for name, url in urls.items():
            started = time.perf_counter()
            await _build(url, args.materials)
            print(
                f"{name}: {args.materials} materials built in "
                f"{time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
            results[name] = await _measure(url, args.runs)
    print(f"\n{args.materials} approved materials, {args.runs} runs per query, first page of 10\n")
    print("| query | " + " | ".join(f"{n} p50 / p95 ms (found)" for n in results) + " |")
    print("|---|" + "---:|" * len(results))
    for query in QUERIES:
        cells = [f"{r[query][0]:.1f} / {r[query][1]:.1f} ({r[query][2]})" for r in results.values()]
        print(f"| {query} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--materials", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default="")
    asyncio.run(main(parser.parse_args()))
