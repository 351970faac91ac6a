"""services.formatting: dates, times, names and the academic year."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from services.formatting import (
    academic_year_bounds,
    academic_year_label,
    academic_year_of,
    format_date,
    format_date_short,
    format_datetime,
    format_month,
    format_time,
    initials_first,
    short_name,
)

UTC = ZoneInfo("UTC")


def test_russian_long_date_has_genitive_month_and_year_mark():
    assert format_date(date(2026, 11, 26)) == "26 ноября 2026 г."
    assert format_date(date(2027, 3, 1), "ru") == "1 марта 2027 г."


def test_english_long_date():
    assert format_date(date(2026, 11, 26), "en") == "26 November 2026"


def test_long_date_of_a_datetime_uses_its_calendar_day():
    assert format_date(datetime(2026, 11, 26, 23, 30, tzinfo=UTC)) == "26 ноября 2026 г."


def test_short_date():
    assert format_date_short(date(2026, 1, 5)) == "05.01.2026"
    assert format_date_short(datetime(2026, 11, 26, 10, 0), "en") == "26.11.2026"


def test_time_is_shown_in_the_given_zone():
    moment = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert format_time(moment, "Europe/Moscow") == "15:00"
    assert format_time(moment, ZoneInfo("Asia/Yekaterinburg")) == "17:00"


def test_naive_datetime_is_taken_as_utc():
    assert format_time(datetime(2026, 11, 26, 12, 0), "Europe/Moscow") == "15:00"


def test_datetime_crosses_midnight_into_the_local_day():
    moment = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)
    assert format_datetime(moment, "Asia/Vladivostok") == "27 ноября 2026 г., 08:30"
    assert format_datetime(moment, "Europe/Moscow", "en") == "27 November 2026, 01:30"


def test_month_is_nominative_and_capitalised():
    assert format_month(2026, 12) == "Декабрь 2026"
    assert format_month(2027, 5, "ru") == "Май 2027"
    assert format_month(2026, 12, "en") == "December 2026"


@pytest.mark.parametrize(
    ("full", "short", "first"),
    [
        ("Иванова Анна Петровна", "Иванова А. П.", "А. П. Иванова"),
        ("Петров Иван", "Петров И.", "И. Петров"),
        ("Сократ", "Сократ", "Сократ"),
        ("  Смирнова   Елена  Викторовна ", "Смирнова Е. В.", "Е. В. Смирнова"),
        ("Ким Анна-Мария Сергеевна", "Ким А.-М. С.", "А.-М. С. Ким"),
        ("", "", ""),
    ],
)
def test_names(full, short, first):
    assert short_name(full) == short
    assert initials_first(full) == first


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2026, 11, 26), (2026, 2027)),
        (date(2026, 9, 1), (2026, 2027)),
        (date(2027, 8, 31), (2026, 2027)),
        (date(2026, 8, 31), (2025, 2026)),
        (date(2027, 1, 15), (2026, 2027)),
    ],
)
def test_academic_year_runs_from_september_to_august(day, year):
    assert academic_year_of(day) == year


def test_academic_year_label_and_bounds():
    assert academic_year_label(2026) == "2026/2027"
    assert academic_year_bounds(2026) == (date(2026, 9, 1), date(2027, 8, 31))
