"""The leader's decision on a submission: accept with one press, return with a comment
(dialog `taskr`). A used decision loses its buttons."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.buttons import Settled
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.keyboards import inline
from bot.replies import ack, reply
from handlers.tasks.buttons import BUTTONS, Accept, OpenReview, Return
from handlers.tasks.notices import review_message
from services import tasks as service
from services.texts import N_

log = logging.getLogger(__name__)

RETURN = register_dialog(Dialog("taskr"))


@BUTTONS.on(Accept)
async def accept(update: Update, context: BotContext, press: Accept) -> Settled:
    # A second press (the first settled the buttons) is refused with NotSubmitted.
    view = await service.decide(
        context.session, context.actor, assignment_id=press.assignment_id, accept=True
    )
    await ack(update, context.t.plain("Thank you, your decision is recorded."))
    return Settled(context.t.gettext("✅ Accepted. {person} will be told.", person=view.person))


@BUTTONS.on(OpenReview)
async def open_review(update: Update, context: BotContext, press: OpenReview) -> None:
    view, file_id = await service.review_of(context.session, context.actor, press.assignment_id)
    await ack(update)
    words = review_message(context.t, view)
    rows = [[(b["text"], b["callback"]) for b in row] for row in words.buttons or []]
    await reply(update, context, words.text, inline(rows))
    if file_id is not None and update.effective_chat is not None:
        await context.bot.send_document(update.effective_chat.id, file_id)


@BUTTONS.on(Return)
async def return_work(update: Update, context: BotContext, press: Return) -> None:
    await service.deciding(context.session, context.actor, press.assignment_id)
    await ack(update)
    data = {"assignment_id": press.assignment_id, "review": _review_of(update)}
    await RETURN.start(update, context, "comment", data)


def _review_of(update: Update) -> dict[str, Any] | None:
    """The message asking for the decision, to be settled once the comment is in."""
    query = update.callback_query
    message = query.message if query is not None else None
    if not isinstance(message, Message) or not message.text:
        return None
    return {"id": message.message_id, "body": message.text_html}


async def _return(turn: Turn) -> None:
    try:
        view = await service.decide(
            turn.context.session,
            turn.context.actor,
            assignment_id=turn.data["assignment_id"],
            accept=False,
            comment=turn.data["comment"],
        )
    except service.NotSubmitted as error:  # decided meanwhile: nothing to return any more
        await turn.finish()
        await turn.say(turn.t.error(error))
        return
    await turn.finish()
    await _settle_review(turn, turn.t.gettext("↩️ Returned for revision."))
    await turn.say(
        turn.t.gettext("↩️ The work is returned to {person} with your comment.", person=view.person)
    )


async def _settle_review(turn: Turn, outcome: str) -> None:
    review = turn.data.get("review")
    if not review:
        return
    text = f"{review['body']}\n\n{outcome}"[:4096]
    try:
        await turn.context.bot.edit_message_text(
            text, turn.state.chat_id, review["id"], parse_mode=ParseMode.HTML
        )
    except BadRequest as error:
        log.info("could not settle the review message: %s", error.message)


RETURN.text_step(
    "comment",
    prompt=N_(
        "What should be corrected? Your comment goes to the assignee. "
        "/cancel keeps the work undecided."
    ),
    key="comment",
    clean=service.clean_comment,
    then=_return,
)
