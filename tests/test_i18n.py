"""Every user-visible string is translated into Russian and English, plurals included."""

from __future__ import annotations

from datetime import date

import pytest

from bot.catalogs import extract, missing
from bot.i18n import Html, Translator, pick_language
from bot.render import Renderer


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_source_string_has_a_translation(language: str) -> None:
    absent = missing(language)
    listing = "\n".join(f"  {m.location}: {m.msgid!r}" for m in absent)
    assert not absent, f"{len(absent)} string(s) lack a {language} translation:\n{listing}"


def test_extraction_finds_strings_in_code_and_templates() -> None:
    found = extract()
    assert "Please register first: send /start." in found
    assert "Consent to the processing of personal data" in found  # from a template


def test_russian_plural_forms_follow_the_number() -> None:
    t = Translator("ru")
    forms = [
        t.ngettext("Experience: %(num)d year", "Experience: %(num)d years", n)
        for n in (1, 2, 5, 11, 21, 22)
    ]
    assert forms == [
        "Стаж: %(num)d год",
        "Стаж: %(num)d года",
        "Стаж: %(num)d лет",
        "Стаж: %(num)d лет",
        "Стаж: %(num)d год",
        "Стаж: %(num)d года",
    ]


def test_parameters_are_escaped_for_telegram_html() -> None:
    t = Translator("ru")
    assert t.gettext("Welcome back, {name}!", name="<b>Анна & Co</b>") == (
        "С возвращением, &lt;b&gt;Анна &amp; Co&lt;/b&gt;!"
    )
    assert t.plain("Welcome back, {name}!", name="<b>") == "С возвращением, <b>!"


def test_html_from_gettext_is_not_escaped_again() -> None:
    t = Translator("ru")
    heading = t.gettext("<b>Your profile</b>")
    assert isinstance(heading, Html)
    assert t.gettext("Welcome back, {name}!", name=heading) == "С возвращением, <b>Ваш профиль</b>!"


def test_templates_render_in_both_languages_with_plurals() -> None:
    renderer = Renderer()
    values = dict(
        heading="",
        full_name="Иванова <Анна>",
        organisation="СОШ",
        position="Учитель",
        subjects="Математика",
        experience=3,
        category="",
        municipality=None,
        email=None,
        phone=None,
        young_specialist=False,
    )
    ru = renderer.render("profile.html", Translator("ru"), **values)
    en = renderer.render("profile.html", Translator("en"), **values)
    assert "Стаж: 3 года" in ru and "Иванова &lt;Анна&gt;" in ru
    assert "Experience: 3 years" in en and "Municipality not given" in en


def test_a_template_keeps_the_markup_of_gettext_and_escapes_plain_text() -> None:
    t, renderer = Translator("ru"), Renderer()
    values = dict(
        full_name="Иванова Анна",
        organisation="СОШ",
        position="Учитель",
        subjects="Математика",
        experience=None,
        category="",
        municipality="Тверь",
        email=None,
        phone=None,
        young_specialist=True,
    )
    card = renderer.render("profile.html", t, heading=t.gettext("<b>Your profile</b>"), **values)
    assert card.startswith("<b>Ваш профиль</b>") and "🌱 Молодой специалист" in card
    plain = renderer.render("profile.html", t, heading=t.plain("<b>Your profile</b>"), **values)
    assert plain.startswith("&lt;b&gt;Ваш профиль&lt;/b&gt;")


@pytest.mark.parametrize(
    ("profile", "telegram", "expected"),
    [("en", "ru", "en"), (None, "en-GB", "en"), (None, "de", "ru"), (None, None, "ru")],
)
def test_language_comes_from_profile_then_telegram_then_default(profile, telegram, expected):
    assert pick_language(profile, telegram, "ru") == expected


def test_dates_read_as_russian_paperwork() -> None:
    from services.formatting import format_date

    assert format_date(date(2026, 11, 26), "ru") == "26 ноября 2026 г."
    assert format_date(date(2026, 11, 26), "en") == "26 November 2026"


@pytest.mark.parametrize("language", ["ru", "en"])
def test_no_string_is_translated_two_ways_in_different_catalogues(language: str) -> None:
    """The catalogues of a language are merged into one: a msgid translated differently in
    two files would read one way in one feature and silently change in the other (a poll
    is «Анонимный», a survey «Анонимная»: give them different msgids)."""
    from babel.messages.pofile import read_po

    from bot.i18n import LOCALES_DIR

    seen: dict[object, tuple[str, object]] = {}
    clashes = []
    for path in sorted((LOCALES_DIR / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if not message.id or not message.string:
                    continue
                earlier = seen.setdefault(message.id, (path.name, message.string))
                if earlier[1] != message.string:
                    clashes.append(f"{message.id!r}: {earlier[0]} vs {path.name}")
    assert not clashes, "\n".join(clashes)
