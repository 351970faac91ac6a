"""Keeping the gettext catalogues complete: extract strings from code, find the missing.

`python -m bot i18n` adds every new source string to `locales/<lang>/LC_MESSAGES/new.po`
(English is filled with the source text; Russian is left for a translator), and
`tests/test_i18n.py` fails while any string lacks a translation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import LOCALES_DIR
from bot.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES

KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "plain": None,
    "nplain": (1, 2),
    "N_": None,
    "T_": None,
    "pgettext": ((1, "c"), 2),
}
SOURCE_DIRS = ("bot", "handlers", "services", "scheduler")
PLURAL_FORMS = {"ru": 3, "en": 2}


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str | None
    location: str


def extract(paths: tuple[str, ...] = ()) -> dict[str, Message]:
    """Every translatable string in the code and templates, keyed by msgid.

    With `paths` (project-relative files or folders), only strings found there.
    """
    found: dict[str, Message] = {}
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    for folder in SOURCE_DIRS:
        directory = PROJECT_ROOT / folder
        for filename, lineno, message, _comments, _context in extract_from_dir(
            directory, method_map, options_map=options, keywords=KEYWORDS
        ):
            if isinstance(message, tuple):
                msgid, plural = message[0], message[1]
            else:
                msgid, plural = message, None
            location = f"{folder}/{filename}"
            if msgid and (not paths or location.startswith(paths)):
                found.setdefault(msgid, Message(msgid, plural, f"{location}:{lineno}"))
    return found


def load_catalogs(language: str) -> dict[str, object]:
    """msgid -> msgstr (a str, or a tuple for plurals) over every .po of a language."""
    merged: dict[str, object] = {}
    for path in sorted((LOCALES_DIR / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key and key not in merged:
                merged[key] = message.string
    return merged


def missing(language: str, paths: tuple[str, ...] = ()) -> list[Message]:
    """Source strings with no (complete) translation in `language`."""
    have = load_catalogs(language)
    result = []
    for msgid, message in extract(paths).items():
        value = have.get(msgid)
        if message.plural:
            forms = value if isinstance(value, tuple | list) else ()
            if len([f for f in forms if f]) < PLURAL_FORMS[language]:
                result.append(message)
        elif not value:
            result.append(message)
    return result


def add_missing(domain: str = "new", paths: tuple[str, ...] = ()) -> dict[str, int]:
    """Append untranslated strings to each language's `<domain>.po` (English: the source).

    Russian entries are added empty (or with empty plural forms) for a translator to fill.
    """
    counts: dict[str, int] = {}
    for language in SUPPORTED_LANGUAGES:
        todo = missing(language, paths)
        counts[language] = len(todo)
        if not todo:
            continue
        path = LOCALES_DIR / language / "LC_MESSAGES" / f"{domain}.po"
        catalog = _open(path, language)
        for message in todo:
            catalog.delete(message.msgid)
            _add(catalog, message, language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False)
    return counts


def _open(path: Path, language: str) -> Catalog:
    if path.exists():
        with path.open("rb") as handle:
            return read_po(handle, locale=language)
    return Catalog(locale=language, project="vmo-bot", charset="utf-8")


def _add(catalog: Catalog, message: Message, language: str) -> None:
    if message.plural:
        ident = (message.msgid, message.plural)
        string = (
            (message.msgid, message.plural) if language == "en" else ("",) * PLURAL_FORMS[language]
        )
        catalog.add(ident, string, locations=[(message.location, 0)])
    else:
        catalog.add(
            message.msgid,
            message.msgid if language == "en" else "",
            locations=[(message.location, 0)],
        )
