"""A contest's diploma: A4 landscape, «ДИПЛОМ» of the I, II or III degree or «участника»,
the recipient in a «Награждается» form (the nominative needs no declension), the work,
the nomination and the contest, the date, the registry number, and the verification code
with a QR code pointing to where it can be checked.

A pure function of :class:`DiplomaData`; :func:`build_diplomas` puts many on one PDF, one
page each, for the organiser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from documents.base import CREATOR, esc, name_markup, printable, styles
from documents.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC
from documents.qr import draw_qr
from services.formatting import format_date

PAGE = landscape(A4)
INK = colors.Color(0.10, 0.18, 0.38)  # a deep blue for the heading and the frame
GOLD = colors.Color(0.70, 0.55, 0.22)
MUTED = colors.Color(0.30, 0.30, 0.30)
QR_SIZE = 30 * mm


@dataclass(frozen=True)
class DiplomaData:
    degree: str | None  # "I", "II", "III"; None: a participant's diploma
    full_name: str  # nominative, as printed
    contest: str
    nomination: str
    work: str
    issuer: str  # the association that held the contest
    organiser: str  # «А. П. Иванова», may be empty
    issued_on: date
    number: str
    code: str  # printed form, «K7MXQ-RT4WC»
    link: str  # where the QR code points


def _style(name: str, font: str, size: float, color: colors.Color = colors.black) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=size * 1.22,
        alignment=TA_CENTER,
        textColor=color,
    )


def _centered(
    canvas: Canvas, markup: str, style: ParagraphStyle, top: float, width: float
) -> float:
    """Draw a centred paragraph whose top is at `top`; returns its bottom."""
    paragraph = Paragraph(markup, style)
    _, height = paragraph.wrap(width, PAGE[1])
    paragraph.drawOn(canvas, (PAGE[0] - width) / 2, top - height)
    return top - height


def _frame(canvas: Canvas) -> None:
    width, height = PAGE
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(3)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.rect(14 * mm, 14 * mm, width - 28 * mm, height - 28 * mm)


def _page(canvas: Canvas, data: DiplomaData) -> None:
    styles()  # registers the fonts
    width, height = PAGE
    text_width = width - 70 * mm
    _frame(canvas)
    top = height - 26 * mm
    if data.issuer:
        top = _centered(
            canvas, esc(data.issuer), _style("issuer", SERIF, 13, MUTED), top, text_width
        )
    top = _centered(canvas, "ДИПЛОМ", _style("head", SERIF_BOLD, 58, INK), top - 8 * mm, text_width)
    degree = f"{data.degree} степени" if data.degree else "участника"
    top = _centered(
        canvas, esc(degree), _style("degree", SERIF_BOLD, 26, GOLD), top - 2 * mm, text_width
    )
    top = _centered(
        canvas, "Награждается", _style("awarded", SERIF_ITALIC, 16), top - 9 * mm, text_width
    )
    top = _centered(
        canvas,
        name_markup(data.full_name),
        _style("name", SERIF_BOLD, 28),
        top - 3 * mm,
        text_width,
    )
    body = _style("body", SERIF, 15)
    top = _centered(canvas, esc(f"за работу «{data.work}»"), body, top - 7 * mm, text_width)
    top = _centered(canvas, esc(f"в номинации «{data.nomination}»"), body, top - 2 * mm, text_width)
    _centered(canvas, esc(f"конкурса «{data.contest}»"), body, top - 2 * mm, text_width)
    _footer(canvas, data)


def _footer(canvas: Canvas, data: DiplomaData) -> None:
    width, _ = PAGE
    left, bottom = 26 * mm, 24 * mm
    canvas.setFillColor(colors.black)
    canvas.setFont(SERIF, 12)
    canvas.drawString(left, bottom + 16 * mm, printable(format_date(data.issued_on)))
    canvas.drawString(left, bottom + 10 * mm, printable(f"Рег. № {data.number}"))
    signer = (
        f"Организатор конкурса  ______________  / {data.organiser} /"
        if data.organiser
        else ("Организатор конкурса  ______________")
    )
    canvas.drawString(left, bottom, printable(signer))
    qr_left = width - 26 * mm - QR_SIZE
    draw_qr(canvas, data.link, qr_left, bottom - 2 * mm, QR_SIZE)
    canvas.setFont(SERIF, 9)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(qr_left - 3 * mm, bottom + 18 * mm, "Проверить подлинность:")
    canvas.setFont(SERIF_BOLD, 12)
    canvas.drawRightString(qr_left - 3 * mm, bottom + 12 * mm, data.code)
    canvas.setFont(SERIF, 8)
    canvas.drawRightString(qr_left - 3 * mm, bottom + 7 * mm, "отсканируйте QR-код")
    canvas.drawRightString(qr_left - 3 * mm, bottom + 3 * mm, "или отправьте код боту: /verify")


def build_diplomas(diplomas: Sequence[DiplomaData]) -> bytes:
    """The diplomas, one page each, as one PDF."""
    styles()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1, initialFontName=SERIF)
    first = diplomas[0] if diplomas else None
    canvas.setTitle(printable(f"Диплом — {first.contest}" if first else "Дипломы"))
    canvas.setAuthor(printable(first.issuer if first and first.issuer else CREATOR))
    canvas.setCreator(CREATOR)
    canvas.setSubject(printable(first.contest if first else ""))
    for data in diplomas:
        _page(canvas, data)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def build_diploma(data: DiplomaData) -> bytes:
    return build_diplomas([data])


__all__ = ["DiplomaData", "build_diploma", "build_diplomas"]
