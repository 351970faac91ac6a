"""The year work plan «План работы … на 2026/2027 учебный год»."""

import re
from dataclasses import replace
from datetime import date

from pdf_probe import contains, font_names, full_text, page_texts, reader
from samples import make_plan

from documents.data import Approval
from documents.plan import PlanItem, build_plan


def test_approved_plan_has_both_stamps_filled():
    pdf = build_plan(make_plan(12))
    text = full_text(pdf)
    assert "СОГЛАСОВАНО" in text and "УТВЕРЖДАЮ" in text
    assert "Заместитель директора по УВР" in text
    assert "/ Е. В. Смирнова /" in text and "/ И. И. Петров /" in text
    assert "29 августа 2026 г." in text and "30 августа 2026 г." in text
    assert "Приказ № 112-о от 30.08.2026" in text
    assert "ПРОЕКТ" not in text
    assert "Статус" not in text and "Версия" not in text  # the bot's bookkeeping
    assert reader(pdf).metadata.subject.endswith("версия 2")
    assert ".." not in text


def test_plan_title_topic_goal_and_tasks():
    text = full_text(build_plan(make_plan(12)))
    assert "ПЛАН РАБОТЫ" in text
    assert "виртуального методического объединения учителей математики" in text
    assert "на 2026/2027 учебный год" in text
    assert "Методическая тема: Совершенствование" in text
    assert "Цель: Создание условий" in text
    assert "Задачи:" in text and "3. Сформировать банк" in text


def test_plan_table_is_grouped_by_month_in_order():
    pdf = build_plan(make_plan(12))
    text = full_text(pdf)
    months = ["Сентябрь 2026", "Октябрь 2026", "Ноябрь 2026", "Декабрь 2026", "Январь 2027"]
    positions = [text.index(m) for m in months]
    assert positions == sorted(positions)
    assert "20.09.2026" in text  # exact date wins over the month
    assert contains(pdf, "виртуальный мастер-класс")  # form codes become Russian
    assert contains(pdf, "чат-консультация")
    assert "12." in text and "13." not in text
    for page in page_texts(pdf):
        assert "Отметка о" in page  # header repeated on every page


def test_draft_plan_is_marked_and_has_blank_lines():
    pdf = build_plan(make_plan(6, approved=False))
    text = full_text(pdf)
    assert "ПРОЕКТ" in text
    assert "«___» ____________ 20___ г." in text
    assert "Статус" not in text
    assert all("ПРОЕКТ" in page for page in page_texts(pdf))


def test_one_step_route_prints_only_the_approval_stamp():
    plan = replace(make_plan(3), agreed=None)
    text = full_text(build_plan(plan))
    assert "УТВЕРЖДАЮ" in text and "СОГЛАСОВАНО" not in text


def test_undated_items_go_under_the_whole_year():
    plan = replace(
        make_plan(2),
        items=(
            PlanItem("Пополнение банка ресурсов", form="other"),
            PlanItem("Вебинар", on_date=date(2026, 10, 7), form="webinar"),
        ),
    )
    text = full_text(build_plan(plan))
    assert text.index("Октябрь 2026") < text.index("В течение года")
    assert "07.10.2026" in text


def test_plan_escapes_user_text_and_embeds_pt_serif():
    plan = replace(
        make_plan(2),
        items=(PlanItem("Тема <b>& «кавычки»", month=(2026, 9)),),
        agreed=Approval("Зам. <i>директора", full_name="Смирнова <Елена> Викторовна"),
    )
    pdf = build_plan(plan)
    text = full_text(pdf)
    assert "Тема <b>& «кавычки»" in text
    assert "Зам. <i>директора" in text
    assert "PTSerif-Regular" in font_names(pdf)
    meta = reader(pdf).metadata
    assert re.match(r"План работы виртуального .* на 2026/2027 учебный год", meta.title)
