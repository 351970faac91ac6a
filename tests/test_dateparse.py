"""Meeting times as people type them, in the association's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.dateparse import (
    NoSuchDate,
    OutsidePeriod,
    TimeInPast,
    UnreadableTime,
    parse_meeting_time,
)

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 12:00 in Moscow
PERIOD = (date(2026, 9, 1), date(2027, 8, 31))


def when(text: str, tz: str = "Europe/Moscow") -> datetime:
    return parse_meeting_time(text, tz=tz, now=NOW, period=PERIOD)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.12 15:00", datetime(2026, 12, 12, 12, 0, tzinfo=UTC)),
        ("12.12.2026 15:00", datetime(2026, 12, 12, 12, 0, tzinfo=UTC)),
        ("12/12/26 15.00", datetime(2026, 12, 12, 12, 0, tzinfo=UTC)),
        ("12 декабря 15:00", datetime(2026, 12, 12, 12, 0, tzinfo=UTC)),
        ("12 декабря 2026 г. в 15:00", datetime(2026, 12, 12, 12, 0, tzinfo=UTC)),
        ("3 мая 10:30", datetime(2027, 5, 3, 7, 30, tzinfo=UTC)),
        ("завтра 15:00", datetime(2026, 11, 27, 12, 0, tzinfo=UTC)),
        ("Завтра в 15:00", datetime(2026, 11, 27, 12, 0, tzinfo=UTC)),
        ("tomorrow 15:00", datetime(2026, 11, 27, 12, 0, tzinfo=UTC)),
        ("12 December 15:00", datetime(2026, 12, 12, 12, 0, tzinfo=UTC)),
        ("December 12, 2026 15:00", datetime(2026, 12, 12, 12, 0, tzinfo=UTC)),
        ("15.01 09:00", datetime(2027, 1, 15, 6, 0, tzinfo=UTC)),  # next year
        ("сегодня 18:00", datetime(2026, 11, 26, 15, 0, tzinfo=UTC)),
    ],
)
def test_forms_in_moscow(text: str, expected: datetime) -> None:
    assert when(text) == expected


def test_vladivostok_wall_clock() -> None:
    # 15:00 in Vladivostok (UTC+10) is 05:00 UTC.
    assert when("12.12 15:00", "Asia/Vladivostok") == datetime(2026, 12, 12, 5, 0, tzinfo=UTC)
    # It is already 19:00 on 26 November in Vladivostok: "today 18:00" has passed.
    with pytest.raises(TimeInPast):
        when("сегодня 18:00", "Asia/Vladivostok")
    assert when("завтра 09:00", "Asia/Vladivostok") == datetime(2026, 11, 26, 23, 0, tzinfo=UTC)


def test_refusals_say_why() -> None:
    with pytest.raises(TimeInPast) as past:
        when("26.11.2026 10:00")
    assert "26 ноября 2026 г., 10:00" in past.value.params["when"]
    with pytest.raises(OutsidePeriod) as outside:
        when("12.09.2027 10:00")
    assert outside.value.params["end"] == "31 августа 2027 г."
    with pytest.raises(NoSuchDate):
        when("31.02.2027 10:00")
    for text in ("когда-нибудь", "12.12", "25:00 завтра", "12.12 25:00", "32 декабря 10:00"):
        with pytest.raises((UnreadableTime, NoSuchDate)):
            when(text)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("01.09.2026 – 31.05.2027", date(2026, 9, 1), date(2027, 5, 31)),
        ("1.9.26-31.12.26", date(2026, 9, 1), date(2026, 12, 31)),
        ("с 1 сентября 2026 по 31 мая 2027 г.", date(2026, 9, 1), date(2027, 5, 31)),
        ("1 September 2026 — 1 March 2027", date(2026, 9, 1), date(2027, 3, 1)),
        ("15.01.2027 – 15.01.2027", date(2027, 1, 15), date(2027, 1, 15)),
    ],
)
def test_a_period_of_two_dates(text: str, start: date, end: date) -> None:
    from services.dateparse import parse_period

    assert parse_period(text) == (start, end)


def test_a_period_refused() -> None:
    from services.dateparse import BackwardPeriod, UnreadablePeriod, parse_period

    with pytest.raises(BackwardPeriod):
        parse_period("31.05.2027 – 01.09.2026")
    with pytest.raises(NoSuchDate):
        parse_period("30.02.2027 – 01.03.2027")
    for text in ("01.09.2026", "с сентября по май", "01.09 – 31.05", "вчера – сегодня"):
        with pytest.raises(UnreadablePeriod):
            parse_period(text)
