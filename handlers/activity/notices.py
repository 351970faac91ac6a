"""How the activity notices read (bot/notices.py): the nomination list for the approver."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from handlers.activity.buttons import OpenRanking
from services.nominations import NOTICE
from services.notices import Notice


@renders(NOTICE)
def nomination(t: Translator, notice: Notice) -> Rendered:
    params = notice.params
    text = t.ngettext(
        "🏅 {leader} puts forward {n} member of «{name}» for an award: the nomination list "
        "is attached.",
        "🏅 {leader} puts forward {n} members of «{name}» for an award: the nomination list "
        "is attached.",
        params["count"],
        leader=params["leader"],
        name=params["name"],
    )
    ranking = OpenRanking(params["association_id"]).data()
    label = t.plain("📊 The association's activity")
    return Rendered(text, [[{"text": label, "callback": ranking}]])
