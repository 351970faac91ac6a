"""Reading the meeting times people type, in the association's time zone.

Accepted: ``12.12 15:00``, ``12.12.2026 15:00``, ``12 декабря 15:00``, ``завтра 15:00``,
``сегодня 15:00``, ``послезавтра 15:00``, and in English ``tomorrow 15:00``,
``today 15:00``, ``12 December 15:00``, ``December 12 15:00``. A year left out means the
next such date that is not in the past.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.errors import InvalidInput
from services.texts import N_


class UnreadableTime(InvalidInput):
    message = N_(
        "I could not read the date and time. Please write them like this: "
        "<i>12.12 15:00</i>, <i>12.12.2026 15:00</i>, <i>12 декабря 15:00</i> or "
        "<i>завтра 15:00</i>."
    )


class NoSuchDate(InvalidInput):
    message = N_("There is no such date in the calendar. Please check the day and the month.")


class TimeInPast(InvalidInput):
    message = N_("This time has already passed ({when}). Please choose a time in the future.")


class OutsidePeriod(InvalidInput):
    message = N_(
        "This date is outside the association's period of work ({start} – {end}). "
        "Please choose a date within it."
    )


MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7,
    "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
RELATIVE = {
    "сегодня": 0, "today": 0, "завтра": 1, "tomorrow": 1, "послезавтра": 2,
}  # fmt: skip

_TIME = r"(?:в\s+|at\s+)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})"
_NUMERIC = re.compile(rf"^(?P<d>\d{{1,2}})[./](?P<m>\d{{1,2}})(?:[./](?P<y>\d{{2,4}}))?\s+{_TIME}$")
_WORD_MONTH = re.compile(
    rf"^(?P<d>\d{{1,2}})\s+(?P<mon>[^\W\d_]+)\.?(?:\s+(?P<y>\d{{4}}))?(?:\s*г\.?)?,?\s+{_TIME}$"
)
_MONTH_FIRST = re.compile(
    rf"^(?P<mon>[a-z]+)\.?\s+(?P<d>\d{{1,2}})(?:,?\s+(?P<y>\d{{4}}))?,?\s+{_TIME}$"
)
_RELATIVE = re.compile(rf"^(?P<rel>[^\W\d_]+),?\s+{_TIME}$")


def _month(word: str) -> int | None:
    word = word.lower()
    if word in ("май", "мая", "мае"):
        return 5
    for stem, number in MONTHS.items():
        if stem != "ма" and word.startswith(stem):
            return number
    return None


def _clock(match: re.Match[str]) -> time:
    hour, minute = int(match["h"]), int(match["mi"])
    if hour > 23 or minute > 59:
        raise UnreadableTime()
    return time(hour, minute)


def _dated(
    day: int, month: int, year: str | None, clock: time, zone: ZoneInfo, today: date
) -> datetime:
    if year is not None:
        full = int(year) + (2000 if len(year) == 2 else 0)
        candidates = [full]
    else:
        candidates = [today.year, today.year + 1]
    chosen: datetime | None = None
    for candidate in candidates:
        try:
            moment = datetime.combine(date(candidate, month, day), clock, tzinfo=zone)
        except ValueError:
            continue
        chosen = moment
        if year is not None or moment.date() >= today:
            return moment
    if chosen is None:
        raise NoSuchDate()
    return chosen


def parse_local(text: str, tz: str, now: datetime) -> datetime:
    """The moment `text` names in zone `tz` (aware, in that zone); InvalidInput if unreadable."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    cleaned = " ".join(text.strip().lower().replace("ё", "е").split())
    if match := _NUMERIC.match(cleaned):
        return _dated(int(match["d"]), int(match["m"]), match["y"], _clock(match), zone, today)
    for pattern in (_WORD_MONTH, _MONTH_FIRST):
        if (match := pattern.match(cleaned)) and (month := _month(match["mon"])):
            return _dated(int(match["d"]), month, match["y"], _clock(match), zone, today)
    if (match := _RELATIVE.match(cleaned)) and match["rel"] in RELATIVE:
        day = today + timedelta(days=RELATIVE[match["rel"]])
        return datetime.combine(day, _clock(match), tzinfo=zone)
    raise UnreadableTime()


def parse_meeting_time(
    text: str, *, tz: str, now: datetime, period: tuple[date, date], lang: str = "ru"
) -> datetime:
    """A meeting's start in UTC, refusing past times and dates outside `period`."""
    from services.formatting import format_date, format_datetime

    local = parse_local(text, tz, now)
    moment = local.astimezone(UTC)
    if moment <= now:
        raise TimeInPast(when=format_datetime(moment, tz, lang))
    if not period[0] <= local.date() <= period[1]:
        raise OutsidePeriod(start=format_date(period[0], lang), end=format_date(period[1], lang))
    return moment


class UnreadablePeriod(InvalidInput):
    message = N_(
        "I could not read the period. Please write it like this: "
        "<i>01.09.2026 – 31.05.2027</i> or <i>1 сентября 2026 – 31 мая 2027</i>."
    )


class BackwardPeriod(InvalidInput):
    message = N_("The period ends before it begins. Please write the earlier date first.")


_DAY_NUMERIC = re.compile(r"^(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4}|\d{2})$")
_DAY_WORDS = re.compile(r"^(?P<d>\d{1,2})\s+(?P<mon>[^\W\d_]+)\.?\s+(?P<y>\d{4})(?:\s*г\.?)?$")
_PERIOD_SPLIT = re.compile(r"\s*(?:[–—-]|\.\.|\bпо\b|\bto\b)\s*")


def _day(text: str) -> date:
    month: int | None
    if match := _DAY_NUMERIC.match(text):
        day, month, year = int(match["d"]), int(match["m"]), match["y"]
    elif (match := _DAY_WORDS.match(text)) and (month := _month(match["mon"])):
        day, year = int(match["d"]), match["y"]
    else:
        raise UnreadablePeriod()
    try:
        return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    except ValueError:
        raise NoSuchDate() from None


def parse_period(text: str) -> tuple[date, date]:
    """Two dates with their years, «dd.mm.yyyy – dd.mm.yyyy» (or with month words, «с … по
    …»); the first not after the second."""
    cleaned = " ".join(text.strip().lower().replace("ё", "е").split())
    cleaned = re.sub(r"^с\s+", "", cleaned)
    parts = [p for p in _PERIOD_SPLIT.split(cleaned, maxsplit=1) if p]
    if len(parts) != 2:
        raise UnreadablePeriod()
    start, end = _day(parts[0]), _day(parts[1])
    if end < start:
        raise BackwardPeriod()
    return start, end
