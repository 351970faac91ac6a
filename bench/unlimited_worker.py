"""`python -m bot worker` with the bot's own flood pacing off, for `bench_updates.py
--no-limits --workers N`: what is left to measure is the worker's capacity."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot import request
from bot.__main__ import main

_paced_init = request.AiohttpRequest.__init__


def _unpaced_init(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    kwargs["limits"] = None
    _paced_init(self, *args, **kwargs)


if __name__ == "__main__":
    request.AiohttpRequest.__init__ = _unpaced_init  # type: ignore[method-assign]
    main(["worker"])
