"""Document build timings: ``python bench/bench_documents.py [repetitions]``.

Prints a Markdown table (document, pages, median ms, best ms). Targets from the issue:
the card file of 150 members and the protocol with 150 present, each under 1 s.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cases() -> list[tuple[str, Callable[[], bytes]]]:
    for path in (ROOT, ROOT / "tests" / "documents"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    import samples

    from documents import build_attendance, build_plan, build_protocol, build_roster

    roster = samples.make_roster(150)
    protocol = samples.make_protocol(present=150, absent=5)
    plan = samples.make_plan(12)
    attendance = samples.make_attendance(150)
    return [
        ("Картотека участников, 150 чел.", lambda: build_roster(roster)),
        ("Протокол, 150 присутствовавших", lambda: build_protocol(protocol)),
        ("План работы, 12 пунктов", lambda: build_plan(plan)),
        ("Лист регистрации, 150 чел.", lambda: build_attendance(attendance)),
    ]


def run(repetitions: int = 7) -> str:
    """Time each document ``repetitions`` times (after one warm-up) and return the table."""
    from pypdf import PdfReader

    lines = ["| document | pages | median ms | best ms |", "|---|---:|---:|---:|"]
    for name, build in _cases():
        pdf = build()  # warm-up: fonts, styles, imports
        pages = len(PdfReader(BytesIO(pdf)).pages)
        times = []
        for _ in range(repetitions):
            start = time.perf_counter()
            build()
            times.append((time.perf_counter() - start) * 1000)
        lines.append(f"| {name} | {pages} | {statistics.median(times):.0f} | {min(times):.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else 7))
