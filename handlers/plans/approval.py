"""The approvers' decisions: agree or approve with one press, return with a comment
(dialog `planx`). A used decision loses its buttons."""

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
from bot.replies import ack
from handlers.plans.buttons import BUTTONS, Accept, Return
from models.plans import PlanStatus
from services import plans as service
from services.texts import N_

log = logging.getLogger(__name__)

RETURN = register_dialog(Dialog("planx"))


@BUTTONS.on(Accept)
async def accept(update: Update, context: BotContext, press: Accept) -> Settled:
    t = context.t
    # A second press of the same buttons (the first one settled them) is refused with
    # PlanAlreadyDecided, explained in an alert by the error handler.
    plan = await service.decide(
        context.session, context.actor, plan_id=press.plan_id, step=press.step, accept=True
    )
    await ack(update, t.plain("Thank you, your decision is recorded."))
    if plan.status is PlanStatus.APPROVED:
        return Settled(t.gettext("✅ Approved. The leader will be notified."))
    return Settled(t.gettext("✅ Agreed. The plan goes on for approval."))


@BUTTONS.on(Return)
async def return_plan(update: Update, context: BotContext, press: Return) -> None:
    await service.deciding_plan(
        context.session, context.actor, plan_id=press.plan_id, step=press.step
    )
    await ack(update)
    data = {"plan_id": press.plan_id, "step": press.step, "review": _review_of(update)}
    await RETURN.start(update, context, "comment", data)


async def _return(turn: Turn) -> None:
    try:
        await service.decide(
            turn.context.session,
            turn.context.actor,
            plan_id=turn.data["plan_id"],
            step=turn.data["step"],
            accept=False,
            comment=turn.data["comment"],
        )
    except service.NotYourStep as error:  # decided meanwhile: nothing to return any more
        await turn.finish()
        await turn.say(turn.t.error(error))
        return
    await turn.finish()
    await _settle_review(turn, turn.t.gettext("↩️ Returned for revision."))
    await turn.say(turn.t.gettext("↩️ The plan is returned to the leader with your comment."))


def _review_of(update: Update) -> dict[str, Any] | None:
    """The message asking for the decision, to be settled once the comment is in."""
    query = update.callback_query
    message = query.message if query is not None else None
    if not isinstance(message, Message):
        return None
    caption = message.caption is not None
    body = message.caption_html if caption else message.text_html
    return {"id": message.message_id, "caption": caption, "body": body or ""}


async def _settle_review(turn: Turn, outcome: str) -> None:
    """The message that asked for the decision shows it and loses its buttons."""
    review = turn.data.get("review")
    if not review:
        return
    bot, chat_id, text = turn.context.bot, turn.state.chat_id, f"{review['body']}\n\n{outcome}"
    try:
        if review["caption"]:
            await bot.edit_message_caption(
                chat_id, review["id"], caption=text[:1024], parse_mode=ParseMode.HTML
            )
        else:
            await bot.edit_message_text(
                text[:4096], chat_id, review["id"], parse_mode=ParseMode.HTML
            )
    except BadRequest as error:
        log.info("could not settle the review message: %s", error.message)


RETURN.text_step(
    "comment",
    prompt=N_(
        "What should be corrected? Your comment goes to the leader with the plan. "
        "/cancel does not return the plan."
    ),
    key="comment",
    clean=service.clean_text,
    then=_return,
)
