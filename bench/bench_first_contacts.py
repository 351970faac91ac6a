"""150 first contacts: /start from 150 new people at once (a deep link on a meeting's
slide). The real Application against the fake Bot API with Telegram's limits enforced and
50 ms added to every call; a fresh SQLite database per run. Prints a table.

Mode "shared limiter" is the bot as built; "no limiter" takes the limits out of the
request layer (what the bot did before: a reply that met 429 was lost).
Run: .venv/bin/python -m bench.bench_first_contacts [--people 150] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.request import counts_as_message
from tests.fakebot import FakeBotApi
from tests.harness import BotHarness, make_settings

FIRST = 770_000
OVERALL_LIMIT = 30  # Telegram's messages a second, what the target is measured against


async def one_run(people: int, rate: float, *, limiter: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        async with FakeBotApi(latency=0.05) as api:
            harness = BotHarness(api, make_settings(api, url, outbox_rate_per_second=rate))
            app = await harness.start()
            if not limiter:
                app.bot.request.limits = None  # type: ignore[attr-defined]
            try:
                return await _first_contacts(api, people)
            finally:
                await harness.stop()


async def _first_contacts(api: FakeBotApi, people: int) -> dict[str, float]:
    ids = [FIRST + n for n in range(people)]
    for person in ids:
        api.add_user(person)
    started = time.monotonic()
    for person in ids:
        api.user_sends(person, "/start")

    def answered() -> set[int]:
        return {c.params["chat_id"] for c in api.calls if c.ok and counts_as_message(c.method)}

    with contextlib.suppress(AssertionError):  # what never arrived is counted below
        await api.wait_for(lambda: len(answered()) == people, timeout=60)
    last = max((c.time for c in api.calls if c.ok and counts_as_message(c.method)), default=started)
    return {
        "answered": len(answered()),
        "seconds": last - started,
        "429s": api.stats["too_many_requests"],
    }


def _table(rows: list[tuple[str, int, dict[str, float]]], people: int) -> str:
    floor = people / OVERALL_LIMIT
    lines = [
        f"150 first contacts: Telegram's {OVERALL_LIMIT}/s needs {floor:.1f} s; target ≤ "
        f"{2 * floor:.0f} s",
        "",
        "| mode | run | answered | lost | last answer after, s | of the 30/s floor | 429s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for mode, run, r in rows:
        lines.append(
            f"| {mode} | {run} | {r['answered']:.0f} | {people - r['answered']:.0f} | "
            f"{r['seconds']:.2f} | {r['seconds'] / floor:.2f}× | {r['429s']:.0f} |"
        )
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rate", type=float, default=25.0, help="OUTBOX_RATE_PER_SECOND")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # "no limiter" logs every lost answer
    rows = []
    for mode, limiter in (("shared limiter", True), ("no limiter", False)):
        for run in range(1, args.runs + 1):
            rows.append((mode, run, await one_run(args.people, args.rate, limiter=limiter)))
    print(_table(rows, args.people))


if __name__ == "__main__":
    asyncio.run(main())
