"""A QR code drawn with ReportLab's own barcode module, as a flowable of a given size."""

from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing


def qr_drawing(data: str, size: float) -> Drawing:
    """A square drawing `size` points wide holding `data` (error correction M, quiet zone kept)."""
    widget = QrCodeWidget(data, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    width, height = right - left, top - bottom
    drawing = Drawing(size, size, transform=[size / width, 0, 0, size / height, 0, 0])
    drawing.add(widget)
    return drawing


__all__ = ["qr_drawing"]
