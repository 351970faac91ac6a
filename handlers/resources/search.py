"""Search by words: «🔎 Search» asks for them (dialog `ress`), `/resources дроби` at once."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.keyboards import inline
from bot.replies import ack, reply
from handlers.resources.buttons import BUTTONS, Browse, Home, Search
from handlers.resources.menu import item_rows
from services.resources import catalogue
from services.texts import N_

FIND = register_dialog(Dialog("ress"))
MAX_WORDS = 100


@BUTTONS.on(Search)
async def search(update: Update, context: BotContext, press: Search) -> None:
    await ack(update)
    await FIND.start(update, context, "words", {})


async def show_found(update: Update, context: BotContext, words: str) -> None:
    t = context.t
    words = " ".join(words.split())[:MAX_WORDS]
    page = await catalogue.find(context.session, context.actor, words)
    if not page.items:
        text = t.gettext(
            "🔎 Nothing was found for «{words}». Try fewer or other words, or browse the "
            "catalogue by type and subject.",
            words=words,
        )
        rows = [[(t.plain("🗂 Browse the catalogue"), Browse().data())]]
    else:
        text = t.ngettext(
            "🔎 «{words}»: {n} material found.",
            "🔎 «{words}»: {n} materials found. The best ones first:",
            page.total,
            words=words,
        )
        if page.total > len(page.items):
            text = t.gettext("{text}\n(Add a word to narrow the search.)", text=text)
        rows = item_rows(t, page)
    rows.append(
        [(t.plain("🔎 Search again"), Search().data()), (t.plain("🏠 Menu"), Home().data())]
    )
    await reply(update, context, text, inline(rows))


async def _on_words(turn: Turn, text: str) -> None:
    await turn.finish()
    await show_found(turn.update, turn.context, text)


FIND.text_step(
    "words",
    prompt=N_("Which words should the materials have? For example: <i>дроби 5 класс</i>."),
    key="words",
    clean=lambda text: " ".join(text.split())[:MAX_WORDS],
    then=lambda turn: _on_words(turn, turn.data["words"]),
)
