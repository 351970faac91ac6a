"""Buttons of version 1 still waiting in people's chats.

An approver's «Approve / Return» (`planr:ok|ret:<plan>:<step>`) and a leader's
«Accept / Decline» of a proposal (`planp:acc|dec:<proposal>`) carry a decision nobody
else can take, and the messages holding them were sent before `plan2`: they keep working,
routed to today's handlers. Every other old plan button (`plan:*`) is stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application

from bot.buttons import ButtonTable, Press, Settled
from bot.context import BotContext
from handlers.plans import approval, proposals
from handlers.plans.buttons import Accept, AnswerProposal, Return
from services.texts import N_

STALE = N_("This button is out of date. Open /plan.")
REVIEW = ButtonTable("planr", stale=STALE)
PROPOSAL = ButtonTable("planp", stale=STALE)


@dataclass(frozen=True)
class OldAccept(Press, prefix="planr", action="ok"):
    plan_id: int
    step: int


@dataclass(frozen=True)
class OldReturn(Press, prefix="planr", action="ret"):
    plan_id: int
    step: int


@dataclass(frozen=True)
class OldAcceptProposal(Press, prefix="planp", action="acc"):
    proposal_id: int


@dataclass(frozen=True)
class OldDeclineProposal(Press, prefix="planp", action="dec"):
    proposal_id: int


@REVIEW.on(OldAccept)
async def old_accept(update: Update, context: BotContext, press: OldAccept) -> Settled:
    return await approval.accept(update, context, Accept(press.plan_id, press.step))


@REVIEW.on(OldReturn)
async def old_return(update: Update, context: BotContext, press: OldReturn) -> None:
    await approval.return_plan(update, context, Return(press.plan_id, press.step))


@PROPOSAL.on(OldAcceptProposal)
async def old_accept_proposal(
    update: Update, context: BotContext, press: OldAcceptProposal
) -> Settled:
    return await proposals.answer(update, context, AnswerProposal(press.proposal_id, True))


@PROPOSAL.on(OldDeclineProposal)
async def old_decline_proposal(
    update: Update, context: BotContext, press: OldDeclineProposal
) -> Settled:
    return await proposals.answer(update, context, AnswerProposal(press.proposal_id, False))


def register(app: Application) -> None:
    app.add_handler(REVIEW.handler())
    app.add_handler(PROPOSAL.handler())
