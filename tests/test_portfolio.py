"""/portfolio: a member's year per association (numbers from known data), the previous year,
and the portfolio extract PDF read back."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from bot.i18n import Translator
from documents.data import AssociationInfo, Person
from documents.portfolio import PortfolioData, PortfolioSection, build_portfolio
from models import MemberRole
from services import portfolio
from services.access import Actor
from services.activity import Form
from services.errors import NotRegistered
from tests.activity_world import STAR, TOPICS, build_world
from tests.factories import add_member, make_association

RU = Translator("ru").plain


def _text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return re.sub(r"(\w)- (\w)", r"\1\2", " ".join(text.split()))


async def test_a_members_year_in_numbers(session) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(session)
    other = await make_association(session, name="ВМО учителей истории")
    await add_member(session, other, world.star, role=MemberRole.SECRETARY)
    found = await portfolio.portfolio(session, actor=Actor(world.star.telegram_id))
    assert found.academic_year == 2026 and found.years_back == 0
    names = [part.association.name for part in found.parts]
    assert names == ["ВМО учителей истории", "ВМО учителей математики"]
    history, maths = found.parts
    assert history.role is MemberRole.SECRETARY and history.counts.total == 0
    assert maths.role is MemberRole.MEMBER and maths.held == 6
    assert maths.counts.by_form[Form.MEETINGS] == 5
    assert maths.counts.by_form[Form.MATERIALS] == 1 and maths.counts.by_form[Form.TASKS] == 1
    assert [m.topic for m in maths.meetings] == list(TOPICS[:5])  # not the cancelled one
    assert [m.title for m in maths.materials] == ["Дроби в 5 классе"]
    assert maths.period.start == date(2026, 9, 1) and history.period.start == date(2027, 3, 1)
    assert maths.period.end == date(2027, 3, 1)
    assert maths.leader is not None and maths.leader.id == world.leader.id
    forms = portfolio.forms_of(maths.counts, maths.held, RU, "из")
    assert forms == [
        ("посещение заседаний", "5 из 6"),
        ("материалы в копилке", "1"),
        ("выполненные задания", "1"),
    ]


async def test_the_previous_year_and_a_forged_year(session) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(session)
    last = await portfolio.portfolio(session, actor=Actor(world.star.telegram_id), years_back=1)
    assert last.academic_year == 2025
    (part,) = last.parts
    assert part.counts.by_form[Form.MEETINGS] == 1 and part.held == 1
    assert [m.topic for m in part.meetings] == ["Итоги прошлого года"]
    assert part.period.end == date(2026, 8, 31)
    forged = await portfolio.portfolio(session, actor=Actor(world.star.telegram_id), years_back=7)
    assert forged.academic_year == 2026
    with pytest.raises(NotRegistered):
        await portfolio.portfolio(session, actor=Actor(999_999_999))


async def test_the_extract_pdf_reads_back(session) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(session)
    name, content = await portfolio.extract(session, actor=Actor(world.star.telegram_id), words=RU)
    assert name == "vypiska-portfolio-2026-2027.pdf"
    text = _text(content)
    assert "ВЫПИСКА об участии в работе методического объединения" in text
    assert "за 2026/2027 учебный год" in text
    assert STAR in text and "МБОУ «Гимназия № 12»" in text and "Должность: Учитель" in text
    assert "ВМО учителей математики" in text and "Роль в объединении: участник" in text
    assert "Посещение заседаний 5 из 6" in text and "Дроби в 5 классе" in text
    assert "15.09.2026 Функциональная грамотность на уроках математики" in text
    assert "Проведено заседаний за период: 6" in text
    assert "Дата выдачи: 1 марта 2027 г." in text
    assert "А. П. Иванова" in text  # the leader's line


def test_a_long_extract_has_page_numbers() -> None:
    section = PortfolioSection(
        association=AssociationInfo(name="ВМО учителей математики", organisation="МБОУ «СОШ № 5»"),
        period_start=date(2026, 9, 1),
        period_end=date(2027, 5, 31),
        held=40,
        forms=[("посещение заседаний", "40 из 40")],
        meetings=[(date(2026, 9, 1), f"Заседание номер {n} о методике") for n in range(40)],
        leader=Person("Иванова Анна Петровна"),
    )
    data = PortfolioData(
        person=Person("Петров Иван Сергеевич", "учитель", "МБОУ «СОШ № 5»"),
        academic_year=2026,
        issued_on=date(2027, 6, 1),
        sections=[section, section],
    )
    reader = PdfReader(BytesIO(build_portfolio(data)))
    assert len(reader.pages) >= 3
    assert reader.pages[1].extract_text().split()[0] == "2"
    assert "методических объединений" in reader.pages[0].extract_text()
