"""The asker's side of an answer: a rating, closing, a follow-up question (dialog `askf`)."""

from __future__ import annotations

from telegram import Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.replies import ack
from handlers.consultations.buttons import BUTTONS, Close, FollowUp, Rate
from handlers.consultations.steps import attachments, files_step
from services import consultations as service
from services.texts import N_

FOLLOW_UP = register_dialog(Dialog("askf"))


@BUTTONS.on(Rate)
async def rate(update: Update, context: BotContext, press: Rate) -> Settled:
    await service.rate(
        context.session, context.actor, consultation_id=press.consultation_id, score=press.score
    )
    await ack(update)
    return Settled(
        context.t.gettext(
            "⭐ Thank you! Your rating is {score} of 5; the question is closed. /ask opens "
            "your questions.",
            score=press.score,
        )
    )


@BUTTONS.on(Close)
async def close(update: Update, context: BotContext, press: Close) -> Settled:
    await service.close(context.session, context.actor, press.consultation_id)
    await ack(update)
    return Settled(context.t.gettext("✔️ The question is closed."))


@BUTTONS.on(FollowUp)
async def follow_up(update: Update, context: BotContext, press: FollowUp) -> None:
    await service.start_follow_up(context.session, context.actor, press.consultation_id)
    await ack(update)
    await FOLLOW_UP.start(update, context, "text", {"parent_id": press.consultation_id})


async def _send(turn: Turn) -> None:
    await service.follow_up(
        turn.context.session,
        turn.context.actor,
        parent_id=turn.data["parent_id"],
        text=turn.data["text"],
        attachments=attachments(turn),
    )
    await turn.finish()
    await turn.say(turn.t.gettext("✅ Your follow-up question is sent. The answer will come here."))


FOLLOW_UP.text_step(
    "text",
    prompt=N_("Write your follow-up question in one message. /cancel stops."),
    key="text",
    clean=service.clean_question,
    then="files",
)
files_step(
    FOLLOW_UP,
    "files",
    prompt=N_(
        "Attach documents or photos if they help (up to 10), then press «Send the question»."
    ),
    send=N_("📨 Send the question"),
    then=_send,
)
