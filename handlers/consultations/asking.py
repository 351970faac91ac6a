"""Asking a question (dialog `askq`): to whom, the question, files, then it is sent."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.keyboards import inline
from bot.replies import ack
from handlers.consultations.buttons import BUTTONS, MyQuestions, NewQuestion
from handlers.consultations.steps import attachments, files_step
from services import consultations as service
from services.texts import N_

ASK = register_dialog(Dialog("askq"))
NETWORK = "net"


@BUTTONS.on(NewQuestion)
async def new_question(update: Update, context: BotContext, press: NewQuestion) -> None:
    targets = await service.targets(context.session, context.actor)
    await ack(update)
    options = [
        [str(target.association_id) if target.association_id else NETWORK, target.name or ""]
        for target in targets
    ]
    first = "to" if len(options) > 1 else "text"
    data = {"targets": options, "to": NETWORK if first == "text" else None}
    await ASK.start(update, context, first, data)


def _targets(turn: Turn) -> list[tuple[str, str]]:
    network = turn.t.plain("🌐 The network's methodists")
    return [(value, label or network) for value, label in turn.data["targets"]]


async def _send(turn: Turn) -> None:
    to = turn.data["to"]
    await service.ask(
        turn.context.session,
        turn.context.actor,
        association_id=None if to == NETWORK else int(to),
        text=turn.data["text"],
        attachments=attachments(turn),
    )
    await turn.finish()
    t = turn.t
    await turn.say(
        t.gettext("✅ Your question is sent. The answer will come here."),
        inline([[(t.plain("📋 My questions"), MyQuestions().data())]]),
    )


ASK.choice_step(
    "to",
    prompt=N_("Whom do you ask? Choose an association of yours or the network's methodists."),
    options=_targets,
    key="to",
    then="text",
)
ASK.text_step(
    "text",
    prompt=N_("Write your question in one message. /cancel stops."),
    key="text",
    clean=service.clean_question,
    then="files",
)
files_step(
    ASK,
    "files",
    prompt=N_(
        "Attach documents or photos if they help (up to 10), then press «Send the question»."
    ),
    send=N_("📨 Send the question"),
    then=_send,
)
