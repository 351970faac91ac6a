"""Writing to a fellow member: «✉️ Write» in the member list, «↩️ Answer» under a relayed
message, then one question (the text), relayed through the outbox."""

from __future__ import annotations

from dataclasses import asdict

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.replies import ack
from handlers.correspondence.presses import BUTTONS, Answer, Write
from services import correspondence
from services.correspondence import Addressee

WRITING = register_dialog(Dialog("corw"))


async def _start(update: Update, context: BotContext, target: Addressee) -> None:
    await ack(update)
    await WRITING.start(update, context, "text", asdict(target))


@BUTTONS.on(Write)
async def write(update: Update, context: BotContext, press: Write) -> None:
    target = await correspondence.addressee(
        context.session,
        actor=context.actor,
        association_id=press.association_id,
        user_id=press.user_id,
    )
    await _start(update, context, target)


@BUTTONS.on(Answer)
async def answer(update: Update, context: BotContext, press: Answer) -> None:
    target = await correspondence.answer_addressee(
        context.session, actor=context.actor, message_id=press.message_id
    )
    await _start(update, context, target)


def _prompt(turn: Turn) -> str:
    data = turn.data
    if data.get("reply_to") is not None:
        return turn.t.gettext(
            "↩️ Write your answer to {name}. The bot relays it; /cancel to not send.",
            name=data["name"],
        )
    return turn.t.gettext(
        "✉️ Write your message to {name}. The bot relays it with your name and organisation, "
        "without your Telegram username; /cancel to not send.",
        name=data["name"],
    )


async def _send(turn: Turn) -> None:
    data = turn.data
    await correspondence.send(
        turn.context.session,
        actor=turn.context.actor,
        association_id=data["association_id"],
        user_id=data["user_id"],
        text=data["text"],
        reply_to=data.get("reply_to"),
    )
    await turn.finish()
    await turn.say(turn.t.gettext("✅ Sent to {name}.", name=data["name"]))


WRITING.text_step(
    "text",
    prompt=_prompt,
    key="text",
    clean=correspondence.clean_text,
    then=_send,
)
