"""A certificate of participation (сертификат, документ об участии) or of publication
(свидетельство о публикации): A4 landscape, one page, drawn on the canvas.

A thin double frame; the organisation on top; the title in large letters; «выдан(о)» and
the recipient's name in the dative, large; what for (the association in the genitive and
its topic, or the published material); the period and the hours; at the bottom the
leader's signature line, the date of issue and the registry number on the left, the QR
code with the printed verification code on the right.

Every block is fitted into its box: the font shrinks step by step until the lines fit and
no word is wider than the box, so a long name or association is never cut mid-word nor
runs over the frame (names are never hyphenated). The registry of issued certificates is
a portrait table (:func:`build_registry`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Spacer

from documents.base import CREATOR, PORTRAIT_WIDTH, build_pdf, esc, printable, styles
from documents.data import AssociationInfo
from documents.fonts import SANS, SERIF, SERIF_BOLD, SERIF_ITALIC
from documents.qr import draw_qr
from documents.tables import numbered_table
from services.formatting import format_date

__all__ = [
    "CertificateData",
    "RegistryData",
    "RegistryRow",
    "build_certificate",
    "build_certificates",
    "build_registry",
]

PAGE_W, PAGE_H = landscape(A4)
INK = colors.Color(0.11, 0.20, 0.38)  # a dark ink blue for the frame and the title
GREY = colors.Color(0.35, 0.35, 0.35)
OUTER, INNER = 10 * mm, 13 * mm  # the double frame's insets from the page edge
SIDE = 28 * mm  # text keeps this far from the page edge
QR_SIZE = 32 * mm

TITLES = {
    "certificate": "СЕРТИФИКАТ",
    "participation": "ДОКУМЕНТ ОБ УЧАСТИИ",
    "publication": "СВИДЕТЕЛЬСТВО О ПУБЛИКАЦИИ",
}
ISSUED_WORD = {"certificate": "выдан", "participation": "выдан", "publication": "выдано"}


@dataclass(frozen=True)
class CertificateData:
    """One certificate as printed. `link` is what the QR code encodes (the verification
    link: the bot's deep link or the public page)."""

    title: str  # "certificate", "participation" (документ об участии) or "publication"
    recipient_dative: str  # «Ивановой Марии Петровне»
    association: AssociationInfo
    period_start: date
    period_end: date
    issued_on: date
    number: str  # «ВМО-2026-0001»
    printed_code: str  # «K7MXQ-RT4WC»
    link: str
    topic: str | None = None
    material_title: str | None = None  # a publication's material
    hours: int | None = None
    leader_name: str = ""  # «А. П. Иванова»


def hours_phrase(hours: int) -> str:
    """«в объёме 18 часов», «21 часа», «1 часа»: the genitive after «в объёме»."""
    word = "часа" if hours % 10 == 1 and hours % 100 != 11 else "часов"
    return f"в объёме {hours}\u00a0{word}"


def period_phrase(start: date, end: date) -> str:
    return f"с {format_date(start)} по {format_date(end)}"


# fitting text into boxes -----------------------------------------------------------------


def _style(name: str, font: str, size: float, *, align: int = TA_CENTER) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=size * 1.22,
        alignment=align,
        textColor=colors.black,
        hyphenationLang="",  # a certificate's words are never broken
    )


def fitted(
    markup: str, style: ParagraphStyle, width: float, height: float, *, smallest: float = 8
) -> Paragraph:
    """The paragraph at the largest size (down from `style`'s, to `smallest`) whose lines fit
    in `height` and whose longest word fits in `width`."""
    size = style.fontSize
    while True:
        current = ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size)
        current.leading = size * 1.22
        paragraph = Paragraph(markup, current)
        _, needed = paragraph.wrap(width, height)
        if (needed <= height and paragraph.minWidth() <= width) or size <= smallest:
            return paragraph
        size = max(smallest, size - 0.5)


def _draw(canvas: Canvas, paragraph: Paragraph, x: float, top: float, width: float) -> float:
    """Draw `paragraph` with its top at `top`; returns its bottom."""
    _, height = paragraph.wrap(width, PAGE_H)
    paragraph.drawOn(canvas, x, top - height)
    return top - height


