"""The FAQ: a leader publishes an answered question, members browse their associations'."""

from __future__ import annotations

from telegram import Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.i18n import Html
from bot.keyboards import inline
from bot.replies import ack, show
from handlers.consultations.buttons import BUTTONS, ChooseFaq, Home, OpenFaq, Publish
from services import consultations as service

FAQ_LIMIT = 3500  # a message holds 4096 characters


@BUTTONS.on(Publish)
async def publish(update: Update, context: BotContext, press: Publish) -> Settled:
    await service.publish(context.session, context.actor, press.consultation_id)
    await ack(update)
    return Settled(
        context.t.gettext("📚 Published in the association's FAQ, without the asker's name.")
    )


@BUTTONS.on(ChooseFaq)
async def choose_faq(update: Update, context: BotContext, press: ChooseFaq) -> None:
    t = context.t
    seen = await service.overview(context.session, context.actor)
    await ack(update)
    rows = [
        [(target.name or "", OpenFaq(target.association_id).data())]
        for target in seen.member_of
        if target.association_id is not None
    ]
    rows.append([(t.plain("⬅️ Consultations"), Home().data())])
    await show(update, context, t.gettext("📚 Whose FAQ do you want to read?"), inline(rows))


@BUTTONS.on(OpenFaq)
async def open_faq(update: Update, context: BotContext, press: OpenFaq) -> None:
    t = context.t
    name, entries = await service.faq(context.session, context.actor, press.association_id)
    await ack(update)
    parts = [t.gettext("📚 <b>Questions and answers</b> of «{name}»", name=name)]
    for entry in entries:
        part = t.gettext(
            "❓ <b>{question}</b>\n💬 {answer}", question=entry.question, answer=entry.answer
        )
        if sum(len(p) for p in parts) + len(part) > FAQ_LIMIT:
            break
        parts.append(part)
    if not entries:
        parts.append(t.gettext("Nothing has been published here yet."))
    keyboard = inline([[(t.plain("⬅️ Consultations"), Home().data())]])
    await show(update, context, Html("\n\n".join(parts)), keyboard)
