"""Newsletter sweeps: start scheduled ones, edit the live progress message, report at the end;
and the weekly digest of events.

The progress message is itself an outbox row (`nl:<id>:progress`, highest priority); this
sweep enqueues an edit of it at most every `PROGRESS_EVERY` seconds, at the same priority so
it does not wait behind the mailing. The outbox sends an edit once the progress message is
delivered, and only the latest one. When no row of the batch is pending any more, the
newsletter is closed, the progress message gets its last edit (finished or stopped, no stop
button), and the report (and a CSV of who was not reached and why) is enqueued with dedupe
keys, so a sweep run twice reports once.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import ContextTypes

from bot.callbacks import cb
from bot.i18n import Translator, person_translator
from models import User
from models.db import unit_of_work
from models.newsletters import Newsletter
from scheduler import jobs
from services import events as event_service
from services import newsletters
from services.clock import now
from services.outbox import BatchProgress, Buttons, Outgoing, batch_progress, enqueue

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
        done = total - pending - progress.cancelled  # a stopped one shows how far it got
    share = done / total if total else 1.0
    filled = round(share * BAR_WIDTH)
    bar = "▓" * filled + "░" * (BAR_WIDTH - filled)
    elapsed = (now() - newsletter.started_at).total_seconds() if newsletter.started_at else 0.0
    pace = done / elapsed if elapsed > 5 and done else rate
    seconds_left = int(pending / pace) if pace > 0 else 0
    lines = [
        _progress_heading(t, newsletter, progress),
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


def _progress_heading(t: Translator, newsletter: Newsletter, progress: BatchProgress | None) -> str:
    if progress is None or not progress.done:
        return t.gettext("<b>Newsletter #{id} is being sent</b>", id=newsletter.id)
    if progress.cancelled:
        return t.gettext("<b>Newsletter #{id} was stopped</b>", id=newsletter.id)
    return t.gettext("<b>Newsletter #{id} is finished</b>", id=newsletter.id)


def report_text(t: Translator, newsletter: Newsletter, progress: BatchProgress) -> str:
    cancelled = progress.cancelled > 0
    lines = [
        _progress_heading(t, newsletter, progress),
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
    sessions: async_sessionmaker[AsyncSession],
    *,
    default_language: str,
    rate: float,
    force_edit: bool = False,
) -> None:
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
            await _follow(session, newsletter, default_language, rate, force_edit)


async def _follow(
    session: AsyncSession, newsletter: Newsletter, default_language: str, rate: float, force: bool
) -> None:
    progress = await batch_progress(session, newsletter.batch)
    author = await session.get(User, newsletter.author_id)
    t = person_translator(author, default_language)
    if progress.done:
        # The last edit shows the final state, beside the report that follows it.
        await _edit_progress(session, newsletter, progress_text(t, newsletter, progress, rate))
        await newsletters.finish(
            session,
            newsletter,
            report_text=report_text(t, newsletter, progress),
            report_caption=t.gettext("Not reached: newsletter #{id}", id=newsletter.id),
            cancelled=progress.cancelled > 0,
            translate=t.plain,
        )
        return
    moment = now()
    last = newsletter.progress_edited_at
    if not force and last is not None and moment - last < timedelta(seconds=PROGRESS_EVERY):
        return
    newsletter.progress_edited_at = moment
    await _edit_progress(
        session,
        newsletter,
        progress_text(t, newsletter, progress, rate),
        stop_buttons(t, newsletter.id),
    )


async def _edit_progress(
    session: AsyncSession, newsletter: Newsletter, text: str, buttons: Buttons | None = None
) -> None:
    """An outbox edit of the author's progress message (the latest one replaces the last)."""
    if newsletter.progress_chat_id is None:
        return
    edit = Outgoing(
        kind="edit",
        chat_id=newsletter.progress_chat_id,
        edit_of=newsletters.progress_key(newsletter),
        text=text,
        buttons=buttons,
    )
    await enqueue(session, [edit], priority=newsletters.PROGRESS_PRIORITY)


async def newsletters_sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    settings = context.bot_data["settings"]
    await run_newsletters(
        context.bot_data["sessions"],
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
