"""The member card file «Картотека участников»."""

import pytest
from pdf_probe import font_names, full_text, lines, page_texts, reader
from samples import TRICKY_NAME, make_roster

from documents.roster import build_roster, experience, years_ru


@pytest.fixture(scope="module")
def roster_150() -> bytes:
    return build_roster(make_roster(150, tricky_first=True))


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1 год"),
        (3, "3 года"),
        (5, "5 лет"),
        (11, "11 лет"),
        (12, "12 лет"),
        (14, "14 лет"),
        (21, "21 год"),
        (22, "22 года"),
        (0, "0 лет"),
        (111, "111 лет"),
    ],
)
def test_years_have_the_right_russian_plural(n, text):
    assert years_ru(n) == text


@pytest.mark.parametrize(("n", "text"), [(0, "менее года"), (1, "1 год"), (23, "23 года")])
def test_experience_under_a_year_is_not_zero_years(n, text):
    assert experience(n) == text


def test_roster_has_title_year_date_and_total(roster_150):
    text = full_text(roster_150)
    assert "КАРТОТЕКА УЧАСТНИКОВ" in text
    assert "виртуального методического объединения учителей математики" in text
    assert "на 2026/2027 учебный год" in text
    assert "Дата составления: 26 ноября 2026 г." in text
    assert "Всего участников: 150" in text
    assert "/ А. П. Иванова /" in text
    assert "Руководитель ВМО" in text


def test_roster_rows_are_numbered_to_the_last_member(roster_150):
    text = full_text(roster_150)
    assert "149." in text and "150." in text
    assert "151." not in text
    # «12 лет» is tied and its column wide enough: never «12 ле» / «т»
    assert {"12 лет", "3 года", "21 год", "1 год"} <= set(lines(roster_150))


def test_roster_codes_are_printed_in_russian(roster_150):
    text = full_text(roster_150)
    assert "руководитель" in text and "секретарь" in text and "участник" in text
    assert "first" not in text and "highest" not in text


def test_roster_of_150_spans_pages_with_header_repeated(roster_150):
    pages = page_texts(roster_150)
    assert 4 <= len(pages) <= 20
    for page in pages:
        assert "Фамилия, имя," in page and "отчество" in page
        assert "Роль в" in page
    assert "КАРТОТЕКА УЧАСТНИКОВ" not in pages[1]


def test_roster_page_is_landscape_a4(roster_150):
    box = reader(roster_150).pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595


def test_markup_typed_into_a_name_is_not_printed(roster_150):
    text = full_text(roster_150)
    assert TRICKY_NAME.split()[0] + " <b>&" not in text
    assert "Иванова Анна Петровна" in text


def test_roster_metadata_and_embedded_font(roster_150):
    meta = reader(roster_150).metadata
    assert meta.title.startswith("Картотека участников")
    assert meta.creator == "ВМО-бот"
    assert meta.author == "Иванова Анна Петровна"
    assert font_names(roster_150) <= {"PTSerif-Regular", "PTSerif-Bold"}
    assert "PTSerif-Regular" in font_names(roster_150)


def test_empty_roster_still_builds():
    pdf = build_roster(make_roster(0))
    assert "Всего участников: 0" in full_text(pdf)
    assert len(reader(pdf).pages) == 1
