"""What the sweep runner lends a sweep for its run: the process's settings.

A sweep is `run(session)` (scheduler/schedule.py); the few that need a setting (the
network's time zone, the outbox's pace) read it here while scheduler/jobs.py runs them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from bot.settings import Settings

_SETTINGS: ContextVar[Settings | None] = ContextVar("sweep_settings", default=None)


def sweep_settings() -> Settings:
    """The settings of the process running the current sweep."""
    settings = _SETTINGS.get()
    if settings is None:
        raise RuntimeError("sweep_settings() is only available while a sweep runs")
    return settings


@contextmanager
def lend(settings: Settings | None) -> Iterator[None]:
    """Make `settings` the current sweep's settings for the duration of the block."""
    token = _SETTINGS.set(settings)
    try:
        yield
    finally:
        _SETTINGS.reset(token)
