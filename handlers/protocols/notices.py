"""How the protocol notices read (bot/notices.py): the approved protocol posted to the
group and sent to members, and the reminder about a decision's deadline."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from services.formatting import format_date
from services.notices import Notice


@renders("protocol.published")
def published(t: Translator, notice: Notice) -> Rendered:
    protocol, meeting = notice.params["protocol"], notice.params["meeting"]
    return Rendered(
        t.gettext(
            "📄 Protocol No. {number} of the meeting «{topic}» is approved.",
            number=protocol.number,
            topic=meeting.topic,
        )
    )


@renders("protocol.followup")
def followup(t: Translator, notice: Notice) -> Rendered:
    params = notice.params
    return Rendered(
        t.gettext(
            "📌 By {deadline}: «{text}». The person responsible for this decision is you "
            "(protocol No. {number}, {name}).",
            deadline=format_date(params["followup"].deadline, t.language),
            text=params["followup"].text,
            number=params["protocol"].number,
            name=params["association"].name,
        )
    )
