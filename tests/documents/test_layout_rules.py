"""The layout rules every document inherits from documents/base.py and documents/tables.py.

Each test reads a PDF back and checks a rule a school director would otherwise strike:
names cut mid-word, headings alone at a page foot, page numbers in the wrong place,
raw codes, emoji boxes.
"""

import re
from dataclasses import replace

import pytest
from pdf_probe import contains, full_text, lines, page_texts, reader
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph
from samples import (
    DOUBLE_SURNAME,
    EMOJI_NAME,
    KYZY,
    LONG_SURNAME,
    OGLY,
    RICH_NAMES,
    make_plan,
    make_protocol,
    rich_attendance,
    rich_plan,
    rich_protocol,
    rich_roster,
)

from documents import build_attendance, build_plan, build_protocol, build_roster
from documents.base import (
    LEFT_MARGIN,
    PORTRAIT_WIDTH,
    nested_quotes,
    page_number_position,
    signatures,
)
from documents.hyphenation import hyphenate_ru, line_pieces
from documents.protocol import protocol_flowables
from documents.tables import numbered_table

RICH = {
    "protocol": lambda: build_protocol(rich_protocol()),
    "appendix": lambda: build_protocol(rich_protocol(17, 0)),
    "plan": lambda: build_plan(rich_plan()),
    "roster": lambda: build_roster(rich_roster()),
    "attendance": lambda: build_attendance(rich_attendance()),
}

_MONTH_ROW = re.compile(
    r"^(Январь|Февраль|Март|Апрель|Май|Июнь|Июль|Август|Сентябрь|Октябрь|Ноябрь|Декабрь)"
    r" \d{4}$"
)


@pytest.fixture(scope="module", params=sorted(RICH))
def rich_pdf(request) -> bytes:
    return RICH[request.param]()


def _broken_inside(pdf: bytes, word: str) -> bool:
    """Whether ``word`` is split across two lines anywhere (with or without a hyphen)."""
    text = "\n".join(page_texts(pdf))
    return any(
        re.search(re.escape(word[:i]) + r"-?\s*\n\s*" + re.escape(word[i:]), text)
        for i in range(1, len(word))
    )


def _surname_words() -> set[str]:
    words = {part for name in RICH_NAMES for part in name.split()[0].split("-")}
    return words | {"Константинопольского", "руководитель", "года"}


def test_names_and_short_values_are_never_cut_mid_word(rich_pdf):
    for word in sorted(_surname_words()):
        assert not _broken_inside(rich_pdf, word), word


def test_rich_names_appear_whole(rich_pdf):
    assert "Константинопольская" in full_text(rich_pdf)
    assert contains(rich_pdf, "Воскресенская-Оболенская")  # may break after its hyphen


@pytest.mark.parametrize("name", ["attendance", "appendix"])
def test_whole_name_columns_keep_initials_or_given_names_on_their_lines(name):
    pdf = RICH[name]()
    assert "Константинопольская Анна" in lines(pdf)


def test_signature_расшифровка_is_one_line_and_aligned():
    pdf = build_protocol(rich_protocol())
    assert "/ А. В. Константинопольская /" in lines(pdf)
    assert "/ М. С. Воскресенская-Оболенская /" in lines(pdf)
    text = full_text(pdf)
    assert "Председатель ______________ / А. В. Константинопольская /" in text
    assert "Секретарь ______________ / М. С. Воскресенская-Оболенская /" in text
    block = signatures([("Председатель", LONG_SURNAME), ("Секретарь", "Ким Анна")])
    assert sum(block._argW) == pytest.approx(PORTRAIT_WIDTH)  # ends where the text ends


def test_tables_end_where_the_text_block_ends():
    table = numbered_table(("Фамилия, имя, отчество", "Организация"), [["Ким Анна", "Лицей"]])
    assert sum(table._argW) == pytest.approx(PORTRAIT_WIDTH)


def test_text_starts_at_the_left_margin_without_frame_padding():
    pdf = build_protocol(make_protocol(present=3, absent=0))
    xs: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.startswith("от 26 ноября"):
            xs.append(tm[4] * cm[0] + cm[4])

    reader(pdf).pages[0].extract_text(visitor_text=visit)
    assert xs and xs[0] == pytest.approx(LEFT_MARGIN, abs=0.5)


def _page_number_spots(pdf: bytes) -> list[list[tuple[float, float]]]:
    """Per page, where each text that is only digits starts (x, y)."""
    spots: list[list[tuple[float, float]]] = []
    for page in reader(pdf).pages:
        found: list[tuple[float, float]] = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip().isdigit() and size == 10:
                found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

        page.extract_text(visitor_text=visit)
        spots.append(found)
    return spots


