"""People's names: cleaning, splitting, initials and grammatical gender.

Messenger-agnostic (no Telegram, no database): the bot's texts and the PDF documents use
the same rules. A full name is «Фамилия Имя Отчество», as Russian paperwork writes it;
Azerbaijani and Turkic patronymics have a separate particle («Мамедов Эльчин Рашид оглы»,
«Алиева Лейла Рашид кызы»).

What people type into a messenger is not always a name: emoji, HTML-like markup and stray
symbols are dropped by :func:`clean_name` before a name is split, so they never become an
initial («Смайликова 😀 Анна» is «Смайликова А.», not «Смайликова ☒. А.»).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Gender",
    "NameParts",
    "by_gender",
    "clean_name",
    "grammatical_gender",
    "initials_first",
    "short_name",
    "split_name",
]


class Gender(StrEnum):
    """Grammatical gender, for choosing «присутствовал» or «присутствовала»."""

    MASCULINE = "m"
    FEMININE = "f"


# Turkic patronymic particles written as a separate word or joined by a hyphen.
_MALE_PARTICLES = frozenset({"оглы", "оглу", "огли", "улы", "уулу", "угли", "ули"})
_FEMALE_PARTICLES = frozenset({"кызы", "гызы", "кизи", "қызы"})
_PARTICLES = _MALE_PARTICLES | _FEMALE_PARTICLES

_FEMININE_PATRONYMIC = ("вна", "чна", "шна")  # Петровна, Ильинична, Саввишна
_MASCULINE_PATRONYMIC = ("вич", "ич")  # Петрович, Ильич, Фомич
# Surname endings that decide the gender when there is no patronymic.
_FEMININE_SURNAME = ("ова", "ева", "ёва", "ина", "ына", "ская", "цкая", "ая")
_MASCULINE_SURNAME = ("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ой", "ий")

_TAG = re.compile(r"<[^<>]*>")
_SPACES = re.compile(r"\s+")
# Inside a word a name may have a hyphen or an apostrophe (Д'Артаньян), and a dot after an
# initial; everything else that is not a letter (emoji, «<», «&», «☒», digits) is dropped.
_KEEP_INSIDE = frozenset("-'’.")


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def _clean_word(word: str) -> str:
    kept = "".join(c for c in word if _is_letter(c) or c in _KEEP_INSIDE)
    kept = kept.strip("-'’")
    if not any(_is_letter(c) for c in kept):
        return ""
    # A dot belongs only after a letter («Е.»), never in front of one.
    return kept.lstrip(".")


def clean_name(text: str | None) -> str:
    """The name without markup, entities, emoji and symbols; spaces normalised.

    «Иванова <b>& Анна Петровна» -> «Иванова Анна Петровна»; «😀 Смайликова Анна» ->
    «Смайликова Анна». Letters of every script are kept.
    """
    text = html.unescape(_TAG.sub(" ", text or ""))
    words = (_clean_word(w) for w in _SPACES.split(text))
    return " ".join(w for w in words if w)


@dataclass(frozen=True)
class NameParts:
    """A full name split into its parts; missing parts are empty strings.

    ``patronymic`` includes a Turkic particle («Рашид оглы»); ``particle`` is that particle
    alone («оглы»), empty for Slavic patronymics.
    """

    surname: str
    given: str = ""
    patronymic: str = ""
    particle: str = ""

    @property
    def initials(self) -> str:
        """«Е. И.» — the initials of the given name and the patronymic (the particle has none)."""
        words = [self.given]
        if self.patronymic:
            words.append(self.patronymic.split()[0])
        return " ".join(_initial(w) for w in words if w)


def _particle_of(words: list[str]) -> str:
    """The Turkic particle at the end of ``words`` («оглы», or «оглы» in «Рашид-оглы»)."""
    last = words[-1].lower()
    if last in _PARTICLES:
        return words[-1]
    tail = last.rsplit("-", 1)[-1]
    return words[-1][-len(tail) :] if "-" in last and tail in _PARTICLES else ""


def split_name(full_name: str | None) -> NameParts:
    """«Петрова Елена Ивановна» -> surname «Петрова», given «Елена», patronymic «Ивановна».

    Four words ending in a particle («Мамедов Эльчин Рашид оглы») give the patronymic
    «Рашид оглы». Text is cleaned first (:func:`clean_name`).
    """
    words = clean_name(full_name).split()
    if not words:
        return NameParts("")
    particle = _particle_of(words) if len(words) >= 3 else ""
    return NameParts(
        surname=words[0],
        given=words[1] if len(words) > 1 else "",
        patronymic=" ".join(words[2:]),
        particle=particle,
    )


def _initial(word: str) -> str:
    # «Анна-Мария» -> «А.-М.»
    return "-".join(f"{piece[:1].upper()}." for piece in word.split("-") if piece)


def short_name(full_name: str | None) -> str:
    """«Иванова Анна Петровна» -> «Иванова А. П.»; one word stays as is."""
    parts = split_name(full_name)
    return f"{parts.surname} {parts.initials}".strip()


def initials_first(full_name: str | None) -> str:
    """«Иванова Анна Петровна» -> «А. П. Иванова» (the form used under signatures)."""
    parts = split_name(full_name)
    return f"{parts.initials} {parts.surname}".strip()


def grammatical_gender(full_name: str | None) -> Gender | None:
    """The gender a Russian sentence about the person agrees with; ``None`` when unclear.

    Decided by the patronymic («…вна», «…ич», «оглы», «кызы»); without one, by a typical
    surname ending («…ова», «…ский»). «Ким Анна» is ``None``.
    """
    parts = split_name(full_name)
    if parts.particle:
        return Gender.FEMININE if parts.particle.lower() in _FEMALE_PARTICLES else Gender.MASCULINE
    patronymic = parts.patronymic.lower()
    if patronymic.endswith((*_FEMININE_PATRONYMIC, *_FEMALE_PARTICLES)):
        return Gender.FEMININE
    if patronymic.endswith((*_MASCULINE_PATRONYMIC, *_MALE_PARTICLES)):
        return Gender.MASCULINE
    if patronymic:
        return None
    surname = parts.surname.lower().rsplit("-", 1)[-1]
    if len(surname) > 3 and surname.endswith(_FEMININE_SURNAME):
        return Gender.FEMININE
    if len(surname) > 3 and surname.endswith(_MASCULINE_SURNAME):
        return Gender.MASCULINE
    return None


def by_gender(full_name: str | None, masculine: str, feminine: str, unknown: str) -> str:
    """The word form that agrees with the person: ``masculine``, ``feminine`` or ``unknown``."""
    gender = grammatical_gender(full_name)
    if gender is Gender.FEMININE:
        return feminine
    if gender is Gender.MASCULINE:
        return masculine
    return unknown


def address_name(full_name: str | None) -> str:
    """How colleagues address a person: name and patronymic, else the first name.

    «Петрова Елена Ивановна» -> «Елена Ивановна», «Мамедов Эльдар Рашид оглы» -> «Эльдар
    Рашид оглы», «Петрова Елена» -> «Елена»; one word stays as is. The full name is written
    surname first, as registration asks for it.
    """
    parts = split_name(full_name)
    if not parts.given:
        return parts.surname
    patronymic = parts.patronymic.lower()
    if parts.particle or patronymic.endswith(_FEMININE_PATRONYMIC + _MASCULINE_PATRONYMIC):
        return f"{parts.given} {parts.patronymic}"
    return parts.given
