"""The shared page template, styles and building blocks of every document.

A4, margins as Russian office paper has them (left 30 mm, right 15 mm, top and bottom
20 mm) with no frame padding, so text, tables and signature lines share one right edge;
PT Serif embedded; page numbers centred in the top margin from page 2 (ГОСТ Р 7.0.97-2016);
numbered tables with the header repeated on every page, signature lines and the
«СОГЛАСОВАНО» / «УТВЕРЖДАЮ» blocks.

Layout rules every document inherits from here:

- words are hyphenated by Pyphen's Russian patterns (:func:`hyphenate_ru`), except
  capitalised words (names, abbreviations); names are never hyphenated at all;
- a table column is never narrower than the longest word it cannot break (a surname,
  «23 года», a date), so nothing is cut mid-word;
- headings stay with what follows (``keepWithNext`` styles, :func:`keep_with_table`), a
  section row stays with the row after it;
- characters the embedded font has no glyph for (emoji) are dropped, never drawn as boxes.
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
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from documents.data import Approval
from documents.fonts import SANS_BOLD, SERIF, SERIF_BOLD, register_fonts
from documents.hyphenation import hyphenate_ru
from services.formatting import format_date
from services.names import clean_name, initials_first

__all__ = [
    "CREATOR",
    "LANDSCAPE_WIDTH",
    "PORTRAIT_WIDTH",
    "Styles",
    "approval_blocks",
    "blank_date",
    "build_pdf",
    "esc",
    "keep",
    "name_markup",
    "nested_quotes",
    "page_number_position",
    "para",
    "printable",
    "signature_line",
    "signatures",
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
PAGE_NUMBER_SIZE = 10

GRID_COLOR = colors.Color(0.35, 0.35, 0.35)
HEADER_FILL = colors.Color(0.91, 0.91, 0.91)
SECTION_FILL = colors.Color(0.96, 0.96, 0.96)
WATERMARK_COLOR = colors.Color(0.82, 0.82, 0.82)

CELL_PAD = 3  # points of padding on each side of a table cell
SIGNATURE_PAD = 4  # points between the columns of a signature line

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
    # «Иванова А. П.», but not «Союза И. П. Петрова» (initials first tie to what follows).
    (re.compile(r"(?<=[а-яё]) +(?=[А-ЯЁ]\.\s?[А-ЯЁ]\.(?!\s*[А-ЯЁ]))"), NBSP),
    (re.compile(r"(?<=\bг\.) +(?=[А-ЯЁ])"), NBSP),
    (re.compile(r" +(?=— )"), NBSP),
    # «от 28.08.2026», «от 30 августа»: the preposition never ends a line without its date.
    (re.compile(r"(?<![А-Яа-яЁё])(от|до|с|по) +(?=\d)"), r"\1" + NBSP),
)

# Characters certainly in PT Serif (Latin-1, Cyrillic, Russian punctuation): no lookup needed.
_SURELY_PRINTABLE = re.compile(r"[\n\x20-\x7e\xa0-\xff\u0400-\u045f\u2013\u2014\u2026«»„“”‘’№]*")


@cache
def _glyphs() -> frozenset[int]:
    register_fonts()
    regular = getFont(SERIF).face.charToGlyph
    bold = getFont(SERIF_BOLD).face.charToGlyph
    return frozenset(regular) & frozenset(bold)


def printable(text: str) -> str:
    """``text`` without the characters PT Serif cannot draw (emoji, ☒…), spaces tidied.

    Such characters would otherwise come out as empty boxes in the PDF.
    """
    if _SURELY_PRINTABLE.fullmatch(text):
        return text
    glyphs = _glyphs()
    kept = "".join(c for c in text if ord(c) in glyphs or c == "\n")
    return re.sub(r"[ \t]{2,}", " ", kept).strip(" ")


def tie(text: str) -> str:
    """Non-breaking spaces where Russian typesetting wants them (no markup escaping)."""
    for pattern, replacement in _TIE_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def nested_quotes(text: str) -> str:
    """Quotes inside quotes as Russian typesetting has them: «Клуб „Учителя будущего“».

    Unbalanced quotes (a typo in user text) are left as they are.
    """
    if text.count("«") < 2 or text.count("«") != text.count("»"):
        return text
    out: list[str] = []
    depth = 0
    for char in text:
        if char == "«":
            out.append("„" if depth else char)
            depth += 1
        elif char == "»" and depth:
            depth -= 1
            out.append("“" if depth else char)
        else:
            out.append(char)
    return "".join(out) if depth == 0 else text


def esc(text: object) -> str:
    """User text made safe for Paragraph markup; line breaks kept, typographic ties added."""
    plain = nested_quotes(printable(str(text if text is not None else "")))
    return tie(escape(plain)).replace("\n", "<br/>")


def name_markup(name: str) -> str:
    """A name in the form to print («А. П. Иванова», cleaned) as markup never hyphenated."""
    return f"<nobr>{esc(name)}</nobr>"


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of the documents.

    ``label`` («СЛУШАЛИ:», «Задачи:») and ``heading`` keep with the next flowable;
    ``table_name`` is for columns of names: it breaks only at spaces and hyphens.
    """

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    label: ParagraphStyle
    body: ParagraphStyle
    body_left: ParagraphStyle
    body_right: ParagraphStyle
    body_center: ParagraphStyle
    hanging: ParagraphStyle
    detail: ParagraphStyle
    small: ParagraphStyle
    table: ParagraphStyle
    table_center: ParagraphStyle
    table_name: ParagraphStyle
    table_header: ParagraphStyle
    table_section: ParagraphStyle
    approval: ParagraphStyle
    approval_heading: ParagraphStyle