def test_page_numbers_are_centred_in_the_top_margin_from_page_two():
    pdf = build_protocol(rich_protocol(17, 0))
    page_w, page_h = (float(v) for v in reader(pdf).pages[0].mediabox.upper_right)
    x, y = page_number_position(page_w, page_h)
    spots = _page_number_spots(pdf)
    assert len(spots) >= 3
    assert not [s for s in spots[0] if s[1] > page_h - 20 * mm]  # no number on page 1
    for number, found in enumerate(spots[1:], 2):
        top = [s for s in found if s[1] > page_h - 20 * mm]
        assert len(top) == 1, number
        width = 5 * len(str(number))  # a digit of PT Serif 10 pt is 5 pt wide
        assert top[0][0] + width / 2 == pytest.approx(x, abs=1)
        assert top[0][1] == pytest.approx(y, abs=1)
        assert top[0][1] > page_h - 20 * mm


@pytest.mark.parametrize("n_items", range(8, 22))
def test_plan_month_rows_and_heading_never_end_a_page(n_items):
    pages = page_texts(build_plan(make_plan(n_items)))
    for page in pages[:-1]:
        last = [line.strip() for line in page.splitlines() if line.strip()][-1]
        assert not _MONTH_ROW.match(last), last
        assert last != "Содержание работы"
    first_page = " ".join(pages[0].split())
    assert "Содержание работы" in first_page and "Сентябрь 2026" in first_page


@pytest.mark.parametrize("present", [1, 3, 5, 7, 9, 11, 13, 15])
def test_protocol_labels_never_end_a_page(present):
    pages = page_texts(build_protocol(rich_protocol(present, 2)))
    for page in pages[:-1]:
        last = [line.strip() for line in page.splitlines() if line.strip()][-1]
        assert not last.endswith(("СЛУШАЛИ:", "ВЫСТУПИЛИ:", "ПОСТАНОВИЛИ:", "ПОВЕСТКА ДНЯ:"))


def test_protocol_signatures_are_not_alone_and_do_not_empty_a_page():
    pages = page_texts(build_protocol(rich_protocol()))
    last = " ".join(pages[-1].split())
    assert last.index("Мамедов Э. Р. — об олимпиаде.") < last.index("Председатель")
    assert "4. СЛУШАЛИ:" in last  # only the last item moves with the signatures


def test_agenda_items_are_left_aligned():
    story = protocol_flowables(rich_protocol())
    agenda = [f for f in story if isinstance(f, Paragraph) and re.match(r"\d\. ", f.text)]
    assert len(agenda) == 4
    assert all(p.style.alignment == TA_LEFT for p in agenda)


def test_protocol_date_without_time_and_start_on_its_own_line():
    pdf = build_protocol(rich_protocol())
    assert "от 26 ноября 2026 г." in lines(pdf)
    assert "Начало: 14:30" in lines(pdf)


def test_nobody_absent_means_no_absent_line():
    for pdf in (build_protocol(rich_protocol(17, 0)), build_protocol(make_protocol(3, 0))):
        assert "Отсутствовали" not in full_text(pdf)
    assert "Отсутствовали: 3 чел." in full_text(build_protocol(rich_protocol(14, 3)))


def test_appendix_list_is_signed_by_the_secretary():
    pages = page_texts(build_protocol(rich_protocol(17, 0)))
    last = " ".join(pages[-1].split())
    assert "17." in last
    assert "Секретарь ______________ / М. С. Воскресенская-Оболенская /" in last


def test_kind_is_not_repeated_before_a_name_that_starts_with_it():
    pdf = build_protocol(rich_protocol())
    text = full_text(pdf)
    assert "заседания ВМО учителей математики" in text
    assert "«ВМО" not in text and "объединения «" not in text
    assert reader(pdf).metadata.title == "Протокол № 3 заседания ВМО учителей математики"


def test_gender_of_the_presence_mark_follows_four_word_patronymics():
    pdf = build_attendance(rich_attendance())
    text = full_text(pdf)
    assert f"{OGLY} " in text and f"{KYZY} " in text
    table = lines(pdf)
    words = {"присутствовал", "присутствовала", "отсутствовал", "отсутствовала", "присутствует"}
    marks = [line for line in table if line in words]
    assert marks[:6] == [
        "присутствовала",  # Константинопольская Анна Викторовна
        "присутствовала",  # Воскресенская-Оболенская Мария Сергеевна
        "присутствовал",  # Мамедов Эльчин Рашид оглы
        "присутствовала",  # Алиева Лейла Рашид кызы
        "присутствовала",  # Смайликова Анна Игоревна
        "отсутствовал",  # Ахмедов Рустам Ильхам оглы
    ]
    assert "(а)" not in text


