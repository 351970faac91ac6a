"""How the report's notices read (bot/notices.py): the PDF, always in a private chat."""

from __future__ import annotations

from datetime import date

from bot.i18n import Translator
from bot.notices import Rendered, renders
from services.formatting import format_date
from services.notices import Notice


@renders("report.ready")
def ready(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "📊 The analytical report of «{name}» for the {year} academic year.",
            name=notice.params["name"],
            year=notice.params["year"],
        )
    )


def _dates(t: Translator, notice: Notice) -> tuple[str, str]:
    return (
        format_date(date.fromisoformat(notice.params["start"]), t.language),
        format_date(date.fromisoformat(notice.params["end"]), t.language),
    )


@renders("report.requested")
def requested(t: Translator, notice: Notice) -> Rendered:
    start, end = _dates(t, notice)
    return Rendered(
        t.gettext(
            "📊 The analytical report of «{name}» for {start} – {end}.",
            name=notice.params["name"],
            start=start,
            end=end,
        )
    )


@renders("report.network")
def network(t: Translator, notice: Notice) -> Rendered:
    start, end = _dates(t, notice)
    return Rendered(
        t.gettext(
            "🗂 The network summary of the associations' work for {start} – {end}.",
            start=start,
            end=end,
        )
    )
