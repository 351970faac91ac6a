"""Russian hyphenation for ReportLab paragraphs, from Pyphen's patterns.

ReportLab 4+ hyphenates a word that does not fit at the end of a line when the paragraph
style's ``hyphenationLang`` is a callable returning (head, tail) pairs, longest head first;
:func:`hyphenate_ru` is that callable. Capitalised words (surnames, place names,
abbreviations such as «МБОУ») are never hyphenated: a director does not want to read
«Констан-тинопольская». ReportLab itself only hyphenates words made of the letters it
knows (words with «ё» are left out), and it cuts a word wider than the whole line
character by character; so tables make every column at least as wide as its widest piece
between possible line breaks (:func:`line_pieces`), and hyphenation only fills lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pyphen

__all__ = ["hyphenate_ru", "line_pieces"]

_EDGE_PUNCTUATION = "«»„“”\"'()[],.;:!?"
_SPACES = re.compile(r"[ \t\n]+")  # not the non-breaking space
_LETTERS_AND_HYPHENS = re.compile(r"[A-Za-zА-Яа-яЁё-]+")


@cache
def _dictionary() -> pyphen.Pyphen:
    # At least two letters stay on each side of the break, as Russian typesetting wants.
    return pyphen.Pyphen(lang="ru_RU", left=2, right=2)


@cache
def hyphenate_ru(word: str) -> tuple[tuple[str, str], ...]:
    """Possible breaks of ``word``: («учебно-воспита», «тельной»)…, longest head first.

    A compound («педагог-методист») is hyphenated part by part and may break after its
    own hyphen; Pyphen alone would offer «педаго-» / «г-методист». Cached: the words
    of school paperwork repeat from row to row.
    """
    if not word[:1].islower():
        return ()
    parts = word.split("-")
    pairs: list[tuple[str, str]] = []
    for i, part in enumerate(parts):
        head = "".join(f"{p}-" for p in parts[:i])
        tail = "".join(f"-{p}" for p in parts[i + 1 :])
        pairs += [(head + h, t + tail) for h, t in _dictionary().iterate(part)]
        if tail:
            pairs.append((f"{head}{part}-", tail[1:]))
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def line_pieces(text: str) -> Iterator[str]:
    """The pieces ReportLab may break a line between: at spaces, and after a hyphen in a
    word of letters only.

    Text tied with non-breaking spaces («23 года», «Оболенская М. С.») stays one piece;
    «Воскресенская-Оболенская» is «Воскресенская-» and «Оболенская».
    """
    for word in _SPACES.split(text):
        if not word:
            continue
        if "-" in word and _LETTERS_AND_HYPHENS.fullmatch(word.strip(_EDGE_PUNCTUATION)):
            yield from re.findall(r"[^-]+-*|-+", word)
        else:
            yield word
