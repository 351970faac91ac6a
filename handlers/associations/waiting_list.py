"""The queue of a full association: taking a place in it, taking the place offered."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.replies import ack, show
from handlers.associations.joining import render_join
from handlers.associations.presses import BUTTONS, OFFERS, Queue, TakePlace
from services import memberships


@BUTTONS.on(Queue)
async def queue_up(update: Update, context: BotContext, press: Queue) -> None:
    queued = await memberships.queue_up(
        context.session, actor=context.actor, association_id=press.association_id
    )
    await ack(update)
    await show(
        update,
        context,
        context.t.gettext(
            "You are on the waiting list, number {position}. I will write when a place is free.",
            position=queued.position,
        ),
    )


@OFFERS.on(TakePlace)
async def take_place(update: Update, context: BotContext, press: TakePlace) -> None:
    result = await memberships.accept_offer(
        context.session, actor=context.actor, entry_id=press.entry_id
    )
    await ack(update)
    await render_join(update, context, result)