def test_emoji_are_dropped_and_never_become_initials(rich_pdf):
    text = full_text(rich_pdf)
    assert "😀" not in text and "☒" not in text
    assert not re.search(r"Смайликова [^А-ЯЁ]\.", text)


def test_emoji_name_gets_real_initials_in_the_protocol():
    data = replace(rich_protocol(), chair=replace(rich_protocol().chair, full_name=EMOJI_NAME))
    text = full_text(build_protocol(data))
    assert "Председатель: Смайликова А. И." in text
    assert "/ А. И. Смайликова /" in text


def test_plan_stamp_ties_от_to_its_date_and_has_no_bookkeeping():
    pdf = build_plan(rich_plan())
    assert "от 28.08.2026" in lines(pdf)
    text = full_text(pdf)
    assert "Версия" not in text and "Статус" not in text
    assert text.index("МБОУ «Средняя общеобразовательная школа № 5» г. Твери") < text.index(
        "СОГЛАСОВАНО"
    )


def test_unknown_codes_are_never_printed_raw():
    plan = full_text(build_plan(rich_plan()))
    assert "unknown_code" not in plan and "иная форма" in plan
    roster = full_text(build_roster(rich_roster()))
    assert "strange" not in roster
    assert "не указана" in roster and "участник" in roster
    assert "менее года" in roster and not re.search(r"(?<!\d)0 лет", roster)


def test_month_rows_are_not_repeated_in_the_срок_column():
    text = full_text(build_plan(rich_plan()))
    assert "в течение месяца" in text
    assert " сентябрь " not in text


def test_responsible_people_are_printed_with_initials():
    text = full_text(build_plan(rich_plan()))
    assert "Константинопольская А. В., Воскресенская-Оболенская М. С." in text
    assert DOUBLE_SURNAME not in text  # the full name is shortened


def test_russian_hyphenation_spares_names_and_splits_compounds_at_their_hyphen():
    assert ("учебно-воспита", "тельной") in hyphenate_ru("учебно-воспитательной")
    assert hyphenate_ru("Константинопольская") == ()
    assert hyphenate_ru("МБОУ") == ()
    heads = [head for head, _ in hyphenate_ru("педагог-методист")]
    assert "педагог-" in heads and "педаго" not in heads
    assert all(len(head) >= 2 and len(tail) >= 2 for head, tail in hyphenate_ru("объединения"))


def test_line_pieces_keep_tied_text_and_split_after_hyphens():
    assert list(line_pieces("23\u00a0года Воскресенская-Оболенская")) == [
        "23\u00a0года",
        "Воскресенская-",
        "Оболенская",
    ]
    assert list(line_pieces("Оболенская\u00a0М.\u00a0С.")) == ["Оболенская\u00a0М.\u00a0С."]


def test_long_words_in_body_text_are_hyphenated_not_cut():
    topic = "Формирование функциональной грамотности на уроках математики " * 3
    pdf = build_protocol(replace(make_protocol(3, 0), topic=topic))
    text = "\n".join(page_texts(pdf))
    assert re.search(r"[а-я]-\n", text)  # a hyphen ends some line
    for word in ("функциональной", "грамотности", "математики"):
        broken = [m.group(0) for m in re.finditer(r"[а-я]+\n[а-я]+", text)]
        assert not any(word == b.replace("\n", "") for b in broken)


def test_blank_stamps_and_signature_lines_keep_their_blanks():
    draft = full_text(build_plan(rich_plan(approved=False)))
    assert draft.count("______________ / ________________ /") == 2
    sheet = full_text(build_attendance(replace(rich_attendance(), secretary=None)))
    assert "Секретарь ______________ / ________________ /" in sheet


@pytest.mark.parametrize(
    ("text", "typeset"),
    [
        ("ВМО «Клуб «Учителя будущего»»", "ВМО «Клуб „Учителя будущего“»"),
        ("«Лицей № 2» и «Гимназия»", "«Лицей № 2» и «Гимназия»"),
        ("«незакрытая «цитата»", "«незакрытая «цитата»"),
    ],
)
def test_quotes_inside_quotes_become_low_high_quotes(text, typeset):
    assert nested_quotes(text) == typeset


def test_a_label_typed_into_the_value_is_not_printed_twice():
    item = rich_protocol().agenda[1]
    decision = replace(
        item.decisions[0], deadline="Срок: постоянно", responsible="ответственный: Ким А."
    )
    data = replace(rich_protocol(), agenda=(replace(item, decisions=(decision,)),))
    text = full_text(build_protocol(data))
    assert "Срок: постоянно." in text and "Срок: Срок" not in text
    assert "Ответственный: Ким А." in text
