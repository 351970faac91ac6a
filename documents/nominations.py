"""«Представление к поощрению» — the leader's nomination list for the director (A4 portrait)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from documents.base import build_pdf, esc, signature_line, styles
from documents.data import AssociationInfo, Person
from documents.tables import keep_with_table, numbered_table
from services.formatting import academic_year_label, format_date
from services.names import clean_name

__all__ = ["NominationData", "Nominee", "build_nomination_list"]


@dataclass(frozen=True)
class Nominee:
    """One row: the member as printed, the leader's justification, their activity."""

    full_name: str
    position: str = ""
    organisation: str = ""
    justification: str = ""
    activity: str = ""


@dataclass(frozen=True)
class NominationData:
    association: AssociationInfo
    academic_year: int  # the year the list is for (its September)
    issued_on: date
    number: int  # the list's number, as the bot keeps it
    nominees: Sequence[Nominee] = field(default_factory=tuple)
    leader: Person | None = None


_HEADERS = ("Фамилия, имя, отчество", "Должность", "Организация", "Обоснование", "Активность")
# Relative; the name column widens for the longest surname, the justification takes most.
_WEIGHTS = (26, 16, 22, 60, 36)


def _flowables(data: NominationData) -> list[Flowable]:
    st = styles()
    assoc = data.association
    year = academic_year_label(data.academic_year)
    story: list[Flowable] = []
    if assoc.organisation:
        story += [Paragraph(esc(assoc.organisation), st.subtitle), Spacer(1, 8)]
    story += [
        Paragraph("ПРЕДСТАВЛЕНИЕ К ПООЩРЕНИЮ", st.title),
        Paragraph(f"участников {esc(assoc.genitive)}", st.subtitle),
        Paragraph(f"по итогам работы в {year} учебном году", st.subtitle),
        Spacer(1, 4),
        Paragraph(esc(f"№ {data.number} от {format_date(data.issued_on)}"), st.body_right),
        Spacer(1, 6),
        Paragraph(
            esc(
                f"Прошу рассмотреть вопрос о поощрении следующих участников {assoc.genitive} "
                f"за активное участие в его работе в {year} учебном году."
            ),
            st.body,
        ),
    ]
    closing: list[Flowable] = [
        Paragraph(f"<b>Всего представлено: {len(data.nominees)} чел.</b>", st.body_left),
        Spacer(1, 16),
    ]
    leader = data.leader
    closing.append(
        signature_line(
            (leader.position if leader and leader.position else assoc.leader_title),
            leader.full_name if leader else "",
            signed_on=data.issued_on,
        )
    )
    rows = [
        [clean_name(n.full_name), n.position, n.organisation, n.justification, n.activity]
        for n in data.nominees
    ]
    table = numbered_table(
        _HEADERS,
        rows,
        _WEIGHTS,
        number_width=9 * mm,
        whole_word_columns=(0,),
        footer=closing,
    )
    return story + keep_with_table([Spacer(1, 4)], table)


def build_nomination_list(data: NominationData) -> bytes:
    """The nomination list as PDF bytes: header, the table of nominees, the leader's signature."""
    title = f"Представление к поощрению участников {data.association.genitive}"
    author = data.leader.full_name if data.leader else data.association.organisation
    return build_pdf(_flowables(data), title=title, author=author)
