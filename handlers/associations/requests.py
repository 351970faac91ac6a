"""The leaders' side of joining: requests to decide, invitation links; and the approvers'
decisions on teachers' proposals of new associations."""

from __future__ import annotations

from telegram import Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, reply, show
from handlers.associations.links import join_link
from handlers.associations.presses import (
    BUTTONS,
    DECISIONS,
    PROPOSALS,
    Approve,
    ApproveProposal,
    Decline,
    Invite,
    OpenCard,
    RejectProposal,
    ShowRequests,
)
from services import associations, memberships


async def _decide(
    update: Update, context: BotContext, membership_id: int, approve: bool
) -> Settled:
    decision = await memberships.decide_request(
        context.session, actor=context.actor, membership_id=membership_id, approve=approve
    )
    t, applicant = context.t, decision.applicant.full_name or ""
    await ack(update)
    if approve:
        return Settled(
            t.gettext(
                "✅ {applicant} is now a member of «{name}».",
                applicant=applicant,
                name=decision.association.name,
            )
        )
    return Settled(t.gettext("✖ The request of {applicant} is declined.", applicant=applicant))


@DECISIONS.on(Approve)
async def approve(update: Update, context: BotContext, press: Approve) -> Settled:
    return await _decide(update, context, press.membership_id, approve=True)


@DECISIONS.on(Decline)
async def decline(update: Update, context: BotContext, press: Decline) -> Settled:
    return await _decide(update, context, press.membership_id, approve=False)


@BUTTONS.on(ShowRequests)
async def show_requests(update: Update, context: BotContext, press: ShowRequests) -> None:
    t = context.t
    pending = await memberships.pending_requests(
        context.session, actor=context.actor, association_id=press.association_id
    )
    text = (
        t.gettext("<b>Requests to join</b>") if pending else t.gettext("No requests are waiting.")
    )
    rows = []
    for entry in pending[:10]:
        name = entry.user.full_name or ""
        text += "\n• " + t.gettext(
            "{name}, {organisation}", name=name, organisation=entry.user.organisation or ""
        )
        rows.append(
            [
                ("✅ " + name[:40], Approve(entry.membership.id).data()),
                (t.plain("✖ Decline"), Decline(entry.membership.id).data()),
            ]
        )
    rows.append([(t.plain("⬅️ Back"), OpenCard(press.association_id).data())])
    await ack(update)
    await show(update, context, text, inline(rows))


@BUTTONS.on(Invite)
async def invite(update: Update, context: BotContext, press: Invite) -> None:
    invitation = await memberships.create_invitation(
        context.session, actor=context.actor, association_id=press.association_id
    )
    await ack(update)
    await reply(
        update,
        context,
        context.t.gettext(
            "An invitation link to «{name}»: {link}\nWhoever opens it joins without approval "
            "(within the member limit).",
            name=invitation.association.name,
            link=join_link(invitation.association, invitation.token, bot=context.bot),
        ),
    )


async def _decide_proposal(
    update: Update, context: BotContext, association_id: int, approve: bool
) -> Settled:
    decision = await associations.decide_proposal(
        context.session, actor=context.actor, association_id=association_id, approve=approve
    )
    name = decision.association.name
    await ack(update)
    return Settled(
        context.t.gettext("✅ The association «{name}» is approved.", name=name)
        if approve
        else context.t.gettext("✖ The association «{name}» is rejected.", name=name)
    )


@PROPOSALS.on(ApproveProposal)
async def approve_proposal(update: Update, context: BotContext, press: ApproveProposal) -> Settled:
    return await _decide_proposal(update, context, press.association_id, approve=True)


@PROPOSALS.on(RejectProposal)
async def reject_proposal(update: Update, context: BotContext, press: RejectProposal) -> Settled:
    return await _decide_proposal(update, context, press.association_id, approve=False)
