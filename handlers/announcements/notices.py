"""What announcements tell people, in words: each copy (under a header naming the association
and the author) and the author's delivery summary."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from services.formatting import short_name
from services.notices import Notice

NAME_IN_HEADER = 100  # characters of an association's name (the header stays short)


def copy_text(t: Translator, text: str, association: str, author: str) -> str:
    """The announcement (Telegram HTML as its author formatted it) under its header."""
    header = t.gettext(
        "📣 Announcement of the association «{association}» ({author}):",
        association=association[:NAME_IN_HEADER],
        author=short_name(author) if author else "—",
    )
    return f"{header}\n\n{text}" if text else header


@renders("announcement.copy")
def announcement_copy(t: Translator, notice: Notice) -> Rendered:
    p = notice.params
    return Rendered(copy_text(t, p["text"], p["association"], p["author"]), p["buttons"])


@renders("announcement.summary")
def delivery_summary(t: Translator, notice: Notice) -> Rendered:
    progress = notice.params["progress"]
    return Rendered(
        t.gettext(
            "📊 The announcement of «{name}» is delivered: {sent} of {total}. "
            "Blocked the bot: {blocked}. Not delivered: {failed}.",
            name=notice.params["association"],
            sent=progress.sent,
            total=progress.total,
            blocked=progress.blocked,
            failed=progress.failed + progress.unconfirmed + progress.cancelled,
        )
    )
