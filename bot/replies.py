"""Small ways to answer the person who sent the update."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.callbacks import cb
from bot.context import BotContext
from bot.keyboards import inline
from bot.scope import current_scope
from models import Association


async def reply(
    update: Update, context: BotContext, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Answer in the chat the update came from (HTML)."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await context.bot.send_message(
        chat.id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        message_thread_id=_thread_of(update),
    )


def _thread_of(update: Update) -> int | None:
    message = update.effective_message
    if message is not None and message.is_topic_message:
        return message.message_thread_id
    return None


async def show(
    update: Update, context: BotContext, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the message whose button was pressed (or send a new one)."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        try:
            await query.message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
            return
        except BadRequest as error:
            if "not modified" in error.message:
                return
    await reply(update, context, text, keyboard)


async def alert(update: Update, text: str) -> None:
    """A pop-up answer to a button press (plain text, not HTML)."""
    if update.callback_query is not None:
        await update.callback_query.answer(text[:200], show_alert=True)


async def ack(update: Update, text: str | None = None) -> None:
    """Stop the button's spinner, optionally with a short toast.

    Inside an update's unit of work the answer goes out alongside whatever the handler
    does next (usually editing the message), not before it: one round trip, not two.
    """
    if update.callback_query is None:
        return
    answer = update.callback_query.answer(text[:200] if text else None)
    scope = current_scope.get()
    if scope is None:
        await answer
    else:
        scope.run_alongside(answer)


async def choose_association(
    update: Update,
    context: BotContext,
    associations: Sequence[Association],
    *,
    prefix: str,
    nothing: str,
    open_one: Callable[[Association], Awaitable[None]],
) -> None:
    """None: say `nothing`; one: open it; several: a button each (`<prefix>:assoc:<id>`)."""
    if not associations:
        await reply(update, context, nothing)
        return
    if len(associations) == 1:
        await open_one(associations[0])
        return
    rows = [[(a.name[:60], cb(prefix, "assoc", a.id))] for a in associations]
    await show(update, context, context.t.gettext("Which association?"), inline(rows))
