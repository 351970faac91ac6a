"""The card's buttons, in the group and under the private invitations: the answer (will
attend / maybe / cannot), «I am here» during the meeting, and the materials by private
message."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.replies import ack, alert
from handlers.meetings.buttons import RSVP, CheckIn, Going, Maybe, NotGoing, SendMaterials
from models.meetings import RsvpAnswer
from services import meetings as service
from services.texts import N_

ANSWER_TOASTS = {
    RsvpAnswer.GOING: N_("Noted: you will attend."),
    RsvpAnswer.MAYBE: N_("Noted: maybe."),
    RsvpAnswer.NO: N_("Noted: you cannot attend."),
}


async def _answer(update: Update, context: BotContext, meeting_id: int, answer: RsvpAnswer) -> None:
    await service.rsvp(context.session, context.actor, meeting_id=meeting_id, answer=answer)
    await ack(update, context.t.plain(ANSWER_TOASTS[answer]))


@RSVP.on(Going)
async def going(update: Update, context: BotContext, press: Going) -> None:
    await _answer(update, context, press.meeting_id, RsvpAnswer.GOING)


@RSVP.on(Maybe)
async def maybe(update: Update, context: BotContext, press: Maybe) -> None:
    await _answer(update, context, press.meeting_id, RsvpAnswer.MAYBE)


@RSVP.on(NotGoing)
async def not_going(update: Update, context: BotContext, press: NotGoing) -> None:
    await _answer(update, context, press.meeting_id, RsvpAnswer.NO)


@RSVP.on(CheckIn)
async def check_in(update: Update, context: BotContext, press: CheckIn) -> None:
    t = context.t
    fresh = await service.mark_present(context.session, context.actor, meeting_id=press.meeting_id)
    await ack(
        update,
        t.plain("Thank you, you are marked present.")
        if fresh
        else t.plain("You are already marked present."),
    )


@RSVP.on(SendMaterials)
async def send_materials(update: Update, context: BotContext, press: SendMaterials) -> None:
    """The meeting's files, sent privately to the member who pressed the button."""
    t = context.t
    found = await service.materials_for_member(
        context.session, context.actor, meeting_id=press.meeting_id
    )
    person = update.effective_user
    if not found or person is None:
        await alert(update, t.plain("There are no materials for this meeting yet."))
        return
    await ack(update, t.plain("Sending the materials in a private message."))
    for material in found:
        await context.bot.send_document(person.id, material.telegram_file_id)
