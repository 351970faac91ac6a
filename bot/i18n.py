"""Translations: gettext catalogs in locales/<lang>/LC_MESSAGES/*.po, compiled at start.

Source strings in code are English. Every `.po` file of a language is merged into one
catalogue, so features can keep their own files (`registration.po`, `meetings.po`…).
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Protocol

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from markupsafe import escape

from bot.settings import SUPPORTED_LANGUAGES
from services.errors import DomainError
from services.formatting import TIME_ZONES
from services.texts import N_, LazyText

__all__ = ["N_", "Html", "Translator", "pick_language", "translations"]

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


def _compile(po_path: Path, language: str) -> Translations:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


@cache
def translations(language: str) -> NullTranslations:
    """The merged catalogue of one language (English falls back to the source strings)."""
    files = sorted((LOCALES_DIR / language / "LC_MESSAGES").glob("*.po"))
    if not files:
        return NullTranslations()
    merged = _compile(files[0], language)
    for extra in files[1:]:
        merged.merge(_compile(extra, language))
    return merged


def pick_language(profile: str | None, telegram_code: str | None, default: str) -> str:
    """A user's language: their profile, else Telegram's language_code, else the default."""
    for candidate in (profile, (telegram_code or "").split("-")[0].lower()):
        if candidate in SUPPORTED_LANGUAGES:
            return candidate
    return default


class Speaker(Protocol):
    """Whatever knows a person's languages (a `User`)."""

    language: str | None
    telegram_language: str | None


def person_translator(person: Speaker | None, default: str) -> Translator:
    """The translator for a person: their choice, else Telegram's language, else `default`."""
    if person is None:
        return Translator(default)
    return Translator(pick_language(person.language, person.telegram_language, default))


def zone_title(t: Translator, zone: str) -> str:
    """«Москва (МСК)» for the zones of Russia; the IANA name for any other."""
    title = TIME_ZONES.get(zone)
    return t.plain(title) if title is not None else zone


def _escaped(params: dict[str, object]) -> dict[str, object]:
    return {
        key: value if isinstance(value, LazyText) or not isinstance(value, str) else escape(value)
        for key, value in params.items()
    }


def _translated(catalog: NullTranslations, params: dict[str, object]) -> dict[str, object]:
    return {
        key: catalog.gettext(value) if isinstance(value, LazyText) else value
        for key, value in params.items()
    }


class Html(str):
    """Telegram HTML made by `Translator.gettext`/`ngettext`: its markup is meant.

    A template (autoescaped) and a parameter of another `gettext` take it as is, through
    markupsafe's `__html__` protocol; a plain `str` is always escaped there. Concatenating
    gives a plain `str` again, so build longer texts in a template or wrap them in `Html`
    knowingly.
    """

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)


class Translator:
    """gettext bound to one language; pass it to whatever renders text for a user.

    `gettext`/`ngettext` produce Telegram HTML (`Html`): string parameters are escaped (an
    `Html` or a `markupsafe.Markup` passes as is). `plain`/`nplain` are for button labels
    and alerts, which Telegram does not parse.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self._catalog = translations(language)

    def gettext(self, message: str, /, **params: object) -> Html:
        return Html(self.plain(message, **_escaped(params)))

    def error(self, error: DomainError) -> Html:
        """Why something cannot be done, as the user reads it (HTML, with a warning sign)."""
        return Html("⚠️ " + self.gettext(error.message, **error.params))

    def ngettext(self, singular: str, plural: str, n: int, /, **params: object) -> Html:
        """Plural-aware text; `{n}` in the strings is the count."""
        return Html(self.nplain(singular, plural, n, **_escaped(params)))

    def plain(self, message: str, /, **params: object) -> str:
        text = self._catalog.gettext(message)
        return text.format(**_translated(self._catalog, params)) if params else text

    def nplain(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        text = self._catalog.ngettext(singular, plural, n)
        return text.format(n=n, **_translated(self._catalog, params))
