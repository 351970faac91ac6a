"""Under a relayed message: refuse further messages from its sender (and allow them
again), or report it to the association's leader."""

from __future__ import annotations

from telegram import Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, reply
from handlers.correspondence.presses import BUTTONS, Allow, Refuse, Report
from services import correspondence


@BUTTONS.on(Refuse)
async def refuse_sender(update: Update, context: BotContext, press: Refuse) -> None:
    t = context.t
    sender = await correspondence.block(
        context.session, actor=context.actor, message_id=press.message_id
    )
    await ack(update)
    await reply(
        update,
        context,
        t.gettext(
            "🚫 You will receive no more messages from {name} through the bot. "
            "They will not be told why.",
            name=sender.full_name or "",
        ),
        inline([[(t.plain("↩️ Allow messages again"), Allow(sender.id).data())]]),
    )


@BUTTONS.on(Allow)
async def allow_sender(update: Update, context: BotContext, press: Allow) -> Settled:
    person = await correspondence.unblock(
        context.session, actor=context.actor, user_id=press.user_id
    )
    await ack(update)
    return Settled(
        context.t.gettext(
            "✅ {name} can write to you through the bot again.", name=person.full_name or ""
        )
    )


@BUTTONS.on(Report)
async def report(update: Update, context: BotContext, press: Report) -> None:
    t = context.t
    reported = await correspondence.report(
        context.session, actor=context.actor, message_id=press.message_id
    )
    await ack(update)
    if reported.to_leader:
        text = t.gettext(
            "⚠️ The message and its sender are reported to the leader of «{name}».",
            name=reported.association.name,
        )
    else:
        text = t.gettext("⚠️ The message and its sender are reported to the network methodists.")
    await reply(
        update,
        context,
        f"{text}\n\n{t.gettext('You can also refuse further messages from this person.')}",
        inline(
            [[(t.plain("🚫 Refuse messages from this person"), Refuse(press.message_id).data())]]
        ),
    )
