"""The shared page template, styles and building blocks of every document.

A4, margins as Russian office paper has them (left 30 mm, right 15 mm, top and bottom
20 mm), PT Serif embedded, page numbers at the bottom from page 2, numbered tables with the
header repeated on every page, signature lines and the «СОГЛАСОВАНО» / «УТВЕРЖДАЮ» blocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as _landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from documents.data import Approval
from documents.fonts import SANS_BOLD, SERIF, SERIF_BOLD, register_fonts
from services.formatting import format_date, initials_first

__all__ = [
    "CREATOR",
    "LANDSCAPE_WIDTH",
    "PORTRAIT_WIDTH",
    "SectionRow",
    "Styles",
    "approval_blocks",
    "blank_date",
    "build_pdf",
    "esc",
    "numbered_table",
    "para",
    "signature_line",
    "styles",
    "tie",
]

CREATOR = "ВМО-бот"

LEFT_MARGIN = 30 * mm
RIGHT_MARGIN = 15 * mm
TOP_MARGIN = 20 * mm
BOTTOM_MARGIN = 20 * mm

PORTRAIT_WIDTH = A4[0] - LEFT_MARGIN - RIGHT_MARGIN  # 165 mm of text
LANDSCAPE_WIDTH = A4[1] - LEFT_MARGIN - RIGHT_MARGIN  # 252 mm of text

GRID_COLOR = colors.Color(0.35, 0.35, 0.35)
HEADER_FILL = colors.Color(0.91, 0.91, 0.91)
SECTION_FILL = colors.Color(0.96, 0.96, 0.96)
WATERMARK_COLOR = colors.Color(0.82, 0.82, 0.82)

CELL_PAD = 3  # points of padding on each side of a table cell

SIGNATURE_BLANK = "_" * 14
NAME_BLANK = "_" * 16


def blank_date() -> str:
    """The blank date line of Russian paperwork: «"___" __________ 20__ г.»."""
    return "«___» ____________ 20___ г."


NBSP = "\u00a0"
# Russian typesetting: never break «№ 5», «2026 г.», «А. П.», nor start a line with a dash.
_TIE_PATTERNS = (
    (re.compile(r"№ +"), "№" + NBSP),
    (re.compile(r"(?<=\d) +(?=(?:г|гг|чел|лет|год|года)\.?(?![А-Яа-яЁё]))"), NBSP),
    (re.compile(r"(?<=\b[А-ЯЁA-Z]\.) +(?=[А-ЯЁA-Z])"), NBSP),
    (re.compile(r"(?<=[а-яё]) +(?=[А-ЯЁ]\.\s?[А-ЯЁ]\.)"), NBSP),
    (re.compile(r"(?<=\bг\.) +(?=[А-ЯЁ])"), NBSP),
    (re.compile(r" +(?=— )"), NBSP),
)


def tie(text: str) -> str:
    """Non-breaking spaces where Russian typesetting wants them (no markup escaping)."""
    for pattern, replacement in _TIE_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def esc(text: object) -> str:
    """User text made safe for Paragraph markup; line breaks kept, typographic ties added."""
    return tie(escape(str(text if text is not None else ""))).replace("\n", "<br/>")


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of the documents."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    body_left: ParagraphStyle
    body_right: ParagraphStyle
    body_center: ParagraphStyle
    hanging: ParagraphStyle
    detail: ParagraphStyle
    small: ParagraphStyle
    table: ParagraphStyle
    table_center: ParagraphStyle
    table_header: ParagraphStyle
    table_section: ParagraphStyle
    approval: ParagraphStyle
    approval_heading: ParagraphStyle


@cache
def styles() -> Styles:
    """Styles built once per process (fonts are registered on the way)."""
    register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=SERIF,
        fontSize=12,
        leading=15,
        alignment=TA_JUSTIFY,
        firstLineIndent=12.5 * mm,
        spaceAfter=3,
    )
    table = ParagraphStyle(
        "table",
        fontName=SERIF,
        fontSize=10,
        leading=12,
        alignment=TA_LEFT,
        embeddedHyphenation=1,
        hyphenationLang="",
    )
    approval = ParagraphStyle("approval", parent=body, alignment=TA_LEFT, firstLineIndent=0)
    approval.spaceAfter = 0
    return Styles(
        title=ParagraphStyle(
            "title",
            fontName=SERIF_BOLD,
            fontSize=14,
            leading=18,
            alignment=TA_CENTER,
            spaceAfter=4,
        ),
        subtitle=ParagraphStyle(
            "subtitle", fontName=SERIF, fontSize=12, leading=15, alignment=TA_CENTER, spaceAfter=2
        ),
        heading=ParagraphStyle(
            "heading",
            fontName=SERIF_BOLD,
            fontSize=12,
            leading=15,
            alignment=TA_LEFT,
            spaceBefore=8,
            spaceAfter=3,
        ),
        body=body,
        body_left=ParagraphStyle("body_left", parent=body, alignment=TA_LEFT, firstLineIndent=0),
        body_right=ParagraphStyle("body_right", parent=body, alignment=TA_RIGHT, firstLineIndent=0),
        body_center=ParagraphStyle(
            "body_center", parent=body, alignment=TA_CENTER, firstLineIndent=0
        ),
        hanging=ParagraphStyle(
            "hanging", parent=body, firstLineIndent=-6 * mm, leftIndent=6 * mm, alignment=TA_LEFT
        ),
        detail=ParagraphStyle(
            "detail", parent=body, leftIndent=12.5 * mm, firstLineIndent=0, alignment=TA_LEFT
        ),
        small=ParagraphStyle("small", fontName=SERIF, fontSize=10, leading=12),
        table=table,
        table_center=ParagraphStyle("table_center", parent=table, alignment=TA_CENTER),
        table_header=ParagraphStyle(
            "table_header",
            parent=table,
            fontName=SERIF_BOLD,
            fontSize=9,
            leading=11,
            alignment=TA_CENTER,
        ),
        table_section=ParagraphStyle(
            "table_section", parent=table, fontName=SERIF_BOLD, alignment=TA_LEFT
        ),
        approval=approval,
        approval_heading=ParagraphStyle(
            "approval_heading", parent=approval, fontName=SERIF_BOLD, spaceAfter=2
        ),
    )


def para(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of *plain* text (escaped here); use Paragraph directly for markup."""
    return Paragraph(esc(text), style or styles().body)


