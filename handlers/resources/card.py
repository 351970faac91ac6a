"""A material's card in the catalogue, and Get: its files (an album for several) or link."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Html, Translator
from bot.keyboards import inline
from bot.replies import ack, reply
from handlers.resources.buttons import BUTTONS, Get, Home, Open
from handlers.uploads.review import send_files
from handlers.uploads.wording import material_card
from services.formatting import format_date
from services.resources import catalogue
from services.resources.catalogue import Card
from services.resources.views import draft_of


def card_text(t: Translator, card: Card) -> Html:
    counts = t.gettext("👁 {views} · ⬇️ {downloads}", views=card.views, downloads=card.downloads)
    if card.approved_at is not None:
        counts = t.gettext(
            "{counts} · in the bank since {day}",
            counts=counts,
            day=format_date(card.approved_at, t.language),
        )
    return Html(f"{material_card(t, card.view)}\n{counts}")


@BUTTONS.on(Open)
async def open_card(update: Update, context: BotContext, press: Open) -> None:
    t = context.t
    card = await catalogue.open_card(context.session, context.actor, press.material_id)
    await ack(update)
    label = t.plain("🔗 Get the link") if card.view.draft.url else t.plain("⬇️ Get")
    buttons = [
        [(label, Get(press.material_id).data())],
        [(t.plain("🏠 The bank's menu"), Home().data())],
    ]
    await reply(update, context, card_text(t, card), inline(buttons))


@BUTTONS.on(Get)
async def get(update: Update, context: BotContext, press: Get) -> None:
    t = context.t
    material, files = await catalogue.take(context.session, context.actor, press.material_id)
    await ack(update, t.plain("Here it is."))
    if material.url:
        await reply(
            update,
            context,
            t.gettext("🔗 «{title}»: {url}", title=material.title, url=material.url),
        )
    if files:
        await send_files(update, context, draft_of(material, files).files)
