"""The meeting protocol and the extract from it."""

from dataclasses import replace

import pytest
from pdf_probe import font_names, full_text, page_texts, reader
from samples import TRICKY_NAME, make_protocol

from documents.protocol import build_protocol, build_protocol_extract


def test_protocol_header_and_participants_with_attached_list():
    pdf = build_protocol(make_protocol(present=20, absent=2))
    text = full_text(pdf)
    assert "МБОУ «Средняя общеобразовательная школа № 5» г. Твери" in text
    assert "ПРОТОКОЛ № 3" in text
    assert "заседания виртуального методического объединения учителей математики" in text
    assert "от 26 ноября 2026 г. Начало: 15:00" in text  # 12:00 UTC in Moscow
    assert "онлайн, платформа Сферум" in text
    assert "Председатель: Иванова А. П." in text
    assert "Секретарь: Смирнова Е. В." in text
    assert "Присутствовали: 20 чел." in text
    assert "список прилагается" in text
    assert "Отсутствовали: 2 чел." in text


def test_more_than_15_present_go_to_an_appendix_on_a_new_page():
    pdf = build_protocol(make_protocol(present=20, absent=0))
    pages = page_texts(pdf)
    appendix = [i for i, page in enumerate(pages) if "Список присутствовавших" in page]
    assert appendix and appendix[0] > 0
    first = appendix[0]
    assert "ПОСТАНОВИЛИ" not in pages[first]
    assert "к протоколу № 3 от 26 ноября 2026 г." in " ".join(pages[first].split())
    assert "20." in pages[-1]


def test_up_to_15_present_are_listed_inline():
    text = full_text(build_protocol(make_protocol(present=15, absent=1)))
    assert "Присутствовали: 15 чел. (Петров И. И., Смирнова Е. В." in text
    assert "список прилагается" not in text
    assert "Список присутствовавших" not in text
    assert "Отсутствовали: 1 чел. (" in text


def test_agenda_and_items_are_numbered():
    text = full_text(build_protocol(make_protocol()))
    assert "ПОВЕСТКА ДНЯ:" in text
    assert "1. Анализ результатов входной диагностики" in text
    assert "2. Подготовка обучающихся" in text
    assert "1. СЛУШАЛИ:" in text and "2. СЛУШАЛИ:" in text
    assert "ВЫСТУПИЛИ:" in text and "ПОСТАНОВИЛИ:" in text
    assert "Смирнова Е. В. — представила результаты" in text


def test_decisions_are_numbered_with_responsible_deadline_and_vote():
    text = full_text(build_protocol(make_protocol()))
    assert "1.1. Принять к сведению" in text
    assert "1.2. Провести сетевой практикум" in text
    assert "2.1. Сформировать банк" in text
    assert "Ответственный: Петров И. И." in text
    assert ".." not in text
    assert "Срок: 15 декабря 2026 г." in text
    assert "Срок: до 1 декабря 2026 г." in text
    assert "Голосовали: за — 12, против — 0, воздержались — 1." in text


def test_signatures_of_chair_and_secretary():
    text = full_text(build_protocol(make_protocol(present=8, absent=0)))
    assert "Председатель ______________ / А. П. Иванова /" in text
    assert "Секретарь ______________ / Е. В. Смирнова /" in text


def test_draft_is_marked_and_final_is_not():
    assert "ПРОЕКТ" in full_text(build_protocol(make_protocol(draft=True)))
    assert "ПРОЕКТ" not in full_text(build_protocol(make_protocol(draft=False)))


def test_user_markup_prints_literally_but_never_in_a_name():
    pdf = build_protocol(make_protocol())
    text = full_text(pdf)
    assert TRICKY_NAME not in text
    assert "Иванова Анна Петровна — поддержала" in text
    assert "отметив <важность> & пользу." in text


def test_protocol_with_150_present_lists_everyone_in_the_appendix():
    pdf = build_protocol(make_protocol(present=150, absent=3))
    text = full_text(pdf)
    assert "Присутствовали: 150 чел. (список прилагается)" in text
    assert "150." in text
    assert 5 <= len(reader(pdf).pages) <= 15
    assert all("Фамилия, имя, отчество" in p for p in page_texts(pdf)[2:])


def test_protocol_metadata_and_font():
    pdf = build_protocol(make_protocol())
    meta = reader(pdf).metadata
    assert meta.title == (
        "Протокол № 3 заседания виртуального методического объединения учителей математики"
    )
    assert meta.author == "Смирнова Елена Викторовна"
    assert meta.creator == "ВМО-бот"
    assert {"PTSerif-Regular", "PTSerif-Bold"} <= font_names(pdf)
    assert not {n for n in font_names(pdf) if "Helvetica" in n or "Times" in n}


def test_extract_has_one_item_and_the_certification():
    pdf = build_protocol_extract(make_protocol(present=20), 2)
    text = full_text(pdf)
    assert "ВЫПИСКА ИЗ ПРОТОКОЛА № 3" in text
    assert "Присутствовали: 20 чел." in text
    assert "2. Подготовка обучающихся" in text
    assert "2. СЛУШАЛИ:" in text and "2.1. Сформировать банк" in text
    assert "1. СЛУШАЛИ:" not in text and "1.1." not in text
    assert "Верно" in text
    assert "Секретарь ВМО ______________ / Е. В. Смирнова /" in text
    assert text.rstrip().endswith("26 ноября 2026 г.")
    assert reader(pdf).metadata.title.startswith("Выписка из протокола № 3")


def test_extract_of_a_missing_item_is_refused():
    with pytest.raises(ValueError):
        build_protocol_extract(make_protocol(), 5)


def test_protocol_without_agenda_or_absentees_says_so():
    pdf = build_protocol(replace(make_protocol(present=3, absent=0), agenda=()))
    text = full_text(pdf)
    assert "Отсутствовали" not in text
    assert "ПОВЕСТКА ДНЯ: Вопросы в повестку дня не внесены." in text
    assert "Председатель" in text
