"""/ask's screens: the home screen, the asker's questions, the expert's queue, one card."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.i18n import Html, Translator
from bot.keyboards import inline
from bot.replies import ack, reply, show
from handlers.consultations.buttons import (
    BUTTONS,
    Answered,
    ChooseFaq,
    Home,
    Mentors,
    MyQuestions,
    NewQuestion,
    OpenQuestion,
    Queue,
    Timings,
)
from handlers.consultations.card import card_keyboard, card_text
from handlers.consultations.wording import STATUS_TITLES, shorten
from models.consultations import Consultation
from services import consultations as service


async def ask_command(update: Update, context: BotContext) -> None:
    text, keyboard = await _home(context)
    await reply(update, context, text, keyboard)


@BUTTONS.on(Home)
async def home(update: Update, context: BotContext, press: Home) -> None:
    text, keyboard = await _home(context)
    await ack(update)
    await show(update, context, text, keyboard)


async def _home(context: BotContext) -> tuple[Html, InlineKeyboardMarkup]:
    t = context.t
    seen = await service.overview(context.session, context.actor)
    text = t.gettext(
        "❓ <b>Consultations</b>\n\nAsk a question to your association's leader and experts "
        "or to the network's methodists; the answer comes here."
    )
    rows = [[(t.plain("✍️ Ask a question"), NewQuestion().data())]]
    if seen.mine_total:
        label = t.nplain("📋 My questions ({n} open)", "📋 My questions ({n} open)", seen.mine_open)
        rows.append([(label, MyQuestions().data())])
    if seen.queue:
        label = t.nplain("📥 Queue: {n} question", "📥 Queue: {n} questions", seen.queue)
        rows.append([(label, Queue().data())])
    if seen.member_of:
        rows.append([(t.plain("📚 FAQ"), ChooseFaq().data())])
    for target in seen.leads:
        name = shorten(target.name or "", 30)
        association_id = target.association_id
        rows.append(
            [
                (t.plain("🤝 Mentors · {name}", name=name), Mentors(association_id).data()),
                (t.plain("⏱ Timings · {name}", name=name), Timings(association_id).data()),
            ]
        )
        rows.append([(t.plain("🗂 Answered · {name}", name=name), Answered(association_id).data())])
    return text, inline(rows)


def _list_keyboard(t: Translator, questions: Sequence[Consultation]) -> InlineKeyboardMarkup:
    rows = [
        [(f"{STATUS_TITLES[c.status]} {shorten(c.question, 48)}", OpenQuestion(c.id).data())]
        for c in questions
    ]
    rows.append([(t.plain("⬅️ Consultations"), Home().data())])
    return inline(rows)


@BUTTONS.on(MyQuestions)
async def my_questions(update: Update, context: BotContext, press: MyQuestions) -> None:
    t = context.t
    questions = await service.my_questions(context.session, context.actor)
    await ack(update)
    text = (
        t.gettext("📋 <b>Your questions</b> (open ones first). Choose one to open it.")
        if questions
        else t.gettext("You have not asked any questions yet.")
    )
    await show(update, context, text, _list_keyboard(t, questions))


@BUTTONS.on(Queue)
async def expert_queue(update: Update, context: BotContext, press: Queue) -> None:
    t = context.t
    questions = await service.queue(context.session, context.actor)
    await ack(update)
    text = (
        t.gettext("📥 <b>Questions waiting for an answer</b>, oldest first.")
        if questions
        else t.gettext("📥 No questions are waiting for an answer. Thank you!")
    )
    await show(update, context, text, _list_keyboard(t, questions))


@BUTTONS.on(OpenQuestion)
async def open_question(update: Update, context: BotContext, press: OpenQuestion) -> None:
    view = await service.question(context.session, context.actor, press.consultation_id)
    await ack(update)
    await show(update, context, card_text(context.t, view), card_keyboard(context.t, view))


@BUTTONS.on(Answered)
async def answered(update: Update, context: BotContext, press: Answered) -> None:
    t = context.t
    questions = await service.answered_questions(
        context.session, context.actor, press.association_id
    )
    await ack(update)
    text = (
        t.gettext("🗂 <b>Answered questions</b>. Open one to publish it in the FAQ.")
        if questions
        else t.gettext("🗂 No answered questions wait for the FAQ.")
    )
    await show(update, context, text, _list_keyboard(t, questions))
