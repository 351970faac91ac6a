"""The newsletter sweep: start scheduled ones, edit the live progress message, report at the
end (the report, the progress edits and the recipients' copies are notices, worded in
handlers/newsletters/notices.py).

The progress message is itself an outbox row (`nl:<id>:progress`, highest priority); this
sweep tells the author an edit of it at most every `PROGRESS_EVERY` seconds, at the same
priority so it does not wait behind the mailing. The outbox sends an edit once the progress
message is delivered, and only the latest one. When no row of the batch is pending any more,
the newsletter is closed, the progress message gets its last edit (finished or stopped, no
stop button), and the author is told the report (and given a CSV of who was not reached and
why) with dedupe keys, so a sweep run twice reports once.

It is the row "newsletters" of scheduler/schedule.py, run by the sweeps' runner, which lends
it the process's settings (the network's language, the outbox's pace).
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import cb
from bot.i18n import Translator, person_translator
from models import User
from models.newsletters import Newsletter
from scheduler.lent import sweep_settings
from services import newsletters
from services.clock import now
from services.notices import Notice, tell
from services.outbox import BatchProgress

PROGRESS_EVERY = 3.0
BAR_WIDTH = 12


def stop_buttons(t: Translator, newsletter_id: int) -> list[list[dict[str, str]]]:
    return [[{"text": t.plain("⏹ Stop sending"), "callback": cb("nlp", "stop", newsletter_id)}]]


def progress_heading(t: Translator, newsletter_id: int, progress: BatchProgress | None) -> str:
    """Being sent, finished or stopped: the progress message's first line and the report's."""
    if progress is None or not progress.done:
        return t.gettext("<b>Newsletter #{id} is being sent</b>", id=newsletter_id)
    if progress.cancelled:
        return t.gettext("<b>Newsletter #{id} was stopped</b>", id=newsletter_id)
    return t.gettext("<b>Newsletter #{id} is finished</b>", id=newsletter_id)


def progress_text(
    t: Translator, newsletter: Newsletter, progress: BatchProgress | None, rate: float
) -> str:
    """A bar, the counts, and an estimate of the time left."""
    total = newsletter.recipients
    if progress is None:
        done = sent = failed = blocked = 0
        pending = total
    else:
        sent, failed, blocked = (
            progress.sent,
            progress.failed + progress.unconfirmed,
            progress.blocked,
        )
        pending = progress.pending
        done = total - pending - progress.cancelled  # a stopped one shows how far it got
    share = done / total if total else 1.0
    filled = round(share * BAR_WIDTH)
    bar = "▓" * filled + "░" * (BAR_WIDTH - filled)
    elapsed = (now() - newsletter.started_at).total_seconds() if newsletter.started_at else 0.0
    pace = done / elapsed if elapsed > 5 and done else rate
    seconds_left = int(pending / pace) if pace > 0 else 0
    lines = [
        progress_heading(t, newsletter.id, progress),
        f"{bar} {share:.0%}",
        t.ngettext("{n} recipient", "{n} recipients", total),
        t.gettext(
            "Sent: {sent} · failed: {failed} · blocked the bot: {blocked}",
            sent=sent,
            failed=failed,
            blocked=blocked,
        ),
    ]
    if pending:
        minutes, seconds = divmod(seconds_left, 60)
        lines.append(
            t.gettext("About {minutes} min {seconds} s left.", minutes=minutes, seconds=seconds)
        )
    return "\n".join(lines)


async def start_due(session: AsyncSession, *, rate: float) -> None:
    """Start the scheduled newsletters whose time has come."""
    for newsletter in await newsletters.due(session):
        with contextlib.suppress(newsletters.TooLate):  # cancelled or started meanwhile
            await newsletters.start(session, newsletter, rate=rate)


async def follow_newsletters(session: AsyncSession) -> None:
    """One pass (the sweep "newsletters"): update the progress messages, close what is
    finished, then start what is due.

    The newly started ones are followed from the next pass: their copies are notices that
    become outbox rows only when this unit of work ends, so now they would look finished.
    """
    settings = sweep_settings()
    rate = settings.outbox_rate_per_second
    for newsletter in await newsletters.sending(session):
        await _follow(session, newsletter, settings.default_language, rate)
    await start_due(session, rate=rate)


async def _follow(
    session: AsyncSession, newsletter: Newsletter, default_language: str, rate: float
) -> None:
    progress = await newsletters.progress_of(session, newsletter)
    author = await session.get(User, newsletter.author_id)
    if newsletter.fanned_out_at is None:
        # Its copies become outbox rows when this unit of work ends: done is judged from
        # the next pass, once the last page is in.
        await newsletters.fan_out(session, newsletter)
    elif progress.done:
        # The last edit shows the final state, beside the report that follows it.
        _show_progress(session, newsletter, author, progress, rate)
        await newsletters.finish(
            session,
            newsletter,
            progress,
            translate=person_translator(author, default_language).plain,
        )
        return
    moment = now()
    last = newsletter.progress_edited_at
    if last is not None and moment - last < timedelta(seconds=PROGRESS_EVERY):
        return
    newsletter.progress_edited_at = moment
    _show_progress(session, newsletter, author, progress, rate)


def _show_progress(
    session: AsyncSession,
    newsletter: Newsletter,
    author: User | None,
    progress: BatchProgress,
    rate: float,
) -> None:
    """Tell the author an edit of their progress message (the latest one replaces the last)."""
    if newsletter.progress_chat_id is None or author is None:
        return
    tell(
        session,
        Notice(
            "newsletter.progress",
            {"newsletter": newsletter, "progress": progress, "rate": rate},
            user=author,
            edit_of=newsletters.progress_key(newsletter),
            priority=newsletters.PROGRESS_PRIORITY,
        ),
    )
