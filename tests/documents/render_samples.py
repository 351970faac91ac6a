"""Render the sample documents to PDF and PNG for looking at them page by page.

``python tests/documents/render_samples.py OUTDIR`` writes OUTDIR/<name>.pdf and, when
poppler's ``pdftoppm`` is installed, OUTDIR/<name>-<page>.png at 60 dpi.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent.parent)]

import samples  # noqa: E402

from documents import (  # noqa: E402
    build_attendance,
    build_plan,
    build_protocol,
    build_protocol_extract,
    build_roster,
)


def documents() -> dict[str, Callable[[], bytes]]:
    """Every document in its rich form and the edge cases, by file name."""
    return {
        "protocol_rich": lambda: build_protocol(samples.rich_protocol()),
        "protocol_appendix": lambda: build_protocol(samples.rich_protocol(17, 0)),
        "protocol_draft": lambda: build_protocol(samples.rich_protocol(draft=True)),
        "protocol_extract": lambda: build_protocol_extract(samples.rich_protocol(), 2),
        "protocol_empty": lambda: build_protocol(
            replace(samples.rich_protocol(1, 0, draft=True), agenda=())
        ),
        "plan_rich": lambda: build_plan(samples.rich_plan()),
        "plan_draft": lambda: build_plan(samples.rich_plan(approved=False)),
        "roster_rich": lambda: build_roster(samples.rich_roster()),
        "attendance_rich": lambda: build_attendance(samples.rich_attendance()),
    }


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, build in documents().items():
        pdf = out / f"{name}.pdf"
        pdf.write_bytes(build())
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / name)], check=True)
        print(pdf)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "rendered"))
