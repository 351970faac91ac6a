"""QR codes from ReportLab's own encoder, drawn straight on a canvas as one path.

One filled rectangle per run of dark modules: a batch of hundreds of certificates or
diplomas would otherwise spend most of its time building a shape per module (a
`QrCodeWidget` drawing), for the same modules.
"""

from __future__ import annotations

import itertools

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE = 4  # modules of white around the code, as the standard wants


def qr_modules(text: str) -> list[list[bool]]:
    """The QR code's dark modules (error correction M, the best mask), row by row."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    return [[bool(module) for module in row] for row in code.modules]


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code of `text`, quiet zone included, in the square of `size` at (x, y)."""
    modules = qr_modules(text)
    box = size / (len(modules) + 2 * QUIET_ZONE)
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        column = 0
        for dark, run in itertools.groupby(row):
            count = len(list(run))
            if dark:
                left = x + (column + QUIET_ZONE) * box
                top = y + size - (r + QUIET_ZONE + 1) * box
                path.rect(left, top, count * box, box)
            column += count
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


__all__ = ["draw_qr", "qr_modules"]
