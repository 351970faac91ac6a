"""The newsletter sweep: start scheduled ones, edit the live progress message, report at the
end (the report and the recipients' copies are notices, worded in handlers/newsletters/notices.py).

The progress message is itself an outbox row (`nl:<id>:progress`, highest priority); once the
worker has delivered it, this sweep edits it in place at most every `PROGRESS_EVERY` seconds
(the edit answers the author's own newsletter, so it is made directly). When no row of the
batch is pending any more, the newsletter is closed and the author is told the report (and
given a CSV of who was not reached and why) with dedupe keys, so a sweep run twice reports once.

It is still a job callback rather than a row of scheduler/schedule.py because its progress
edits call the Bot API; it registers itself here, not from the handlers.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.callbacks import cb
from bot.i18n import Translator, person_translator
from models import User
from models.newsletters import Newsletter
from scheduler import jobs
from scheduler.outbox import keyboard
from services import newsletters
from services.clock import now
from services.outbox import BatchProgress, batch_progress

log = logging.getLogger(__name__)

PROGRESS_EVERY = 3.0
BAR_WIDTH = 12


def stop_buttons(t: Translator, newsletter_id: int) -> list[list[dict[str, str]]]:
    return [[{"text": t.plain("⏹ Stop sending"), "callback": cb("nlp", "stop", newsletter_id)}]]


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
        done = total - pending
    share = done / total if total else 1.0
    filled = round(share * BAR_WIDTH)
    bar = "▓" * filled + "░" * (BAR_WIDTH - filled)
    elapsed = (now() - newsletter.started_at).total_seconds() if newsletter.started_at else 0.0
    pace = done / elapsed if elapsed > 5 and done else rate
    seconds_left = int(pending / pace) if pace > 0 else 0
    lines = [
        t.gettext("<b>Newsletter #{id} is being sent</b>", id=newsletter.id),
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


async def run_newsletters(
    runner: jobs.SweepRunner,
    bot: Bot,
    *,
    default_language: str,
    rate: float,
    force_edit: bool = False,
) -> None:
    """One pass: start what is due, update progress messages, close what is finished
    (each in its own unit of work, run by the sweeps' runner)."""

    async def follow(session: AsyncSession) -> None:
        for newsletter in await newsletters.sending(session):
            await _follow(session, bot, newsletter, default_language, rate, force_edit)

    await runner.run(lambda session: start_due(session, rate=rate))
    await runner.run(follow)


async def _follow(
    session, bot: Bot, newsletter: Newsletter, default_language: str, rate: float, force: bool
) -> None:  # type: ignore[no-untyped-def]
    progress = await batch_progress(session, newsletter.batch)
    author = await session.get(User, newsletter.author_id)
    t = person_translator(author, default_language)
    message_id = await newsletters.progress_message_id(session, newsletter)
    moment = now()
    if progress.done:
        if message_id is not None:
            await _edit(
                bot, newsletter, message_id, progress_text(t, newsletter, progress, rate), None
            )
        await newsletters.finish(session, newsletter, progress, translate=t.plain)
        return
    if message_id is None:
        return
    last = newsletter.progress_edited_at
    if not force and last is not None and moment - last < timedelta(seconds=PROGRESS_EVERY):
        return
    newsletter.progress_edited_at = moment
    await _edit(
        bot,
        newsletter,
        message_id,
        progress_text(t, newsletter, progress, rate),
        stop_buttons(t, newsletter.id),
    )


async def _edit(bot: Bot, newsletter: Newsletter, message_id: int, text: str, buttons) -> None:  # type: ignore[no-untyped-def]
    with contextlib.suppress(BadRequest, Forbidden):
        await bot.edit_message_text(
            text,
            chat_id=newsletter.progress_chat_id,
            message_id=message_id,
            parse_mode="HTML",
            reply_markup=keyboard(buttons),
        )


async def newsletters_sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    settings = context.bot_data["settings"]
    await run_newsletters(
        jobs.runner_of(context),
        context.bot,
        default_language=settings.default_language,
        rate=settings.outbox_rate_per_second,
    )


jobs.add_sweep(newsletters_sweep, every=timedelta(seconds=2), name="newsletters", first=1.0)
