"""/announce: the announcements still waiting for their time (each can be cancelled), then a
new one — for the one association the person manages, or the one they choose."""

from __future__ import annotations

import html
import re

from telegram import Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, reply
from handlers.announcements import compose
from handlers.announcements.buttons import BUTTONS, CancelAnnouncement, NewAnnouncement
from models import Association
from services import announcements
from services.formatting import format_datetime


def excerpt(html_text: str, limit: int = 60) -> str:
    """The start of an announcement (stored as Telegram HTML) as plain text."""
    flat = " ".join(html.unescape(re.sub(r"<[^>]+>", "", html_text)).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


async def announce_command(update: Update, context: BotContext) -> None:
    managed = await announcements.managed_by(context.session, context.actor)
    await _list_upcoming(update, context, managed)
    if len(managed) == 1:
        await compose.start(update, context, managed[0].id)
        return
    rows = [[(a.name[:60], NewAnnouncement(a.id).data())] for a in managed]
    await reply(
        update, context, context.t.gettext("Choose the association to announce to:"), inline(rows)
    )


async def _list_upcoming(update: Update, context: BotContext, managed: list[Association]) -> None:
    """Announcements still waiting for their time, each with a button to cancel it."""
    t = context.t
    zones = {a.id: a.timezone for a in managed}
    waiting = await announcements.upcoming(context.session, list(zones))
    if not waiting:
        return
    lines, rows = [t.gettext("<b>Scheduled announcements</b>")], []
    for item in waiting:
        when = format_datetime(item.send_at, zones[item.association_id], t.language)
        lines.append(t.gettext("📅 {when}: {text}", when=when, text=excerpt(item.text)))
        rows.append([(t.plain("✖ Cancel: {when}", when=when), CancelAnnouncement(item.id).data())])
    await reply(update, context, "\n".join(lines), inline(rows))


@BUTTONS.on(NewAnnouncement)
async def new_announcement(update: Update, context: BotContext, press: NewAnnouncement) -> None:
    await compose.start(update, context, press.association_id)
    await ack(update)


@BUTTONS.on(CancelAnnouncement)
async def cancel(update: Update, context: BotContext, press: CancelAnnouncement) -> Settled:
    cancelled = await announcements.cancel(
        context.session, actor=context.actor, announcement_id=press.announcement_id
    )
    t = context.t
    when = format_datetime(cancelled.send_at, cancelled.timezone, t.language)
    await ack(update)
    return Settled(
        t.gettext(
            "✖ The announcement to «{name}» scheduled for {when} is cancelled; nothing was sent.",
            name=cancelled.association_name,
            when=when,
        )
    )
