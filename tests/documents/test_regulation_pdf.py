"""The regulation and the participant's guide: the drafted rules of each kind, the Russian
forms of titles, clauses, and the PDFs read back (Cyrillic title, sections, numbering,
the approval stamp, page numbers, the draft mark)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from pdf_probe import contains, font_names, full_text, page_texts

from documents.guide import GuideData, build_guide
from documents.regulation import BLANK_ORDER, RegulationData, build_regulation, order_line
from documents.regulation_kinds import KINDS
from documents.regulation_text import SECTION_TITLES, RegulationFacts, draft_sections
from documents.regulation_words import (
    Clause,
    clauses_text,
    parse_clauses,
    people_after_at_most,
    title_of,
)
from services.regulations import MAX_SECTION

NAMES = {
    "vmo": "ВМО учителей математики",
    "vpo": "Виртуальное профессиональное объединение «Цифровая школа»",
    "smo": "СМО учителей начальных классов",
    "vmk": "ВМК Тверского района",
    "community": "Сетевое педагогическое сообщество учителей физики",
}


def _facts(kind: str = "vmo", **overrides: object) -> RegulationFacts:
    values: dict[str, object] = dict(
        kind=kind,
        name=NAMES[kind],
        period_start=date(2026, 9, 1),
        period_end=date(2027, 5, 31),
        organisation="МБОУ «СОШ № 5»",
        topic="Формирование функциональной грамотности",
        subjects=("math",),
    )
    values.update(overrides)
    return RegulationFacts(**values)  # type: ignore[arg-type]


def _draft(kind: str = "vmo", **overrides: object) -> str:
    return "\n".join(draft_sections(_facts(kind, **overrides)))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_drafts_seven_sections_with_at_least_four_meetings(kind: str) -> None:
    sections = draft_sections(_facts(kind))
    assert len(sections) == len(SECTION_TITLES) == 7
    assert "не менее четырёх виртуальных заседаний" in sections[2]
    assert "не менее четырёх заседаний в учебный год" in sections[3]
    assert "инструкция участника" in sections[5] and "протоколы заседаний" in sections[5]
    for text in sections:
        assert 0 < len(text) <= MAX_SECTION  # shown whole in one message
        assert all(clause.text or clause.items for clause in parse_clauses(text))


def test_a_vpo_is_municipal_reports_to_the_council_and_gives_certificates() -> None:
    vpo = _draft("vpo")
    assert "не более одного учебного года" in vpo
    assert "районному экспертно-методическому совету" in vpo
    assert "участникам, выполнившим её программу, выдаются сертификаты участника" in vpo
    assert "определена приказом муниципального органа управления образованием" in vpo
    vmo = _draft("vmo")
    assert "сертификат" not in vmo and "экспертно-методическому" not in vmo
    assert "приказом директора образовательной организации" in vmo


def test_a_community_has_at_most_150_members_and_child_communities() -> None:
    community = _draft("community")  # no cap set: the community's own limit
    assert "Численность участников Сообщества — не более 150 человек." in community
    assert "могут создаваться дочерние сообщества" in community
    with_children = _draft("community", member_cap=120, children=("Физика 7–9", "Астрономия"))
    assert "не более 120 человек" in with_children
    assert "действуют дочерние сообщества: «Физика 7–9», «Астрономия»" in with_children
    assert "Численность участников ВМО не ограничена." in _draft("vmo")
    assert "не более 21 человека; при отсутствии свободных мест" in _draft("vmo", member_cap=21)


def test_an_smo_is_run_by_a_network_methodist_with_needs_diagnostics() -> None:
    smo = _draft("smo")
    assert "сетевой методист" in smo and "три этапа" in smo
    assert "диагностика профессиональных потребностей педагогов (анкетирование)" in smo
    assert "экспертизы и систематизируются" in _draft("vmk")


def test_the_order_the_join_policy_and_the_goals_are_drafted_in() -> None:
    ordered = draft_sections(_facts(order_ref="№ 112-о от 30.08.2026"))[6]
    assert "с момента его утверждения приказом № 112-о от 30.08.2026 и действует" in ordered
    assert "с момента его утверждения и действует" in draft_sections(_facts())[6]
    assert "по персональному приглашению руководителя" in _draft(join_policy="invitation")
    approval = _draft(join_policy="approval")
    assert "с согласия руководителя ВМО" in approval
    assert "рассматривать заявки педагогов на вступление" in approval
    goals = draft_sections(_facts(goals="Рост мастерства\nОбмен опытом;"))[1]
    assert goals.startswith("Цели ВМО:\n– Рост мастерства;\n– Обмен опытом.")
    assert "Срок деятельности ВМО: с 1 сентября 2026 г. по 31 мая 2027 г.\n" in _draft()


def test_titles_take_the_prepositional_case() -> None:
    assert title_of("ВМО учителей математики", "vmo") == (
        "виртуальном методическом объединении учителей математики"
    )
    assert title_of("Сетевое педагогическое сообщество учителей физики", "community") == (
        "сетевом педагогическом сообществе учителей физики"
    )
    assert title_of("Математика без границ", "vpo") == (
        "виртуальном профессиональном объединении «Математика без границ»"
    )
    assert people_after_at_most(21) == "не более 21 человека"
    assert people_after_at_most(11) == "не более 11 человек"


def test_clauses_are_read_from_lines_with_typed_numbers_dropped() -> None:
    clauses = parse_clauses("1.1. Первый пункт.\n\n- один;\n— два.\n3) Второй пункт")
    assert clauses == [Clause("Первый пункт.", ("один;", "два.")), Clause("Второй пункт")]
    assert clauses_text(clauses) == "Первый пункт.\n– один;\n– два.\nВторой пункт"


def _regulation(**overrides: object) -> bytes:
    facts = _facts(order_ref=str(overrides.pop("order_ref", "")))
    data = RegulationData(
        name=facts.name,
        kind=facts.kind,
        sections=draft_sections(facts),
        organisation=facts.organisation,
        order_ref=facts.order_ref,
        **overrides,  # type: ignore[arg-type]
    )
    return build_regulation(data)


def test_the_approved_regulation_reads_back() -> None:
    pdf = _regulation(order_ref="№ 112-о от 30.08.2026", draft=False, version=2)
    pages = page_texts(pdf)
    text = full_text(pdf)
    assert len(pages) >= 3
    assert "ПОЛОЖЕНИЕ" in pages[0]
    assert contains(pdf, "о виртуальном методическом объединении учителей математики")
    assert contains(pdf, "УТВЕРЖДЕНО приказом директора МБОУ «СОШ № 5» от 30.08.2026 № 112-о")
    for number, title in enumerate(SECTION_TITLES, 1):
        assert f"{number}. {title}" in text
    assert "1.1. Настоящее Положение определяет" in text and "7.4. Обработка" in text
    assert "ПРОЕКТ" not in text
    # page numbers from the second page, at the top
    assert pages[1].split("\n", 1)[0].strip() == "2"
    assert {"PTSerif-Regular", "PTSerif-Bold"} <= font_names(pdf)
    assert not {n for n in font_names(pdf) if "Helvetica" in n or "Times" in n}


def test_a_draft_is_marked_and_leaves_the_order_to_fill_in() -> None:
    text = full_text(_regulation())
    assert "ПРОЕКТ" in text
    assert " ".join(BLANK_ORDER.split()) in text
    assert order_line("№ 7 от 01.09.2026") == "от 01.09.2026 № 7"
    assert order_line("приказ от 1 сентября") == "приказ от 1 сентября"


def test_a_rewritten_section_is_numbered_in_the_document() -> None:
    sections = list(draft_sections(_facts()))
    sections[2] = "Заседания проводятся онлайн.\nЗадачи:\n– первая;\n– вторая."
    pdf = build_regulation(RegulationData(name=NAMES["vmo"], kind="vmo", sections=sections))
    assert contains(pdf, "3.1. Заседания проводятся онлайн. 3.2. Задачи: – первая; – вторая.")


def _guide(**overrides: object) -> GuideData:
    values: dict[str, object] = dict(
        name="ВМО учителей математики",
        kind="vmo",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
        leader="Иванова Анна Петровна",
    )
    values.update(overrides)
    return GuideData(**values)  # type: ignore[arg-type]


def test_the_guide_says_only_what_applies() -> None:
    waiting = full_text(build_guide(_guide()))
    assert "Инструкция участника" in waiting
    assert contains(build_guide(_guide()), "виртуального методического объединения учителей")
    assert "Групповой чат объединения ещё не подключён" in waiting
    assert "/save" not in waiting and "Положение об объединении готовится" in waiting
    assert "за сутки и за час до начала" in waiting
    bound = _guide(
        chat_bound=True,
        chat_link="https://t.me/+AbCdEf",
        chat_is_forum=True,
        reminder_hours=(48,),
        regulation_version=2,
        regulation_approved_on=date(2026, 11, 12),
        join_policy="invitation",
        member_cap=30,
        kind="vpo",
    )
    pdf = build_guide(bound)
    text = full_text(pdf)
    assert "https://t.me/+AbCdEf" in text and "«Объявления», «Заседания»" in text
    assert "/save" in text and "за 2 суток до начала" in text
    assert contains(pdf, "утверждено (редакция № 2 от 12 ноября 2026 г.)")
    assert "ссылку-приглашение" in text and "не более 30 человек" in text
    assert "получают сертификат" in text
    assert {"PTSans-Bold", "PTSerif-Regular"} <= font_names(pdf)
    assert not {n for n in font_names(pdf) if "Helvetica" in n or "Times" in n}
    assert "ещё не подключён" not in text
    assert "за час до начала" in full_text(build_guide(replace(bound, reminder_hours=(1,))))
