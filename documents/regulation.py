"""«ПОЛОЖЕНИЕ о виртуальном методическом объединении …» — the association's regulation.

The «УТВЕРЖДЕНО» stamp on the right (by the order when it is known, else a line to fill
in), the title with the kind in the prepositional case, then the seven sections with their
clauses numbered 1.1., 1.2., … and list items under a clause. A draft carries «ПРОЕКТ».
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from documents.base import CREATOR, PORTRAIT_WIDTH, build_pdf, esc, keep, styles
from documents.fonts import SERIF
from documents.regulation_text import SECTION_TITLES
from documents.regulation_words import parse_clauses, title_of

__all__ = ["DRAFT_LABEL", "RegulationData", "build_regulation"]

DRAFT_LABEL = "ПРОЕКТ"
STAMP_WIDTH = 78 * mm
BLANK_ORDER = "от «___» ____________ 20___ г. № _______"
_ORDER = re.compile(r"^№\s*(?P<number>\S+)\s+от\s+(?P<date>[\d.]+)$")
# Who issues the approving order, and whom it names when the organisation is not set.
_SCHOOL_KINDS = ("vmo", "community")
_DEFAULT_ISSUER = {
    "vmo": "образовательной организации",
    "community": "образовательной организации",
    "smo": "регионального органа управления образованием",
}
_MUNICIPAL_ISSUER = "муниципального органа управления образованием"


@dataclass(frozen=True)
class RegulationData:
    """A regulation: ``sections`` are the seven texts (a clause per line, «– » items);
    ``order_ref`` the approving order «№ 112-о от 30.08.2026» (empty: a blank line);
    ``version`` goes to the PDF's subject, not onto the page."""

    name: str
    kind: str
    sections: Sequence[str]
    organisation: str = ""
    order_ref: str = ""
    draft: bool = True
    version: int | None = None


def build_regulation(data: RegulationData) -> bytes:
    """The regulation as an A4 PDF."""
    st = styles()
    story: list[Flowable] = []
    if data.organisation:
        story.append(Paragraph(esc(data.organisation), st.subtitle))
        story.append(Spacer(1, 6 * mm))
    story += [_stamp(data), Spacer(1, 10 * mm)]
    heading = title_of(data.name, data.kind)
    story += [
        Paragraph("ПОЛОЖЕНИЕ", st.title),
        Paragraph(esc(f"о {heading}"), _title_line()),
        Spacer(1, 6 * mm),
    ]
    for number, (title, text) in enumerate(zip(SECTION_TITLES, data.sections, strict=True), 1):
        story += _section(number, title, text)
    subject = f"Версия {data.version}" if data.version else DRAFT_LABEL.lower()
    return build_pdf(
        story,
        title=f"Положение о {heading}",
        author=data.organisation or CREATOR,
        subject=subject,
        watermark=DRAFT_LABEL if data.draft else None,
    )


@cache
def _title_line() -> ParagraphStyle:
    return ParagraphStyle(
        "regulation_title", parent=styles().title, fontSize=12, leading=15, spaceAfter=0
    )


def _stamp(data: RegulationData) -> Table:
    """«УТВЕРЖДЕНО / приказом директора / МБОУ «СОШ № 5» / от 30.08.2026 № 112-о» on the
    right."""
    st = styles()
    by = "приказом директора" if data.kind in _SCHOOL_KINDS else "приказом"
    issuer = data.organisation or _DEFAULT_ISSUER.get(data.kind, _MUNICIPAL_ISSUER)
    line = _stamp_line()
    lines = [
        Paragraph("УТВЕРЖДЕНО", st.approval_heading),
        Paragraph(esc(by), line),
        Paragraph(esc(issuer), line),
        Paragraph(esc(order_line(data.order_ref)), line),
    ]
    table = Table(
        [["", lines]], colWidths=[PORTRAIT_WIDTH - STAMP_WIDTH, STAMP_WIDTH], hAlign="LEFT"
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SERIF, 12, 15),  # the empty cell's too
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


@cache
def _stamp_line() -> ParagraphStyle:
    # An organisation's name in the stamp is never hyphenated («администра-ции»).
    return ParagraphStyle("regulation_stamp", parent=styles().approval, hyphenationLang="")


def order_line(order_ref: str) -> str:
    """«№ 112-о от 30.08.2026» as a stamp has it: «от 30.08.2026 № 112-о»; none: blanks."""
    ref = " ".join(order_ref.split())
    if not ref:
        return BLANK_ORDER
    match = _ORDER.match(ref)
    return f"от {match['date']} № {match['number']}" if match else ref


@cache
def _section_heading() -> ParagraphStyle:
    # Kept with its first clause by `keep`; keepWithNext would pull more along.
    return ParagraphStyle(
        "regulation_section",
        parent=styles().heading,
        alignment=TA_CENTER,
        spaceBefore=10,
        spaceAfter=4,
        keepWithNext=0,
    )


def _section(number: int, title: str, text: str) -> list[Flowable]:
    st = styles()
    heading = Paragraph(esc(f"{number}. {title}"), _section_heading())
    # Groups that never split: «Руководитель обязан:» with the first item of its list.
    groups: list[list[Flowable]] = []
    index = 0
    for clause in parse_clauses(text):
        lines: list[Flowable] = [Paragraph(esc(f"– {item}"), st.body) for item in clause.items]
        if clause.text:
            index += 1
            lines.insert(0, Paragraph(f"{number}.{index}. {esc(clause.text)}", st.body))
        groups += [lines[:2], *([line] for line in lines[2:])]
    if not groups:
        return [heading]
    # The heading goes with the first group (nested KeepTogethers would break pages early).
    groups[0] = [heading, *groups[0]]
    return [keep(*group) if len(group) > 1 else group[0] for group in groups]
