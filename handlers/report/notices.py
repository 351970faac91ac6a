"""How the annual report's notice reads (bot/notices.py): the PDF sent privately."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
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
