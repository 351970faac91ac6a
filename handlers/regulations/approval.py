"""Approving the draft: the leader confirms the version number shown, the draft's texts and
PDF are stored as that version, the approved PDF comes back; a used confirmation loses its
buttons."""

from __future__ import annotations

from telegram import Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, show
from handlers.regulations.buttons import BUTTONS, AskApproval, ConfirmApproval, OpenRegulation
from handlers.regulations.screen import approved_caption, send_copy
from services import regulation_versions as service


@BUTTONS.on(AskApproval)
async def ask_approval(update: Update, context: BotContext, press: AskApproval) -> None:
    offer = await service.approval_offer(context.session, context.actor, press.association_id)
    await ack(update)
    t, version = context.t, offer.version
    text = t.gettext(
        "Approve the draft as version {version} of the regulation of «{name}»?\n\n"
        "It is stored as it is now and stays so: members find it on the association's card, "
        "newcomers receive it on joining. Later changes go into a new draft.",
        version=version,
        name=offer.association,
    )
    buttons = [
        [
            (
                t.plain("✅ Approve version {version}", version=version),
                ConfirmApproval(offer.association_id, version).data(),
            ),
            (t.plain("✖ Not now"), OpenRegulation(offer.association_id).data()),
        ]
    ]
    await show(update, context, text, inline(buttons))


@BUTTONS.on(ConfirmApproval)
async def confirm_approval(update: Update, context: BotContext, press: ConfirmApproval) -> Settled:
    version = await service.approve(
        context.session, context.actor, association_id=press.association_id, version=press.version
    )
    t = context.t
    await ack(update, t.plain("The regulation is approved."))
    copy = await service.version_pdf(context.session, context.actor, version.id)
    await send_copy(update, context, copy, approved_caption(t, copy))
    return Settled(t.gettext("✅ Version {version} is approved.", version=version.version))
