"""What events tell people, in words: the weekly digest of the coming week."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from services import events
from services.notices import Notice


def digest_text(t: Translator, items: list[events.Item]) -> str:
    lines = [t.gettext("<b>Events of the coming week</b>")]
    for item in items:
        when = events.format_when(item, t.language)
        if item.link:
            lines.append(
                t.gettext(
                    '• {when} — <a href="{link}">{title}</a>',
                    when=when,
                    link=item.link,
                    title=item.title,
                )
            )
        else:
            lines.append(t.gettext("• {when} — {title}", when=when, title=item.title))
    lines.append(t.gettext("All events: /events"))
    return "\n".join(lines)


@renders("events.digest")
def weekly_digest(t: Translator, notice: Notice) -> Rendered:
    return Rendered(digest_text(t, notice.params["items"]))
