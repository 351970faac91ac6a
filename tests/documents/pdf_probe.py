"""Reading generated PDFs back for assertions."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    """Text of every page, non-breaking spaces turned into plain ones."""
    return [(p.extract_text() or "").replace("\u00a0", " ") for p in reader(pdf).pages]


def full_text(pdf: bytes) -> str:
    """All text, with whitespace runs collapsed so line breaks do not matter."""
    return " ".join(" ".join(page_texts(pdf)).split())


def font_names(pdf: bytes) -> set[str]:
    """BaseFont names used on all pages, without the subset prefix ("ABCDEF+")."""
    names: set[str] = set()
    for page in reader(pdf).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            base = str(ref.get_object()["/BaseFont"]).lstrip("/")
            names.add(base.split("+", 1)[-1])
    return names