def _frame(canvas: Canvas) -> None:
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(1.6)
    canvas.rect(OUTER, OUTER, PAGE_W - 2 * OUTER, PAGE_H - 2 * OUTER)
    canvas.setLineWidth(0.6)
    canvas.rect(INNER, INNER, PAGE_W - 2 * INNER, PAGE_H - 2 * INNER)


def _middle(data: CertificateData) -> list[tuple[str, str, float, float]]:
    """The blocks between the title and the signature: (markup, font, size, space after)."""
    issued = ISSUED_WORD.get(data.title, "выдан")
    blocks = [(issued, SERIF, 16, 3 * mm), (_NAME, SERIF_BOLD, 30, 6 * mm)]
    if data.title == "publication":
        what = (
            f"в том, что методический материал «{data.material_title or ''}» "
            f"опубликован в банке ресурсов {data.association.genitive}"
        )
        blocks.append((esc(what), SERIF, 17, 3 * mm))
        return blocks
    blocks.append((esc(f"за участие в работе {data.association.genitive}"), SERIF, 18, 3 * mm))
    if data.topic:
        blocks.append((esc(f"по теме «{data.topic}»"), SERIF_ITALIC, 16, 3 * mm))
    when = period_phrase(data.period_start, data.period_end)
    if data.hours:
        when = f"{when} {hours_phrase(data.hours)}"
    blocks.append((esc(when), SERIF, 15, 0))
    return blocks


_NAME = "\x00name"  # where the recipient's name goes among the middle blocks


def _name_paragraph(data: CertificateData, size: float, width: float) -> Paragraph:
    """The name on one line, shrunk down to 60 % of `size`; longer: two lines between words."""
    one_line = fitted(
        f"<nobr>{esc(data.recipient_dative)}</nobr>",
        _style("name", SERIF_BOLD, size),
        width,
        size * 1.3,
        smallest=size * 0.6,
    )
    if one_line.minWidth() <= width and one_line.wrap(width, PAGE_H)[1] <= size * 1.3:
        return one_line
    return fitted(
        esc(data.recipient_dative),
        _style("name2", SERIF_BOLD, size * 0.8),
        width,
        size * 2.2,
        smallest=10,
    )


def _laid_out(data: CertificateData, width: float, room: float) -> list[tuple[Paragraph, float]]:
    """The middle blocks at the largest common scale at which all of them fit in `room`."""
    scale = 1.0
    while True:
        laid: list[tuple[Paragraph, float]] = []
        for markup, font, size, after in _middle(data):
            if markup == _NAME:
                paragraph = _name_paragraph(data, size * scale, width)
            else:
                paragraph = fitted(markup, _style("block", font, size * scale), width, PAGE_H)
            laid.append((paragraph, after * scale))
        total = sum(p.wrap(width, PAGE_H)[1] + after for p, after in laid)
        if total <= room or scale <= 0.5:
            return laid
        scale -= 0.05


def _bottom(canvas: Canvas, data: CertificateData) -> None:
    """The signature, the date and number on the left; the QR code and its code on the right."""
    left, base = SIDE, INNER + 14 * mm
    label = _style("label", SERIF, 12, align=TA_LEFT)
    position = esc(data.association.leader_title)
    signer = f"{position} {'_' * 18} {esc(data.leader_name)}".strip()
    width = PAGE_W - 2 * SIDE - QR_SIZE - 14 * mm
    _draw(canvas, fitted(signer, label, width, 9 * mm), left, base + 26 * mm, width)
    small = _style("small", SERIF, 11, align=TA_LEFT)
    _draw(
        canvas,
        Paragraph(f"Дата выдачи: {format_date(data.issued_on)}", small),
        left,
        base + 13 * mm,
        width,
    )
    _draw(
        canvas,
        Paragraph(f"Регистрационный № {esc(data.number)}", small),
        left,
        base + 7 * mm,
        width,
    )
    qr_x = PAGE_W - SIDE - QR_SIZE
    draw_qr(canvas, data.link, qr_x, base + 4 * mm, QR_SIZE)
    canvas.setFont(SANS, 9)
    canvas.setFillColor(GREY)
    canvas.drawCentredString(qr_x + QR_SIZE / 2, base, f"Код проверки: {data.printed_code}")
    canvas.setFillColor(colors.black)


