"""Heavy document work off the event loop.

ReportLab is pure Python and holds the GIL: a 30-page report built in a thread still
slows every other update the process handles. So documents — pure functions from plain
data to bytes (documents/) — are built in a separate process: `await offload(build, data)`.

`DOCUMENT_PROCESSES` sets the pool's size (default 1); 0 builds in a thread instead, for
machines where starting processes is not allowed. The pool is started on first use and
shut down with the application (`shutdown()`).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_pool: Executor | None = None


def _processes() -> int:
    try:
        return max(0, int(os.environ.get("DOCUMENT_PROCESSES", "1")))
    except ValueError:
        return 1


def _executor() -> Executor | None:
    global _pool
    if _pool is None and _processes() > 0:
        # "spawn": a fork of a process running an event loop and database threads is unsafe.
        _pool = ProcessPoolExecutor(_processes(), mp_context=multiprocessing.get_context("spawn"))
    return _pool


async def offload(build: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`build(*args, **kwargs)` in the document process; arguments and result are pickled,
    so `build` must be a module-level function and its data plain."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor(), partial(build, *args, **kwargs))


def shutdown() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
