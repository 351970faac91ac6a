"""Longer messages as Jinja2 templates (autoescaped: user text can't break Telegram HTML)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.i18n import Html, Translator, translations
from services import formatting

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@cache
def _environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # templates ship with the code: no stat() of the file per message
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["date"] = lambda value: formatting.format_date(value, language)
    env.filters["datetime"] = lambda value, tz: formatting.format_datetime(value, tz, language)
    env.filters["time"] = lambda value, tz: formatting.format_time(value, tz, language)
    return env


class Renderer:
    """Renders `bot/templates/<name>` in the reader's language."""

    def render(self, name: str, t: Translator, **values: Any) -> Html:
        """The template's Telegram HTML. A value is escaped unless it is `Html` (what
        `t.gettext` and this method return) or `markupsafe.Markup`."""
        template = _environment(t.language).get_template(name)
        return Html(template.render(t=t, **values).strip())
