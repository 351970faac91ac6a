"""Newsletter sweeps: start scheduled ones, edit the live progress message, report at the end;
and the weekly digest of events.

The progress message is itself an outbox row (`nl:<id>:progress`, highest priority); once the
worker has delivered it, this sweep edits it in place at most every `PROGRESS_EVERY` seconds
(the edit answers the author's own newsletter, so it is made directly). When no row of the
batch is pending any more, the newsletter is closed and the report (and a CSV of who was not
reached and why) is enqueued with dedupe keys, so a sweep run twice reports once.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.callbacks import cb
from bot.i18n import Translator, person_translator
from models import User
from models.db import unit_of_work
from models.newsletters import Newsletter
from scheduler import jobs
from scheduler.outbox import keyboard
from services import events as event_service
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


def report_text(t: Translator, newsletter: Newsletter, progress: BatchProgress) -> str:
    cancelled = progress.cancelled > 0
    lines = [
        t.gettext("<b>Newsletter #{id} was stopped</b>", id=newsletter.id)
        if cancelled
        else t.gettext("<b>Newsletter #{id} is finished</b>", id=newsletter.id),
        t.ngettext("Delivered to {n} person.", "Delivered to {n} people.", progress.sent),
    ]
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
            t.ngettext("{n} message was refused.", "{n} messages were refused.", progress.failed)
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
    if cancelled:
        lines.append(
            t.ngettext(
                "{n} message was not sent because you stopped the newsletter.",
                "{n} messages were not sent because you stopped the newsletter.",
                progress.cancelled,
            )
        )
    if progress.blocked or progress.failed or progress.unconfirmed:
        lines.append(t.gettext("The attached table lists whom it did not reach, and why."))
    return "\n".join(lines)


async def start_newsletter(session, newsletter: Newsletter, t: Translator, rate: float) -> int:  # type: ignore[no-untyped-def]
    """Start sending (the dialog's "send now", or a scheduled one whose time has come)."""
    return await newsletters.start(
        session,
        newsletter,
        progress_text=lambda started: progress_text(t, started, None, rate),
        progress_buttons=stop_buttons(t, newsletter.id),
    )


async def run_newsletters(
    sessions, bot: Bot, *, default_language: str, rate: float, force_edit: bool = False
) -> None:  # type: ignore[no-untyped-def]
    """One pass: start what is due, update progress messages, close what is finished."""
    async with unit_of_work(sessions) as session:
        for newsletter in await newsletters.due(session):
            author = await session.get(User, newsletter.author_id)
            with contextlib.suppress(newsletters.TooLate):  # cancelled or started meanwhile
                await start_newsletter(
                    session, newsletter, person_translator(author, default_language), rate
                )
    async with unit_of_work(sessions) as session:
        for newsletter in await newsletters.sending(session):
            await _follow(session, bot, newsletter, default_language, rate, force_edit)


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
        await newsletters.finish(
            session,
            newsletter,
            report_text=report_text(t, newsletter, progress),
            report_caption=t.gettext("Not reached: newsletter #{id}", id=newsletter.id),
            cancelled=progress.cancelled > 0,
            translate=t.plain,
        )
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
        context.bot_data["sessions"],
        context.bot,
        default_language=settings.default_language,
        rate=settings.outbox_rate_per_second,
    )
    context.bot_data["outbox"].wake()


async def digest_sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    settings = context.bot_data["settings"]
    await jobs.sweep_into_outbox(
        context,
        lambda session: event_service.enqueue_weekly_digests(
            session,
            render=lambda user, items: render_digest(
                person_translator(user, settings.default_language), items
            ),
            timezone=settings.default_timezone,
        ),
    )


def render_digest(t: Translator, items: list[event_service.Item]) -> str:
    lines = [t.gettext("<b>Events of the coming week</b>")]
    for item in items:
        when = event_service.format_when(item, t.language)
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
