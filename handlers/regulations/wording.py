"""Wording the regulation's screens share: the sections' titles in the reader's language,
a section's clauses numbered as in the document, who approved what and when."""

from __future__ import annotations

from bot.i18n import Html, Translator
from documents.regulation_words import parse_clauses
from services.formatting import format_date
from services.regulation_versions import VersionView
from services.texts import N_

# The document itself is Russian paperwork (documents/regulation_text.py has its titles).
SECTION_TITLES = (
    N_("General provisions"),
    N_("Goals and objectives"),
    N_("Organisation of work"),
    N_("Rights and duties of the leader"),
    N_("Rights and duties of members"),
    N_("Documentation"),
    N_("Final provisions"),
)


def section_title(t: Translator, number: int) -> str:
    return t.plain("{number}. {title}", number=number, title=t.plain(SECTION_TITLES[number - 1]))


def numbered(number: int, text: str) -> str:
    """A section's text with the document's numbers: «3.1. …», list items under a clause
    (plain text: the caller escapes it)."""
    lines: list[str] = []
    index = 0
    for clause in parse_clauses(text):
        if clause.text:
            index += 1
            lines.append(f"{number}.{index}. {clause.text}")
        lines += [f"    – {item}" for item in clause.items]
    return "\n".join(lines)


def approved_line(t: Translator, version: VersionView) -> Html:
    when = format_date(version.approved_on, t.language)
    if version.approved_by:
        return t.gettext(
            "✅ Version {version} approved on {date} by {name}.",
            version=version.version,
            date=when,
            name=version.approved_by,
        )
    return t.gettext("✅ Version {version} approved on {date}.", version=version.version, date=when)
