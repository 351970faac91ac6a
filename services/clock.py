"""The one source of "now" (tests move it) and the academic year."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """The current moment (UTC, aware). Tests replace it with `set_clock`."""
    return _now()


def set_clock(source: Callable[[], datetime] | None) -> None:
    """Make `now()` return what `source` returns; None restores the real clock."""
    global _now
    _now = source if source is not None else (lambda: datetime.now(UTC))


def academic_year_start(day: date) -> int:
    """The calendar year in which the academic year containing `day` began (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)
