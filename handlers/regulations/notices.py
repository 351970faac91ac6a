"""How the regulations' notices read (services/guide.py records them): what a newcomer
receives on joining, each with its PDF."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from services.formatting import format_date
from services.notices import Notice


@renders("regulations.guide")
def guide(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "📘 The participant's guide of «{name}»: the group chat, meetings, questions, "
            "materials and tasks, step by step. It is also on the association's card "
            "(/associations).",
            name=notice.params["association"].name,
        )
    )


@renders("regulations.regulation")
def regulation(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "📜 The regulation of «{name}» (version {version}, approved on {date}): the "
            "association's goals and its members' rights and duties.",
            name=notice.params["association"].name,
            version=notice.params["version"],
            date=format_date(notice.params["approved_on"], t.language),
        )
    )
