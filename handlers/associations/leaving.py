"""/leave and the card's «Leave» button: confirm, leave, out of the group; the freed place
goes to the queue (the service offers it)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.group_members import remove_from_group
from bot.keyboards import inline
from bot.replies import ack, reply, show
from handlers.associations.presses import BUTTONS, ConfirmLeave, Leave, OpenCard
from services import associations, memberships


async def leave_command(update: Update, context: BotContext) -> None:
    t = context.t
    mine = await associations.memberships_of(context.session, actor=context.actor)
    if not mine:
        await reply(update, context, t.gettext("You are not a member of any association."))
        return
    rows = [[(a.name[:60], Leave(a.id).data())] for a, _ in mine]
    await reply(update, context, t.gettext("Which association do you want to leave?"), inline(rows))


@BUTTONS.on(Leave)
async def confirm_leave(update: Update, context: BotContext, press: Leave) -> None:
    t = context.t
    association = await associations.get(context.session, press.association_id)
    await ack(update)
    await show(
        update,
        context,
        t.gettext("Leave «{name}»? You can join again later.", name=association.name),
        inline(
            [
                [
                    (t.plain("🚪 Yes, leave"), ConfirmLeave(association.id).data()),
                    (t.plain("Stay"), OpenCard(association.id).data()),
                ]
            ]
        ),
    )


@BUTTONS.on(ConfirmLeave)
async def leave(update: Update, context: BotContext, press: ConfirmLeave) -> None:
    departure = await memberships.leave(
        context.session, actor=context.actor, association_id=press.association_id
    )
    await remove_from_group(context.bot, departure.association.chat_id, departure.user.telegram_id)
    await ack(update)
    await show(
        update,
        context,
        context.t.gettext("You have left «{name}».", name=departure.association.name),
    )
