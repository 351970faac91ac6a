"""What newsletters tell people, in words: every recipient's copy (under a header naming the
sender), the author's progress message, the report and its table of whom it did not reach."""

from __future__ import annotations

from functools import lru_cache

from bot.i18n import Translator
from bot.notices import Rendered, renders
from scheduler.newsletters import progress_heading, progress_text, stop_buttons
from services.formatting import short_name
from services.notices import Notice
from services.outbox import BatchProgress

NAME_IN_HEADER = 100  # characters of an association's name (the rest of the header is short)


def copy_text(t: Translator, text: str, author: str, association: str | None) -> str:
    """The newsletter's text (Telegram HTML as its author formatted it) under its header:
    who sends it, and from which association when a leader writes to their own."""
    sender = short_name(author) if author else "—"
    if association:
        header = t.gettext(
            "✉️ Newsletter of the association «{association}» ({author}):",
            association=association[:NAME_IN_HEADER],
            author=sender,
        )
    else:
        header = t.gettext("✉️ Newsletter of a network methodist ({author}):", author=sender)
    return f"{header}\n\n{text}" if text else header


@renders("newsletter.copy")
def newsletter_copy(t: Translator, notice: Notice) -> Rendered:
    p = notice.params
    return Rendered(_same_copy(t, p["text"], p["author"], p["association"]), p["buttons"])


@lru_cache(maxsize=64)
def _same_copy(t: Translator, text: str, author: str, association: str | None) -> str:
    """Thousands of recipients share a few languages: each copy is worded once per
    language (the renderer keeps one Translator per language)."""
    return copy_text(t, text, author, association)


@renders("newsletter.progress")
def progress(t: Translator, notice: Notice) -> Rendered:
    """The author's progress message, and (with `edit_of`) each edit of it: the last one,
    once nothing is pending, says finished or stopped and drops the stop button."""
    newsletter = notice.params["newsletter"]
    counts: BatchProgress | None = notice.params.get("progress")
    over = counts is not None and counts.done
    return Rendered(
        progress_text(t, newsletter, counts, notice.params["rate"]),
        None if over else stop_buttons(t, newsletter.id),
    )


@renders("newsletter.report")
def report(t: Translator, notice: Notice) -> Rendered:
    return Rendered(report_text(t, notice.params["newsletter"].id, notice.params["progress"]))


@renders("newsletter.not_reached")
def not_reached(t: Translator, notice: Notice) -> Rendered:
    newsletter = notice.params["newsletter"]
    return Rendered(t.gettext("Not delivered: newsletter #{id}", id=newsletter.id))


def report_text(t: Translator, newsletter_id: int, progress: BatchProgress) -> str:
    """How a finished (or stopped) newsletter went: what arrived, what did not and why."""
    lines = [
        progress_heading(t, newsletter_id, progress),
        t.ngettext("Delivered to {n} person.", "Delivered to {n} people.", progress.sent),
    ]
    lines += _not_delivered(t, progress)
    if progress.blocked or progress.failed or progress.unconfirmed:
        lines.append(t.gettext("The attached table lists whom it did not reach, and why."))
    return "\n".join(lines)


def _not_delivered(t: Translator, progress: BatchProgress) -> list[str]:
    lines = []
    if progress.blocked:
        lines.append(
            t.ngettext(
                "{n} person has blocked the bot.",
                "{n} people have blocked the bot.",
                progress.blocked,
            )
        )
    if progress.failed:
        lines.append(
            t.ngettext(
                "{n} message was not delivered: Telegram refused it.",
                "{n} messages were not delivered: Telegram refused them.",
                progress.failed,
            )
        )
    if progress.unconfirmed:
        lines.append(
            t.ngettext(
                "{n} message was on its way when the bot restarted: it may or may not have "
                "arrived and was not sent again.",
                "{n} messages were on their way when the bot restarted: they may or may not "
                "have arrived and were not sent again.",
                progress.unconfirmed,
            )
        )
    if progress.cancelled:
        lines.append(
            t.ngettext(
                "{n} message was not sent because you stopped the newsletter.",
                "{n} messages were not sent because you stopped the newsletter.",
                progress.cancelled,
            )
        )
    return lines