# --- numbered tables -----------------------------------------------------------------


@dataclass(frozen=True)
class SectionRow:
    """A row spanning the whole table (e.g. a month in a plan); it gets no number."""

    text: str


Cell = str | Flowable | None


def _cell(value: Cell, width: float, style: ParagraphStyle) -> str | Flowable:
    """A table cell: a plain string when it fits on one line (fast), else a wrapping Paragraph."""
    if value is None:
        return ""
    if isinstance(value, Flowable):
        return value
    text = str(value)
    fits = style.alignment == TA_LEFT and "\n" not in text
    if fits and stringWidth(text, style.fontName, style.fontSize) <= width - 2 * CELL_PAD:
        return tie(text)
    return Paragraph(esc(text), style)


def _widths(col_widths: Sequence[float] | None, n: int, available: float) -> list[float]:
    """Scale relative column weights to the available width (never wider than the page)."""
    weights = list(col_widths) if col_widths else [1.0] * n
    if len(weights) != n:
        raise ValueError(f"{n} columns but {len(weights)} widths")
    total = sum(weights)
    return [available * w / total for w in weights]


def numbered_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell] | SectionRow],
    col_widths: Sequence[float] | None = None,
    *,
    total_width: float = PORTRAIT_WIDTH,
    number_header: str = "№ п/п",
    number_width: float = 10 * mm,
    centered_columns: Sequence[int] = (),
    start: int = 1,
    footer: Sequence[Flowable] = (),
    keep_with_footer: int = 2,
) -> Table:
    """A numbered table: «№ п/п» first, header repeated on every page, wrapping cells.

    ``col_widths`` are relative weights of the data columns (any positive numbers); they
    are scaled to ``total_width`` minus the number column. ``rows`` may contain
    :class:`SectionRow` items, which span the table and are not numbered.
    ``centered_columns`` are indexes of data columns to centre (dates, counts).
    ``footer`` (a total line, a signature) is laid out under the table, borderless, and
    never goes to a page on its own: the last ``keep_with_footer`` rows go with it.
    """
    st = styles()
    widths = _widths(col_widths, len(headers), total_width - number_width)
    centered = set(centered_columns)
    # «№» over «п/п»: the number column is too narrow for one line.
    number_cell = Paragraph(esc(number_header).replace("№" + NBSP, "№<br/>", 1), st.table_header)
    data: list[list[str | Flowable]] = [
        [number_cell, *(Paragraph(esc(h), st.table_header) for h in headers)]
    ]
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), SERIF, 10, 12),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for col in centered:
        commands.append(("ALIGN", (col + 1, 1), (col + 1, -1), "CENTER"))
    number = start
    for row in rows:
        r = len(data)
        if isinstance(row, SectionRow):
            data.append([Paragraph(esc(row.text), st.table_section)] + [""] * len(headers))
            commands += [
                ("SPAN", (0, r), (-1, r)),
                ("BACKGROUND", (0, r), (-1, r), SECTION_FILL),
            ]
            continue
        if len(row) != len(headers):
            raise ValueError(f"row {number} has {len(row)} cells, expected {len(headers)}")
        cells: list[str | Flowable] = [f"{number}."]
        for i, value in enumerate(row):
            style = st.table_center if i in centered else st.table
            cells.append(_cell(value, widths[i], style))
        data.append(cells)
        number += 1
    last = len(data) - 1
    commands.append(("GRID", (0, 0), (-1, last), 0.5, GRID_COLOR))
    if footer:
        f = len(data)
        data.append([list(footer)] + [""] * len(headers))
        commands += [
            ("SPAN", (0, f), (-1, f)),
            ("ALIGN", (0, f), (-1, f), "LEFT"),
            ("LEFTPADDING", (0, f), (-1, f), 0),
            ("RIGHTPADDING", (0, f), (-1, f), 0),
            ("TOPPADDING", (0, f), (-1, f), 8),
            ("NOSPLIT", (0, max(1, f - keep_with_footer)), (-1, f)),
        ]
    table = Table(data, colWidths=[number_width, *widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


# --- signatures and approval stamps ---------------------------------------------------


def signature_line(
    position: str,
    full_name: str = "",
    *,
    width: float = PORTRAIT_WIDTH,
    signed_on: date | None = None,
) -> Table:
    """«Руководитель ВМО ____________ / А. П. Иванова /», optionally with the date below."""
    st = styles()
    name = initials_first(full_name) if full_name.strip() else NAME_BLANK
    right = Paragraph(f"/ {esc(name)} /", st.body_left)
    left = Paragraph(esc(position[:1].upper() + position[1:]), st.body_left)
    sign_w = 38 * mm
    name_w = 55 * mm
    rows: list[list[str | Flowable]] = [[left, SIGNATURE_BLANK, right]]
    if signed_on is not None:
        rows.append(["", "", Paragraph(esc(format_date(signed_on)), st.body_left)])
    table = Table(rows, colWidths=[width - sign_w - name_w, sign_w, name_w], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SERIF, 12, 15),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _approval_column(approval: Approval, heading: str) -> list[Flowable]:
    st = styles()
    items: list[Flowable] = [Paragraph(esc(approval.heading or heading), st.approval_heading)]
    if approval.position:
        items.append(Paragraph(esc(approval.position), st.approval))
    if approval.organisation:
        items.append(Paragraph(esc(approval.organisation), st.approval))
    name = initials_first(approval.full_name) if approval.full_name.strip() else NAME_BLANK
    items.append(Spacer(1, 6))
    items.append(Paragraph(f"{SIGNATURE_BLANK} / {esc(name)} /", st.approval))
    if approval.reference:
        items.append(Paragraph(esc(approval.reference), st.approval))
    when = format_date(approval.signed_on) if approval.signed_on else blank_date()
    items.append(Paragraph(esc(when), st.approval))
    return items


def approval_blocks(
    left: Approval | None,
    right: Approval | None,
    *,
    width: float = PORTRAIT_WIDTH,
    left_heading: str = "СОГЛАСОВАНО",
    right_heading: str = "УТВЕРЖДАЮ",
) -> Table | Spacer:
    """Two stamps side by side: «СОГЛАСОВАНО» on the left, «УТВЕРЖДАЮ» on the right.

    Either may be ``None`` (a one-step route); the right one keeps its place on the right.
    """
    if left is None and right is None:
        return Spacer(1, 0)
    col = min(width * 0.46, 85 * mm)
    gap = width - 2 * col
    cells = [
        _approval_column(left, left_heading) if left else "",
        "",
        _approval_column(right, right_heading) if right else "",
    ]
    table = Table([cells], colWidths=[col, gap, col], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SERIF, 12, 15),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def keep(*flowables: Flowable) -> KeepTogether:
    """Keep a few flowables on one page (a heading with its first lines, a signature block)."""
    return KeepTogether(list(flowables))


# --- the page template and building -----------------------------------------------------


def _page_decorator(watermark: str | None) -> Callable[[Canvas, SimpleDocTemplate], None]:
    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        page_w, page_h = doc.pagesize
        canvas.saveState()
        if watermark:
            # A pale diagonal word behind the text, and a clear label in the top margin.
            canvas.setFillColor(WATERMARK_COLOR)
            canvas.setFont(SANS_BOLD, 96)
            canvas.translate(page_w / 2, page_h / 2)
            canvas.rotate(40)
            canvas.drawCentredString(0, -30, watermark)
            canvas.rotate(-40)
            canvas.translate(-page_w / 2, -page_h / 2)
            canvas.setFillColor(colors.black)
            canvas.setFont(SANS_BOLD, 11)
            canvas.drawRightString(page_w - RIGHT_MARGIN, page_h - 12 * mm, watermark)
        page = canvas.getPageNumber()
        if page >= 2:
            canvas.setFont(SERIF, 10)
            canvas.setFillColor(colors.black)
            x = LEFT_MARGIN + (page_w - LEFT_MARGIN - RIGHT_MARGIN) / 2
            canvas.drawCentredString(x, 10 * mm, str(page))
        canvas.restoreState()

    return decorate


def build_pdf(
    flowables: Sequence[Flowable],
    title: str,
    author: str,
    landscape: bool = False,
    *,
    subject: str = "",
    watermark: str | None = None,
) -> bytes:
    """Lay out ``flowables`` on A4 and return the PDF bytes with its metadata set.

    ``watermark`` (e.g. «ПРОЕКТ») is printed pale across every page and in the top margin.
    """
    styles()  # registers the fonts
    buffer = BytesIO()
    pagesize = _landscape(A4) if landscape else A4
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=title,
        author=author,
        subject=subject or title,
        creator=CREATOR,
        lang="ru-RU",
        # The canvas preamble would otherwise reference Helvetica on every page.
        initialFontName=SERIF,
        initialFontSize=12,
        initialLeading=15,
    )
    decorate = _page_decorator(watermark)
    doc.build(list(flowables), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
