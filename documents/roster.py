"""«Картотека участников» — the member card file of an association (landscape A4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from reportlab.platypus import Flowable, Paragraph, Spacer

from documents.base import LANDSCAPE_WIDTH, build_pdf, esc, signature_line, styles
from documents.data import AssociationInfo, Person, member_role, qualification_category
from documents.tables import keep_with_table, numbered_table
from services.formatting import academic_year_label, format_date, format_date_short
from services.names import clean_name

__all__ = ["RosterData", "RosterMember", "build_roster", "experience", "years_ru"]


@dataclass(frozen=True)
class RosterMember:
    """One row of the card file. ``role`` and ``category`` accept codes or Russian words."""

    full_name: str
    organisation: str = ""
    position: str = ""
    subjects: Sequence[str] = ()
    category: str = ""
    experience_years: int | None = None
    joined_on: date | None = None
    role: str = "участник"


@dataclass(frozen=True)
class RosterData:
    """The card file of ``association`` for the academic year starting in ``academic_year``."""

    association: AssociationInfo
    academic_year: int
    compiled_on: date
    members: Sequence[RosterMember] = field(default_factory=tuple)
    leader: Person | None = None


def years_ru(n: int) -> str:
    """«1 год», «3 года», «12 лет», «21 год» — Russian plural of years."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        word = "год"
    elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        word = "года"
    else:
        word = "лет"
    return f"{n} {word}"


_HEADERS = (
    "Фамилия, имя, отчество",
    "Образовательная организация",
    "Должность",
    "Предметы",
    "Категория",
    "Стаж",
    "Дата вступления",
    "Роль в объединении",
)
# Relative; each column widens for its longest unbreakable word («Константинопольская»,
# «23 года», «26.11.2026»), the wide text columns give way.
_WEIGHTS = (42, 64, 42, 26, 24, 13, 20, 24)


def experience(years: int | None) -> str:
    """Teaching experience for the «Стаж» column: «менее года», «3 года», «12 лет»."""
    if years is None:
        return ""
    return "менее года" if years <= 0 else years_ru(years)


def _row(member: RosterMember) -> list[str]:
    return [
        clean_name(member.full_name),
        member.organisation,
        member.position,
        ", ".join(s for s in member.subjects if s),
        qualification_category(member.category),
        experience(member.experience_years),
        format_date_short(member.joined_on) if member.joined_on else "",
        member_role(member.role),
    ]


def roster_flowables(data: RosterData) -> list[Flowable]:
    """The card file's content, for embedding into a larger document."""
    st = styles()
    assoc = data.association
    story: list[Flowable] = []
    if assoc.organisation:
        story.append(Paragraph(esc(assoc.organisation), st.subtitle))
        story.append(Spacer(1, 6))
    story += [
        Paragraph("КАРТОТЕКА УЧАСТНИКОВ", st.title),
        Paragraph(esc(assoc.genitive), st.subtitle),
        Paragraph(f"на {academic_year_label(data.academic_year)} учебный год", st.subtitle),
        Spacer(1, 4),
        Paragraph(f"Дата составления: {esc(format_date(data.compiled_on))}", st.body_right),
    ]
    closing: list[Flowable] = [
        Paragraph(f"<b>Всего участников: {len(data.members)}</b>", st.body_left),
        Spacer(1, 18),
    ]
    if data.leader is not None:
        closing.append(
            signature_line(
                data.leader.position or assoc.leader_title,
                data.leader.full_name,
                width=LANDSCAPE_WIDTH * 0.62,
            )
        )
    table = numbered_table(
        _HEADERS,
        [_row(m) for m in data.members],
        _WEIGHTS,
        total_width=LANDSCAPE_WIDTH,
        centered_columns=(5, 6),
        whole_word_columns=(0, 7),  # names and roles
        footer=closing,
    )
    return story + keep_with_table([Spacer(1, 6)], table)


def build_roster(data: RosterData) -> bytes:
    """The member card file as PDF bytes (landscape A4, numbered table, leader's signature)."""
    title = f"Картотека участников {data.association.genitive}"
    author = data.leader.full_name if data.leader else data.association.organisation
    return build_pdf(roster_flowables(data), title=title, author=author, landscape=True)
