"""/newsletter: the author's scheduled newsletters (change the text or the time, cancel), a new
one; and ⏹ on the live progress message, which stops what has not left yet."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from telegram import Update

from bot.buttons import ButtonTable, Press, Settled
from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, alert, reply
from handlers.newsletters import compose
from services import formatting
from services import newsletters as service
from services.texts import N_

STALE = N_("This button is out of date. Open /newsletter again.")
MANAGE = ButtonTable("nlm", stale=STALE)
PROGRESS = ButtonTable("nlp", stale=STALE)


@dataclass(frozen=True)
class NewNewsletter(Press, prefix="nlm", action="new"):
    """✉️ New newsletter (under the list of scheduled ones)."""


@dataclass(frozen=True)
class ChangeText(Press, prefix="nlm", action="text"):
    newsletter_id: int


@dataclass(frozen=True)
class ChangeTime(Press, prefix="nlm", action="time"):
    newsletter_id: int


@dataclass(frozen=True)
class CancelScheduled(Press, prefix="nlm", action="cancel"):
    newsletter_id: int


@dataclass(frozen=True)
class StopSending(Press, prefix="nlp", action="stop"):
    newsletter_id: int


def snippet(html_text: str, limit: int = 40) -> str:
    """The start of a newsletter (stored as Telegram HTML) as plain text."""
    stripped = html.unescape(re.sub(r"<[^>]+>", "", html_text))
    return stripped[:limit] + ("…" if len(stripped) > limit else "")


async def newsletter_command(update: Update, context: BotContext) -> None:
    scheduled = await service.scheduled_of(context.session, context.actor)
    if not scheduled:
        await compose.start(update, context)
        return
    t = context.t
    zone = context.settings.default_timezone
    lines = [t.gettext("<b>Your scheduled newsletters</b>")]
    buttons: list[list[tuple[str, str]]] = []
    for item in scheduled:
        assert item.scheduled_at is not None
        when = formatting.format_datetime(item.scheduled_at, zone, t.language)
        lines.append(
            t.gettext("#{id} · {when} · {start}", id=item.id, when=when, start=snippet(item.text))
        )
        buttons.append(
            [
                (t.plain("✏️ Text #{id}", id=item.id), ChangeText(item.id).data()),
                (t.plain("🕒 Time #{id}", id=item.id), ChangeTime(item.id).data()),
                (t.plain("✖ Cancel #{id}", id=item.id), CancelScheduled(item.id).data()),
            ]
        )
    buttons.append([(t.plain("✉️ New newsletter"), NewNewsletter().data())])
    await reply(update, context, "\n".join(lines), inline(buttons))


@MANAGE.on(NewNewsletter)
async def new_newsletter(update: Update, context: BotContext, press: NewNewsletter) -> None:
    await compose.start(update, context)
    await ack(update)


@MANAGE.on(ChangeText)
async def change_text(update: Update, context: BotContext, press: ChangeText) -> None:
    await _change(update, context, press.newsletter_id, "body")


@MANAGE.on(ChangeTime)
async def change_time(update: Update, context: BotContext, press: ChangeTime) -> None:
    await _change(update, context, press.newsletter_id, "when")


async def _change(update: Update, context: BotContext, newsletter_id: int, step: str) -> None:
    await service.scheduled_own(context.session, context.actor, newsletter_id)
    await compose.start(update, context, step=step, edit_id=newsletter_id)
    await ack(update)


@MANAGE.on(CancelScheduled)
async def cancel_scheduled(update: Update, context: BotContext, press: CancelScheduled) -> Settled:
    await service.cancel(context.session, actor=context.actor, newsletter_id=press.newsletter_id)
    await ack(update)
    return Settled(context.t.gettext("Newsletter #{id} is cancelled.", id=press.newsletter_id))


@PROGRESS.on(StopSending)
async def stop_sending(update: Update, context: BotContext, press: StopSending) -> None:
    state, stopped = await service.cancel(
        context.session, actor=context.actor, newsletter_id=press.newsletter_id
    )
    t = context.t
    if state == "scheduled":
        await alert(update, t.plain("The newsletter is cancelled."))
        return
    await alert(
        update,
        t.nplain(
            "Stopped: {n} message will not be sent.",
            "Stopped: {n} messages will not be sent.",
            stopped,
        ),
    )
