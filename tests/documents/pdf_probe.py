"""Reading generated PDFs back for assertions."""

from __future__ import annotations

import re
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


_LINE_END_HYPHEN = re.compile(r"(?<=[а-яёa-z])-\s*\n\s*(?=[А-ЯЁа-яёA-Za-z])")


def contains(pdf: bytes, phrase: str) -> bool:
    """Whether ``phrase`` is in the text, whatever the line breaks and hyphenation.

    A hyphen at a line end is either hyphenation («рекоменда-» / «ции») or a hyphen of the
    word itself («мастер-» / «класс»): both readings are tried.
    """
    text = "\n".join(page_texts(pdf))
    readings = (_LINE_END_HYPHEN.sub("", text), _LINE_END_HYPHEN.sub("-", text))
    return any(phrase in " ".join(reading.split()) for reading in readings)


def lines(pdf: bytes) -> list[str]:
    """Every extracted text line of every page, whitespace collapsed."""
    return [" ".join(line.split()) for page in page_texts(pdf) for line in page.splitlines()]
