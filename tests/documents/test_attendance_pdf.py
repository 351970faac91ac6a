"""The attendance sheet «Лист регистрации участников заседания»."""

import pytest
from pdf_probe import font_names, full_text, page_texts, reader
from samples import make_attendance

from documents.attendance import AttendanceEntry, build_attendance, presence_mark


@pytest.mark.parametrize(
    ("name", "present", "mark"),
    [
        ("Иванова Анна Петровна", True, "присутствовала"),
        ("Петров Иван Иванович", True, "присутствовал"),
        ("Петров Иван Иванович", False, "отсутствовал"),
        ("Смирнова Елена Викторовна", False, "отсутствовала"),
        ("Ким Анна", True, "присутствует"),
        ("Ким Анна", False, "отсутствует"),
        ("Мамедов Эльчин Рашид оглы", True, "присутствовал"),
        ("Алиева Лейла Рашид кызы", False, "отсутствовала"),
    ],
)
def test_presence_mark_agrees_with_the_patronymic(name, present, mark):
    assert presence_mark(name, present) == mark


def test_sheet_has_meeting_table_and_counts():
    pdf = build_attendance(make_attendance(20, absent_every=7))
    text = full_text(pdf)
    assert "ЛИСТ РЕГИСТРАЦИИ" in text
    assert "участников заседания № 3 виртуального методического объединения" in text
    assert "Дата и время: 26 ноября 2026 г., 15:00" in text
    assert "Отметка о присутствии" in text
    assert "20." in text and "21." not in text
    assert "Всего по списку: 20 чел." in text
    assert "Присутствовали: 17 чел." in text  # 0, 7 and 14 are absent
    assert "Отсутствовали: 3 чел." in text
    assert "Секретарь ВМО ______________ / Е. В. Смирнова /" in text


def test_long_sheet_repeats_the_header():
    pdf = build_attendance(make_attendance(150))
    pages = page_texts(pdf)
    assert len(pages) >= 3
    assert all("Фамилия, имя, отчество" in p for p in pages)
    assert "Всего по списку: 150 чел." in full_text(pdf)


def test_sheet_escapes_names_and_embeds_pt_serif():
    data = make_attendance(2)
    data = type(data)(
        **{**data.__dict__, "entries": (AttendanceEntry("Иванова <b>& Анна", "Школа <№1>"),)}
    )
    pdf = build_attendance(data)
    text = full_text(pdf)
    assert "Школа <№1>" in text  # user text is printed literally
    assert "Иванова Анна" in text and "<b>" not in text  # markup is no part of a name
    assert "PTSerif-Regular" in font_names(pdf)
    assert reader(pdf).metadata.title == (
        "Лист регистрации участников заседания № 3 "
        "виртуального методического объединения учителей математики"
    )
