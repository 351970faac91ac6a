"""«Выписка об участии в работе методического объединения» — a member's portfolio extract
(A4 portrait): the person, then per association the period, the role, the forms of
participation, the meetings attended and the materials published, the leader's line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer

from documents.base import build_pdf, esc, keep, name_markup, signature_line, styles
from documents.data import AssociationInfo, Person, member_role
from documents.tables import keep_with_table, numbered_table
from services.formatting import academic_year_label, format_date, format_date_short
from services.names import clean_name

__all__ = ["PortfolioData", "PortfolioSection", "build_portfolio"]


@dataclass(frozen=True)
class PortfolioSection:
    """The person's year in one association."""

    association: AssociationInfo
    period_start: date
    period_end: date
    role: str = "member"  # a role code or the Russian word
    held: int = 0
    forms: Sequence[tuple[str, str]] = ()  # (form of participation, «5 из 6»)
    meetings: Sequence[tuple[date, str]] = ()  # (date, topic)
    materials: Sequence[tuple[str, date]] = ()  # (title, approved on)
    leader: Person | None = None


@dataclass(frozen=True)
class PortfolioData:
    person: Person
    academic_year: int
    issued_on: date
    sections: Sequence[PortfolioSection] = field(default_factory=tuple)


@cache
def _caption() -> ParagraphStyle:
    """A table's caption: set apart from the lines above, kept with its table."""
    return ParagraphStyle("portfolio_caption", parent=styles().label, spaceBefore=8, spaceAfter=3)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _field(label: str, value: str) -> Paragraph:
    return Paragraph(f"<b>{esc(label)}:</b> {esc(value)}", styles().body_left)


def _section(number: int, section: PortfolioSection) -> list[Flowable]:
    st = styles()
    assoc = section.association
    period = f"с {format_date(section.period_start)} по {format_date(section.period_end)}"
    story: list[Flowable] = [
        Paragraph(f"{number}. {esc(assoc.name)}", st.heading),
        _field("Период участия", period),
        _field("Роль в объединении", member_role(section.role)),
        _field("Проведено заседаний за период", str(section.held)),
    ]
    if section.forms:
        rows = [[_capital(form), amount] for form, amount in section.forms]
        table = numbered_table(
            ("Форма участия", "Количество"), rows, (70, 25), centered_columns=(1,)
        )
        story += keep_with_table([Paragraph("<i>Формы участия</i>", _caption())], table)
    else:
        story.append(Paragraph("Участие в формах работы за период не отмечено.", st.body_left))
    if section.meetings:
        rows = [[format_date_short(day), topic] for day, topic in section.meetings]
        table = numbered_table(("Дата", "Тема заседания"), rows, (18, 80), centered_columns=(0,))
        story += keep_with_table([Paragraph("<i>Посещённые заседания</i>", _caption())], table)
    if section.materials:
        rows = [[title, format_date_short(day)] for title, day in section.materials]
        table = numbered_table(
            ("Название материала", "Дата публикации"), rows, (75, 22), centered_columns=(1,)
        )
        story += keep_with_table(
            [Paragraph("<i>Материалы, опубликованные в банке объединения</i>", _caption())],
            table,
        )
    leader = section.leader
    story += [
        Spacer(1, 12),
        keep(signature_line(assoc.leader_title, leader.full_name if leader else "")),
        Spacer(1, 8),
    ]
    return story


def _flowables(data: PortfolioData) -> list[Flowable]:
    st = styles()
    person = data.person
    many = len(data.sections) > 1
    story: list[Flowable] = [
        Paragraph("ВЫПИСКА", st.title),
        Paragraph(
            "об участии в работе методических объединений"
            if many
            else "об участии в работе методического объединения",
            st.subtitle,
        ),
        Paragraph(f"за {academic_year_label(data.academic_year)} учебный год", st.subtitle),
        Spacer(1, 10),
        Paragraph(f"<b>Ф. И. О.:</b> {name_markup(clean_name(person.full_name))}", st.body_left),
    ]
    if person.position:
        story.append(_field("Должность", person.position))
    if person.organisation:
        story.append(_field("Образовательная организация", person.organisation))
    story.append(Spacer(1, 4))
    if not data.sections:
        story.append(
            Paragraph("За этот учебный год участие в объединениях не отмечено.", st.body_left)
        )
    for number, section in enumerate(data.sections, 1):
        story += _section(number, section)
    story += [
        Spacer(1, 14),
        Paragraph(f"Дата выдачи: {esc(format_date(data.issued_on))}", st.body_left),
        Paragraph(
            "Выписка составлена по данным учёта участия, который ведёт бот объединения.",
            st.small,
        ),
    ]
    return story


def build_portfolio(data: PortfolioData) -> bytes:
    """The portfolio extract as PDF bytes (page numbers from page 2, as every document)."""
    title = f"Выписка об участии: {clean_name(data.person.full_name)}"
    return build_pdf(_flowables(data), title=title, author=data.person.full_name)
