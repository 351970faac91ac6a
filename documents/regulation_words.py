"""The Russian words a regulation and a guide need about an association: the kind in every
case, subjects, counts in words, and how a section's text splits into clauses.

Documents are Russian paperwork, so these live with the documents (as in
``documents.data``), not in the bot's catalogues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "Clause",
    "KindForms",
    "clauses_text",
    "genitive_title",
    "kind_forms",
    "parse_clauses",
    "people_after_at_most",
    "plural",
    "subject_words",
    "title_of",
    "up_to_words",
]


@dataclass(frozen=True)
class KindForms:
    """A kind's short name as the regulation uses it after «(далее — …)», in the cases it
    needs (an abbreviation does not decline), and the full name for titles."""

    nom: str
    gen: str
    ins: str
    full_gen: str  # «виртуального методического объединения»
    full_prep: str  # «виртуальном методическом объединении»
    full_nom: str


def _abbreviation(short: str, nom: str, gen: str, prep: str) -> KindForms:
    return KindForms(short, short, short, gen, prep, nom)


_FORMS = {
    "vmo": _abbreviation(
        "ВМО",
        "виртуальное методическое объединение",
        "виртуального методического объединения",
        "виртуальном методическом объединении",
    ),
    "vpo": _abbreviation(
        "ВПО",
        "виртуальное профессиональное объединение",
        "виртуального профессионального объединения",
        "виртуальном профессиональном объединении",
    ),
    "smo": _abbreviation(
        "СМО",
        "сетевое методическое объединение",
        "сетевого методического объединения",
        "сетевом методическом объединении",
    ),
    "vmk": _abbreviation(
        "ВМК",
        "виртуальный методический кабинет",
        "виртуального методического кабинета",
        "виртуальном методическом кабинете",
    ),
    "community": KindForms(
        "Сообщество",
        "Сообщества",
        "Сообществом",
        "сетевого педагогического сообщества",
        "сетевом педагогическом сообществе",
        "сетевое педагогическое сообщество",
    ),
}


def kind_forms(kind: str) -> KindForms:
    """The forms of a kind code ("vmo"…); an unknown code reads as a ВМО."""
    return _FORMS.get(kind, _FORMS["vmo"])


_ABBREVIATIONS = ("ВМО", "ВПО", "СМО", "ВМК", "СПС", "МО")


def title_of(name: str, kind: str) -> str:
    """What follows «ПОЛОЖЕНИЕ о» / «Инструкция участника»: the name in the right case.

    «ВМО учителей математики» and «Виртуальное методическое объединение учителей
    математики» both give «виртуальном методическом объединении учителей математики»
    (``prepositional``); any other name is quoted after the kind: «… объединении
    «Математика без границ»».
    """
    forms = kind_forms(kind)
    words = " ".join(name.split())
    head, _, rest = words.partition(" ")
    if head.strip('«»"') in _ABBREVIATIONS and rest:
        return f"{forms.full_prep} {rest}"
    if words.lower().startswith(forms.full_nom) and len(words) > len(forms.full_nom):
        return forms.full_prep + words[len(forms.full_nom) :]
    return f"{forms.full_prep} «{words}»"


def genitive_title(name: str, kind: str) -> str:
    """The name in the genitive, for «Инструкция участника …» and «деятельности …»."""
    forms = kind_forms(kind)
    prepositional = title_of(name, kind)
    return forms.full_gen + prepositional[len(forms.full_prep) :]


_SUBJECTS = {
    "russian": "русский язык",
    "literature": "литература",
    "math": "математика",
    "informatics": "информатика",
    "physics": "физика",
    "chemistry": "химия",
    "biology": "биология",
    "geography": "география",
    "history": "история",
    "social": "обществознание",
    "english": "английский язык",
    "foreign": "иностранные языки",
    "primary": "начальное общее образование",
    "art": "изобразительное искусство",
    "music": "музыка",
    "technology": "труд (технология)",
    "pe": "физическая культура",
    "safety": "основы безопасности и защиты Родины",
    "native": "родной язык и литература",
    "preschool": "дошкольное образование",
}


def subject_words(subjects: Sequence[str]) -> str:
    """Catalogue keys in Russian, a teacher's own words as typed: «математика, физика»."""
    return ", ".join(_SUBJECTS.get(s, s) for s in subjects if s)


_GENITIVE_WORDS = {
    1: "одного",
    2: "двух",
    3: "трёх",
    4: "четырёх",
    5: "пяти",
    6: "шести",
    7: "семи",
    8: "восьми",
    9: "девяти",
    10: "десяти",
    12: "двенадцати",
}


def up_to_words(n: int) -> str:
    """A count after «не менее»: «четырёх»; beyond the words, digits."""
    return _GENITIVE_WORDS.get(n, str(n))


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian plural form for ``n``: 1 час, 2 часа, 5 часов, 21 час."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def people_after_at_most(n: int) -> str:
    """«не более 150 человек», «не более 21 человека» (genitive after «не более»)."""
    word = "человека" if n % 10 == 1 and n % 100 != 11 else "человек"
    return f"не более {n} {word}"


@dataclass(frozen=True)
class Clause:
    """One numbered clause; ``items`` are its list lines («– …»)."""

    text: str
    items: tuple[str, ...] = ()


_ITEM = re.compile(r"^\s*[-–—•*]\s*")
# A number the writer typed («1.2.», «3)», «2.») is the document's to give.
_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*[.)]\s*")


def parse_clauses(text: str) -> list[Clause]:
    """A section's text as clauses: a clause per line, lines starting with a dash are the
    list items of the clause above (a list with nothing above is a clause of its own)."""
    clauses: list[Clause] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if _ITEM.match(line):
            item = _ITEM.sub("", line)
            if item:
                last = clauses.pop() if clauses else Clause("")
                clauses.append(Clause(last.text, (*last.items, item)))
            continue
        line = _NUMBER.sub("", line)
        if line:
            clauses.append(Clause(line))
    return clauses


def clauses_text(clauses: Sequence[Clause]) -> str:
    """Clauses back to the stored form: a line per clause, «– » before each item."""
    lines: list[str] = []
    for clause in clauses:
        if clause.text:
            lines.append(clause.text)
        lines.extend(f"– {item}" for item in clause.items)
    return "\n".join(lines)
