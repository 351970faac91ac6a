"""Members propose items (dialog `planq`); the leader accepts or declines each."""

from __future__ import annotations

from telegram import Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.replies import ack
from handlers.plans.buttons import BUTTONS, AnswerProposal, Propose
from handlers.plans.item_dialogs import WHEN
from handlers.plans.steps import when_of, when_step
from models.plans import ProposalStatus
from services import plans as service
from services.texts import N_

PROPOSE = register_dialog(Dialog("planq"))


@BUTTONS.on(Propose)
async def propose(update: Update, context: BotContext, press: Propose) -> None:
    year = await service.start_proposal(context.session, context.actor, press.association_id)
    await ack(update)
    data = {"association_id": press.association_id, "academic_year": year}
    await PROPOSE.start(update, context, "when", data)


async def _send(turn: Turn) -> None:
    await service.propose(
        turn.context.session,
        turn.context.actor,
        association_id=turn.data["association_id"],
        when=when_of(turn),
        topic=turn.data["topic"],
    )
    await turn.finish()
    await turn.say(turn.t.gettext("💡 Thank you! The leader will consider your proposal."))


when_step(PROPOSE, "when", prompt=WHEN, then="topic")
PROPOSE.text_step(
    "topic",
    prompt=N_("What do you propose? Write the topic."),
    key="topic",
    clean=service.clean_text,
    then=_send,
)


@BUTTONS.on(AnswerProposal)
async def answer(update: Update, context: BotContext, press: AnswerProposal) -> Settled:
    t = context.t
    proposal = await service.decide_proposal(
        context.session, context.actor, proposal_id=press.proposal_id, accept=press.accept
    )
    await ack(update)
    if proposal.status is ProposalStatus.ACCEPTED:
        return Settled(
            t.gettext(
                "✅ Added to the plan: «{topic}». The proposer will be notified.",
                topic=proposal.topic,
            )
        )
    return Settled(
        t.gettext("Declined: «{topic}». The proposer will be notified.", topic=proposal.topic)
    )
