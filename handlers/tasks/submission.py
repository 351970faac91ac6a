"""A member submits the work on a task (dialog `tasku`): a text, or a file with an
optional caption. A returned task is submitted again the same way."""

from __future__ import annotations

from telegram import Message, Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.replies import ack
from handlers.tasks.buttons import BUTTONS, Submit
from services import tasks as service
from services.errors import DomainError, InvalidInput

SUBMIT = register_dialog(Dialog("tasku"))


@BUTTONS.on(Submit)
async def start_submission(update: Update, context: BotContext, press: Submit) -> None:
    view = await service.submittable(context.session, context.actor, press.assignment_id)
    await ack(update)
    await SUBMIT.start(update, context, "work", {"assignment_id": view.assignment_id})


async def _ask(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Send your work on the task: a text message, or a file (as a document) with an "
            "optional caption. /cancel stops without submitting."
        )
    )


async def _on_text(turn: Turn, text: str) -> None:
    await _submit(turn, text=text)


async def _on_file(turn: Turn, message: Message) -> None:
    if message.document is None:
        await turn.say(turn.t.gettext("Please send the file as a document (📎 → File)."))
        await turn.repeat()
        return
    document = message.document
    await _submit(
        turn,
        text=message.caption,
        telegram_file_id=document.file_id,
        file_name=document.file_name,
    )


async def _submit(turn: Turn, **work: str | None) -> None:
    try:
        view = await service.submit(
            turn.context.session,
            turn.context.actor,
            assignment_id=turn.data["assignment_id"],
            **work,
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    except DomainError as error:  # decided or taken away meanwhile: nothing to submit
        await turn.finish()
        await turn.say(turn.t.error(error))
        return
    await turn.finish()
    await turn.say(
        turn.t.gettext(
            "📤 Your work on «{title}» is submitted. You will be told the leader's decision.",
            title=view.title,
        )
    )


SUBMIT.step("work", ask=_ask, on_text=_on_text, on_file=_on_file)