def build_certificate(data: CertificateData) -> bytes:
    styles()  # registers the fonts
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), initialFontName=SERIF, lang="ru-RU")
    title = TITLES.get(data.title, TITLES["certificate"])
    canvas.setTitle(printable(f"{title.capitalize()} № {data.number}"))
    canvas.setAuthor(printable(data.association.organisation or data.association.name))
    canvas.setSubject(printable(data.recipient_dative))
    canvas.setCreator(CREATOR)
    _frame(canvas)
    width, x = PAGE_W - 2 * SIDE, SIDE
    top = PAGE_H - INNER - 10 * mm
    organisation = data.association.organisation
    if organisation:
        head = _style("org", SERIF, 13)
        top = _draw(canvas, fitted(esc(organisation), head, width, 11 * mm), x, top, width)
    top -= 9 * mm
    big = _style("title", SERIF_BOLD, 44 if data.title == "certificate" else 34)
    big.textColor = INK
    top = _draw(canvas, fitted(esc(title), big, width, 20 * mm), x, top, width) - 5 * mm
    bottom = INNER + 14 * mm + 38 * mm  # above the signature line
    laid = _laid_out(data, width, top - bottom)
    total = sum(p.wrap(width, PAGE_H)[1] + after for p, after in laid)
    top -= max(0.0, (top - bottom - total) / 2)  # the middle stands in the middle
    for paragraph, after in laid:
        top = _draw(canvas, paragraph, x, top, width) - after
    _bottom(canvas, data)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# the registry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryRow:
    number: str
    full_name: str
    kind: str  # «Сертификат», «Свидетельство о публикации»
    issued_on: date
    code: str  # printed
    revoked_on: date | None = None
    revoked_reason: str | None = None


@dataclass(frozen=True)
class RegistryData:
    association: AssociationInfo
    rows: Sequence[RegistryRow]
    made_on: date


def _status(row: RegistryRow) -> str:
    if row.revoked_on is None:
        return "действителен"
    reason = f": {row.revoked_reason}" if row.revoked_reason else ""
    return f"аннулирован {format_date(row.revoked_on)}{reason}"


def build_registry(data: RegistryData) -> bytes:
    """The registry of issued certificates: a numbered portrait table."""
    st = styles()
    title = f"Реестр выданных сертификатов {data.association.genitive}"
    flowables = [
        Paragraph(esc(title), st.title),
        Paragraph(f"по состоянию на {format_date(data.made_on)}", st.subtitle),
        Spacer(1, 4 * mm),
    ]
    if data.rows:
        rows = [
            [
                row.number,
                row.full_name,
                format_date(row.issued_on),
                row.code,
                _status(row),
            ]
            for row in data.rows
        ]
        flowables.append(
            numbered_table(
                ["Рег. номер", "Кому выдан", "Дата выдачи", "Код проверки", "Статус"],
                rows,
                [1.2, 2.6, 1.0, 1.2, 1.6],
                total_width=PORTRAIT_WIDTH,
                centered_columns=[2],
                whole_word_columns=[0, 1, 3],
            )
        )
        flowables.append(Spacer(1, 3 * mm))
        flowables.append(
            Paragraph(
                "Номера «ВМО-…» — сертификаты участника, «СП-…» — свидетельства о публикации. "
                "Подлинность проверяется по коду в боте: /verify &lt;код&gt;.",
                st.small,
            )
        )
    else:
        flowables.append(Paragraph("Сертификаты не выдавались.", st.body_left))
    return build_pdf(flowables, title, data.association.organisation or data.association.name)


def build_certificates(batch: Sequence[CertificateData]) -> list[bytes]:
    """Several certificates in one call (one trip to the document process)."""
    return [build_certificate(data) for data in batch]
