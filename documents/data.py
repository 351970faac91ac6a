"""Plain input data shared by the document builders, and the Russian words for domain codes.

Documents are Russian paperwork, so the Russian lives here and in the builders (not in the
gettext catalogues, which are for the bot's messages). Every field is a plain value: the
services layer fills these from the database, tests fill them by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "Approval",
    "AssociationInfo",
    "Person",
    "association_kind",
    "meeting_form",
    "member_role",
    "qualification_category",
]


@dataclass(frozen=True)
class _Kind:
    abbreviation: str  # «ВМО»
    nominative: str  # «виртуальное методическое объединение»
    genitive: str  # «виртуального методического объединения»
    leader: str  # «Руководитель ВМО»


_KINDS: dict[str, _Kind] = {}


def _add_kind(codes: tuple[str, ...], kind: _Kind) -> None:
    for code in codes:
        _KINDS[code.lower()] = kind


_add_kind(
    ("ВМО", "vmo"),
    _Kind(
        "ВМО",
        "виртуальное методическое объединение",
        "виртуального методического объединения",
        "Руководитель ВМО",
    ),
)
_add_kind(
    ("ВПО", "vpo"),
    _Kind(
        "ВПО",
        "виртуальное профессиональное объединение",
        "виртуального профессионального объединения",
        "Руководитель ВПО",
    ),
)
_add_kind(
    ("СМО", "smo"),
    _Kind(
        "СМО",
        "сетевое методическое объединение",
        "сетевого методического объединения",
        "Руководитель СМО",
    ),
)
_add_kind(
    ("ВМК", "vmk"),
    _Kind(
        "ВМК",
        "виртуальный методический кабинет",
        "виртуального методического кабинета",
        "Руководитель ВМК",
    ),
)
_add_kind(
    ("СПС", "community", "сообщество"),
    _Kind(
        "сообщества",
        "сетевое педагогическое сообщество",
        "сетевого педагогического сообщества",
        "Руководитель сообщества",
    ),
)
# Heads of names that are not a kind of their own but appear in regulations.
_EXTRA_HEADS = {
    "методическое объединение": "методического объединения",
    "профессиональное объединение": "профессионального объединения",
    "педагогическое сообщество": "педагогического сообщества",
}


_ABBREVIATIONS = ("ВМО", "ВПО", "СМО", "ВМК", "СПС", "МО", "РМО", "ШМО", "ГМО")


def _starts_with_abbreviation(name: str) -> bool:
    first = name.split(" ", 1)[0].strip('«»"')
    return first in _ABBREVIATIONS


def association_kind(code: str) -> _Kind:
    """Russian wording for an association kind given as «ВМО» or an enum value like "vmo"."""
    return _KINDS.get((code or "").strip().lower(), _KINDS["вмо"])


@dataclass(frozen=True)
class AssociationInfo:
    """The association a document belongs to.

    ``name`` is the full name in the nominative, as in its regulation:
    «Виртуальное методическое объединение учителей математики». Titles need the genitive
    («План работы виртуального методического объединения…»); it is derived from the name
    when the name starts with the kind's usual words, or give it in ``name_genitive``.
    """

    name: str
    kind: str = "ВМО"
    organisation: str = ""
    name_genitive: str = ""

    @property
    def genitive(self) -> str:
        """The name in the genitive, lower-case head: «виртуального методического объединения…»."""
        if self.name_genitive:
            return self.name_genitive
        name = " ".join(self.name.split())
        if _starts_with_abbreviation(name):
            # «ВМО учителей математики»: the abbreviation already says the kind and does
            # not decline («заседания ВМО учителей математики»).
            return name
        lowered = name.lower()
        heads = {k.nominative: k.genitive for k in _KINDS.values()} | _EXTRA_HEADS
        for nominative, genitive in sorted(heads.items(), key=lambda kv: -len(kv[0])):
            if lowered.startswith(nominative):
                return genitive + name[len(nominative) :]
        # Unknown wording: quote the name after the kind's genitive so the case stays right.
        return f"{association_kind(self.kind).genitive} «{name}»"

    @property
    def abbreviation(self) -> str:
        """«ВМО», «ВПО»… (for a community: «сообщества», as in «Руководитель сообщества»)."""
        return association_kind(self.kind).abbreviation

    @property
    def leader_title(self) -> str:
        """«Руководитель ВМО» — the leader's position on signature lines."""
        return association_kind(self.kind).leader


@dataclass(frozen=True)
class Person:
    """A person as printed on paperwork: full name «Иванова Анна Петровна» and position."""

    full_name: str
    position: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class Approval:
    """One approval stamp («СОГЛАСОВАНО» or «УТВЕРЖДАЮ») at the top of a document.

    Leave ``full_name`` or ``signed_on`` empty to print blank lines (a draft).
    ``reference`` is the order or protocol: «Протокол методического совета № 1 от
    28.08.2026» or «Приказ № 112-о от 30.08.2026». ``heading`` overrides the default
    heading of the column (e.g. «УТВЕРЖДЕНО» for approval by an order).
    """

    position: str
    organisation: str = ""
    full_name: str = ""
    signed_on: date | None = None
    reference: str = ""
    heading: str = ""


_ROLES = {
    "leader": "руководитель",
    "secretary": "секретарь",
    "member": "участник",
    "expert": "эксперт",
    "consultant": "консультант",
    "methodist": "сетевой методист",
    "network_methodist": "сетевой методист",
    "administrator": "администратор",
    "admin": "администратор",
}

_CATEGORIES = {
    "highest": "высшая",
    "high": "высшая",
    "first": "первая",
    "none": "без категории",
    "no": "без категории",
    "compliance": "соответствие занимаемой должности",
    "teacher_methodist": "педагог-методист",
    "methodist": "педагог-методист",
    "teacher_mentor": "педагог-наставник",
    "mentor": "педагог-наставник",
}

_FORMS = {
    "webinar": "вебинар",
    "master_class": "виртуальный мастер-класс",
    "exhibition": "виртуальная выставка",
    "consultation": "онлайн-консультация",
    "online_consultation": "онлайн-консультация",
    "forum": "форум",
    "lecture": "интерактивная лекция",
    "interactive_lecture": "интерактивная лекция",
    "seminar": "виртуальный семинар",
    "workshop": "творческая мастерская",
    "creative_workshop": "творческая мастерская",
    "ring": "виртуальный ринг",
    "chat_consultation": "чат-консультация",
    "conference": "конференция",
    "council": "педагогический совет",
    "pedagogical_council": "педагогический совет",
    "other": "иная форма",
}


_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def _lookup(table: dict[str, str], value: str, fallback: str) -> str:
    """The Russian for a code; Russian words pass through; an unknown code is ``fallback``.

    A code never reaches paper: «unknown_code» or «strange_role» would puzzle a director.
    """
    key = (value or "").strip()
    if key.lower() in table:
        return table[key.lower()]
    return key if _CYRILLIC.search(key) else fallback


def member_role(value: str) -> str:
    """Russian for a membership role code ("leader" -> «руководитель»); unknown: «участник»."""
    return _lookup(_ROLES, value, "участник")


def qualification_category(value: str) -> str:
    """Russian for a qualification category code ("first" -> «первая»); unknown: «не указана»."""
    return _lookup(_CATEGORIES, value, "не указана" if (value or "").strip() else "")


def meeting_form(value: str) -> str:
    """Russian for a meeting form code ("webinar" -> «вебинар»); unknown: «иная форма»."""
    return _lookup(_FORMS, value, "иная форма" if (value or "").strip() else "")