def _text_styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body",
        fontName=SERIF,
        fontSize=12,
        leading=15,
        alignment=TA_JUSTIFY,
        firstLineIndent=12.5 * mm,
        spaceAfter=3,
        hyphenationLang=hyphenate_ru,
        embeddedHyphenation=1,
    )
    left = ParagraphStyle("body_left", parent=body, alignment=TA_LEFT, firstLineIndent=0)
    return {
        "title": ParagraphStyle(
            "title",
            fontName=SERIF_BOLD,
            fontSize=14,
            leading=18,
            alignment=TA_CENTER,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", fontName=SERIF, fontSize=12, leading=15, alignment=TA_CENTER, spaceAfter=2
        ),
        "heading": ParagraphStyle(
            "heading",
            fontName=SERIF_BOLD,
            fontSize=12,
            leading=15,
            alignment=TA_LEFT,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "label": ParagraphStyle("label", parent=left, keepWithNext=1, spaceAfter=0),
        "body": body,
        "body_left": left,
        "body_right": ParagraphStyle("body_right", parent=left, alignment=TA_RIGHT),
        "body_center": ParagraphStyle("body_center", parent=left, alignment=TA_CENTER),
        "hanging": ParagraphStyle(
            "hanging", parent=left, firstLineIndent=-6 * mm, leftIndent=6 * mm
        ),
        "detail": ParagraphStyle("detail", parent=left, leftIndent=12.5 * mm),
        "small": ParagraphStyle("small", fontName=SERIF, fontSize=10, leading=12),
    }


def _table_styles() -> dict[str, ParagraphStyle]:
    table = ParagraphStyle(
        "table",
        fontName=SERIF,
        fontSize=10,
        leading=12,
        alignment=TA_LEFT,
        hyphenationLang=hyphenate_ru,
        embeddedHyphenation=1,
    )
    return {
        "table": table,
        "table_center": ParagraphStyle("table_center", parent=table, alignment=TA_CENTER),
        "table_name": ParagraphStyle("table_name", parent=table, hyphenationLang=""),
        "table_header": ParagraphStyle(
            "table_header",
            parent=table,
            hyphenationLang="",
            fontName=SERIF_BOLD,
            fontSize=9,
            leading=11,
            alignment=TA_CENTER,
        ),
        "table_section": ParagraphStyle(
            "table_section", parent=table, fontName=SERIF_BOLD, alignment=TA_LEFT
        ),
    }


@cache
def styles() -> Styles:
    """Styles built once per process (fonts are registered on the way)."""
    register_fonts()
    text = _text_styles()
    approval = ParagraphStyle("approval", parent=text["body_left"], spaceAfter=0)
    return Styles(
        **text,
        **_table_styles(),
        approval=approval,
        approval_heading=ParagraphStyle(
            "approval_heading", parent=approval, fontName=SERIF_BOLD, spaceAfter=2
        ),
    )


def para(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of *plain* text (escaped here); use Paragraph directly for markup."""
    return Paragraph(esc(text), style or styles().body)


def text_width(text: str, style: ParagraphStyle) -> float:
    """Width of ``text`` on one line in ``style``'s font."""
    return stringWidth(text, style.fontName, style.fontSize)


# --- signatures and approval stamps ---------------------------------------------------


def signature_line(
    position: str,
    full_name: str = "",
    *,
    width: float = PORTRAIT_WIDTH,
    signed_on: date | None = None,
) -> Table:
    """«Руководитель ВМО ____________ / А. П. Иванова /», optionally with the date below."""
    return signatures([(position, full_name)], width=width, signed_on=signed_on)


def signatures(
    signers: Sequence[tuple[str, str]],
    *,
    width: float = PORTRAIT_WIDTH,
    signed_on: date | None = None,
    gap: float = 12,
) -> Table:
    """Signature lines one under another, their blanks and names aligned.

    ``signers`` are (position, full name) pairs; an empty name leaves a blank расшифровка.
    The name column is as wide as the longest name needs (a name is never broken inside a
    word), and every line ends exactly at ``width``. ``signed_on`` adds the date under the
    last name.
    """
    st = styles()
    names = [initials_first(n) if clean_name(n) else NAME_BLANK for _, n in signers]
    widest = max(text_width(f"/ {n} /", st.body_left) for n in names)
    name_w = max(55 * mm, widest + SIGNATURE_PAD + 1)
    sign_w = min(38 * mm, max(24 * mm, width - name_w - 40 * mm))
    rows: list[list[str | Flowable]] = []
    for (position, _), name in zip(signers, names, strict=True):
        if rows:
            rows.append(["", "", Spacer(1, gap)])
        left = Paragraph(esc(position[:1].upper() + position[1:]), st.body_left)
        rows.append([left, SIGNATURE_BLANK, Paragraph(f"/ {name_markup(name)} /", st.body_left)])
    if signed_on is not None:
        rows.append(["", "", Paragraph(esc(format_date(signed_on)), st.body_left)])
    table = Table(rows, colWidths=[width - sign_w - name_w, sign_w, name_w], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SERIF, 12, 15),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("ALIGN", (1, 0), (1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), SIGNATURE_PAD),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("NOSPLIT", (0, 0), (-1, -1)),
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
    name = initials_first(approval.full_name) if clean_name(approval.full_name) else NAME_BLANK
    items.append(Spacer(1, 6))
    items.append(Paragraph(f"{SIGNATURE_BLANK} / {name_markup(name)} /", st.approval))
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


def _draw_watermark(canvas: Canvas, page_w: float, page_h: float, watermark: str) -> None:
    """A pale diagonal word behind the text, and a clear label in the top right corner."""
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


def page_number_position(page_w: float, page_h: float) -> tuple[float, float]:
    """Where the page number is centred: the middle of the top margin (ГОСТ Р 7.0.97-2016)."""
    x = LEFT_MARGIN + (page_w - LEFT_MARGIN - RIGHT_MARGIN) / 2
    y = page_h - TOP_MARGIN / 2 - PAGE_NUMBER_SIZE / 3
    return x, y


def _page_decorator(watermark: str | None) -> Callable[[Canvas, BaseDocTemplate], None]:
    def decorate(canvas: Canvas, doc: BaseDocTemplate) -> None:
        page_w, page_h = doc.pagesize
        canvas.saveState()
        if watermark:
            _draw_watermark(canvas, page_w, page_h, watermark)
        page = canvas.getPageNumber()
        if page >= 2:
            canvas.setFont(SERIF, PAGE_NUMBER_SIZE)
            canvas.setFillColor(colors.black)
            canvas.drawCentredString(*page_number_position(page_w, page_h), str(page))
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
    The frame has no padding: text, tables and signature lines end at the same edge.
    """
    styles()  # registers the fonts
    buffer = BytesIO()
    pagesize = _landscape(A4) if landscape else A4
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=printable(title),
        author=printable(author),
        subject=printable(subject or title),
        creator=CREATOR,
        lang="ru-RU",
        # The canvas preamble would otherwise reference Helvetica on every page.
        initialFontName=SERIF,
        initialFontSize=12,
        initialLeading=15,
    )
    frame = Frame(
        LEFT_MARGIN,
        BOTTOM_MARGIN,
        doc.width,
        doc.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="text",
    )
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=_page_decorator(watermark))])
    doc.build(list(flowables))
    return buffer.getvalue()
