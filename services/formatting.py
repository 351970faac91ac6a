"""Formatting for humans: dates, times, names and the academic year.

Names live in :mod:`services.names`; ``short_name`` and ``initials_first`` are re-exported
here for the callers that import them from this module.

The one place that turns dates and names into text (ARCHITECTURE.md rules 4 and 11).
No Telegram and no database imports here: bot messages and PDF documents both use it.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date

from services.names import address_name, initials_first, short_name
from services.texts import T_

__all__ = [
    "academic_year_bounds",
    "academic_year_label",
    "academic_year_of",
    "address_name",
    "format_date",
    "format_date_short",
    "format_datetime",
    "format_edition",
    "format_month",
    "format_time",
    "initials_first",
    "short_name",
]

# The academic year starts on 1 September and ends on 31 August.
# Russia's time zones, west to east (no daylight saving time since 2014).
TIME_ZONES = {
    "Europe/Kaliningrad": T_("Kaliningrad (MSK−1)"),
    "Europe/Moscow": T_("Moscow (MSK)"),
    "Europe/Samara": T_("Samara (MSK+1)"),
    "Asia/Yekaterinburg": T_("Yekaterinburg (MSK+2)"),
    "Asia/Omsk": T_("Omsk (MSK+3)"),
    "Asia/Novosibirsk": T_("Novosibirsk, Krasnoyarsk (MSK+4)"),
    "Asia/Irkutsk": T_("Irkutsk (MSK+5)"),
    "Asia/Yakutsk": T_("Yakutsk (MSK+6)"),
    "Asia/Vladivostok": T_("Vladivostok (MSK+7)"),
    "Asia/Magadan": T_("Magadan, Sakhalin (MSK+8)"),
    "Asia/Kamchatka": T_("Kamchatka (MSK+9)"),
}

ACADEMIC_YEAR_START_MONTH = 9

_DATE_PATTERNS = {"ru": "d MMMM y 'г.'", "en": "d MMMM y"}


def _locale(lang: str) -> str:
    """Babel locale for a language code; anything but English is Russian."""
    return "en" if (lang or "").lower().startswith("en") else "ru"


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def _local(dt: datetime, tz: str | ZoneInfo) -> datetime:
    """``dt`` in zone ``tz``; a naive datetime is taken to be UTC (the database's zone)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo("UTC"))
    return dt.astimezone(_zone(tz))


def format_date(d: date | datetime, lang: str = "ru") -> str:
    """Long date: «26 ноября 2026 г.» (ru, genitive month) or "26 November 2026" (en).

    A datetime is formatted as is (convert it to the right zone first, or use
    :func:`format_datetime`).
    """
    loc = _locale(lang)
    day = d.date() if isinstance(d, datetime) else d
    return _babel_date(day, _DATE_PATTERNS[loc], locale=loc)


def format_date_short(d: date | datetime, lang: str = "ru") -> str:
    """Numeric date: "26.11.2026" (the same in both languages, as Russian paperwork uses)."""
    day = d.date() if isinstance(d, datetime) else d
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def format_time(dt: datetime, tz: str | ZoneInfo, lang: str = "ru") -> str:
    """Wall-clock time "15:00" of ``dt`` in zone ``tz`` (24-hour in both languages)."""
    local = _local(dt, tz)
    return f"{local.hour:02d}:{local.minute:02d}"


def format_datetime(dt: datetime, tz: str | ZoneInfo, lang: str = "ru") -> str:
    """«26 ноября 2026 г., 15:00» / "26 November 2026, 15:00" in zone ``tz``."""
    local = _local(dt, tz)
    return f"{format_date(local.date(), lang)}, {format_time(local, local.tzinfo, lang)}"


def format_month(year: int, month: int, lang: str = "ru") -> str:
    """Nominative month and year, capitalised: «Декабрь 2026» / "December 2026"."""
    loc = _locale(lang)
    text = _babel_date(date(year, month, 1), "LLLL y", locale=loc)
    return text[:1].upper() + text[1:]


def format_edition(version: str, lang: str = "ru") -> str:
    """A document's edition for a reader: an ISO date «2026-09-01» becomes «1 сентября 2026
    г.» ("1 September 2026"); any other label stays as it is."""
    try:
        return format_date(date.fromisoformat(version), lang)
    except ValueError:
        return version


def academic_year_of(d: date) -> tuple[int, int]:
    """The academic year containing ``d``: 26.11.2026 -> (2026, 2027), 31.08.2027 -> same."""
    if isinstance(d, datetime):
        d = d.date()
    start = d.year if d.month >= ACADEMIC_YEAR_START_MONTH else d.year - 1
    return start, start + 1


def academic_year_label(start: int) -> str:
    """«2026/2027» for the academic year starting in September of ``start``."""
    return f"{start}/{start + 1}"


def academic_year_bounds(start: int) -> tuple[date, date]:
    """First and last day of the academic year: (1 September start, 31 August start + 1)."""
    return date(start, ACADEMIC_YEAR_START_MONTH, 1), date(start + 1, 8, 31)
