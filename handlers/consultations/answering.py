"""Taking a question, answering it (dialog `aska`), and showing a question's files."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.replies import ack, reply, show
from handlers.consultations.buttons import BUTTONS, Answer, ShowFiles, Take
from handlers.consultations.card import card_keyboard, card_text
from handlers.consultations.steps import attachments, files_step
from handlers.consultations.wording import shorten
from services import consultations as service
from services.texts import N_

ANSWER = register_dialog(Dialog("aska"))


@BUTTONS.on(Take)
async def take(update: Update, context: BotContext, press: Take) -> None:
    """The first to press owns the question; a later press is refused politely."""
    await service.take(context.session, context.actor, press.consultation_id)
    view = await service.question(context.session, context.actor, press.consultation_id)
    await ack(update, context.t.plain("✋ The question is yours. Answer when ready."))
    await show(update, context, card_text(context.t, view), card_keyboard(context.t, view))


@BUTTONS.on(Answer)
async def answer(update: Update, context: BotContext, press: Answer) -> None:
    view = await service.start_answer(context.session, context.actor, press.consultation_id)
    await ack(update)
    data = {
        "consultation_id": press.consultation_id,
        "question": shorten(view.consultation.question, 200),
    }
    await ANSWER.start(update, context, "text", data)


def _prompt(turn: Turn) -> str:
    return turn.t.gettext(
        "✍️ Write your answer to the question «{question}» in one message. /cancel stops.",
        question=turn.data["question"],
    )


async def _send(turn: Turn) -> None:
    await service.answer(
        turn.context.session,
        turn.context.actor,
        consultation_id=turn.data["consultation_id"],
        text=turn.data["text"],
        attachments=attachments(turn),
    )
    await turn.finish()
    await turn.say(turn.t.gettext("✅ Thank you! The answer is sent to the asker."))


ANSWER.text_step("text", prompt=_prompt, key="text", clean=service.clean_question, then="files")
files_step(
    ANSWER,
    "files",
    prompt=N_("Attach documents or photos if needed (up to 10), then press «Send the answer»."),
    send=N_("📨 Send the answer"),
    then=_send,
)


@BUTTONS.on(ShowFiles)
async def show_files(update: Update, context: BotContext, press: ShowFiles) -> None:
    """The files, sent again by their Telegram ids (a reply to the person's own press)."""
    found = await service.files(context.session, context.actor, press.consultation_id, press.part)
    await ack(update)
    chat = update.effective_chat
    if not found or chat is None:
        await reply(update, context, context.t.gettext("There are no files here."))
        return
    for item in found:
        if item.is_photo:
            await context.bot.send_photo(chat.id, item.telegram_file_id)
        else:
            await context.bot.send_document(chat.id, item.telegram_file_id)
