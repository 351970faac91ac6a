"""Small ways to answer the person who sent the update."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal, cast

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter

from bot.callbacks import cb
from bot.context import BotContext
from bot.inbox import InboxBot
from bot.keyboards import inline
from bot.request import DIRECT, CallPolicy, LongWait, calls_with
from bot.scope import current_scope
from models import Association
from services import outbox

log = logging.getLogger(__name__)

# A reply that would wait longer than this for its turn (Telegram's flood limits) goes to
# the outbox instead: the handler does not hold the person's other updates that long.
HAND_OFF_AFTER = 3.0
_MAY_HAND_OFF = CallPolicy(hand_off_after=HAND_OFF_AFTER)
# Chats with replies handed to the outbox (this process): later replies follow them there
# while any is still waiting, so they cannot overtake it.
_HANDED_OFF = "replies_handed_off"
_HANDED_IN_UPDATE = "replies_handed_off_in_update"


async def reply(
    update: Update, context: BotContext, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> int | None:
    """Answer in the chat the update came from (HTML); the message's id (None: handed off)."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await send_text(update, context, chat.id, text, keyboard, thread_id=_thread_of(update))


async def send_text(
    update: Update,
    context: BotContext,
    chat_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
    *,
    thread_id: int | None = None,
) -> int | None:
    """Send a reply now or, when flood control would hold it long, through the outbox.

    The sent message's id is returned. A handed-off reply is an outbox row in the update's
    transaction, so it leaves after the commit, in order behind the chat's earlier ones;
    None is returned for it.
    """
    # Only a reply inside an update's unit of work can become an outbox row.
    buttons = _plain_buttons(keyboard) if current_scope.get() is not None else None
    if buttons is not None and await _behind_handed_off(context, chat_id):
        await _hand_off(update, context, chat_id, text, buttons, thread_id)
        return None
    try:
        with calls_with(_MAY_HAND_OFF if buttons is not None else DIRECT):
            sent = await _post(
                context,
                "sendMessage",
                {"chat_id": chat_id, "text": text, "message_thread_id": thread_id},
                keyboard,
            )
            return int(sent["message_id"])
    except (LongWait, RetryAfter):
        # LongWait: its turn is far off. RetryAfter: Telegram kept saying 429 through every
        # wait (a crowd at once): the outbox keeps trying, so the answer is not lost.
        if buttons is None:
            raise
        await _hand_off(update, context, chat_id, text, buttons, thread_id)
        return None


async def _post(
    context: BotContext,
    method: str,
    data: dict[str, Any],
    keyboard: InlineKeyboardMarkup | None,
) -> dict[str, Any]:
    """sendMessage or editMessageText in HTML, link previews as the bot's defaults say;
    Telegram's answer stays JSON (bot/inbox.py, InboxBot.post: why)."""
    bot = cast(InboxBot, context.bot)
    previews = bot.defaults.link_preview_options if bot.defaults else None
    extra = {"parse_mode": ParseMode.HTML, "reply_markup": keyboard}
    return cast(
        dict[str, Any], await bot.post(method, {**data, **extra, "link_preview_options": previews})
    )


Edit = Literal["edited", "unchanged", "impossible"]


async def edit_pressed(
    update: Update, context: BotContext, text: str, keyboard: InlineKeyboardMarkup | None
) -> Edit:
    """Put `text` into the message whose button was pressed: "edited"; "unchanged" when it
    already says that; "impossible" (no such message, too old, deleted: send a new one)."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return "impossible"
    message = query.message
    where = {"chat_id": message.chat_id, "message_id": message.message_id, "text": text}
    try:
        await _post(context, "editMessageText", where, keyboard)
    except BadRequest as error:
        if "not modified" in error.message:
            return "unchanged"
        log.info("could not edit the pressed message (%s); sending anew", error.message)
        return "impossible"
    return "edited"


def _plain_buttons(keyboard: InlineKeyboardMarkup | None) -> list[list[dict[str, str]]] | None:
    """The keyboard as outbox button rows; None when a button cannot be one (then the
    reply waits for its turn instead of being handed off)."""
    rows: list[list[dict[str, str]]] = []
    for row in keyboard.inline_keyboard if keyboard else ():
        plain = []
        for button in row:
            if button.url:
                plain.append({"text": button.text, "url": button.url})
            elif isinstance(button.callback_data, str):
                plain.append({"text": button.text, "callback": button.callback_data})
            else:
                return None
        rows.append(plain)
    return rows


async def _behind_handed_off(context: BotContext, chat_id: int) -> bool:
    handed: set[int] = context.bot_data.setdefault(_HANDED_OFF, set())
    if chat_id not in handed:
        return False
    progress = await outbox.batch_progress(context.session, _batch(chat_id))
    if progress.pending:
        return True
    handed.discard(chat_id)
    return False


async def _hand_off(
    update: Update,
    context: BotContext,
    chat_id: int,
    text: str,
    buttons: list[list[dict[str, str]]],
    thread_id: int | None,
) -> None:
    session = context.session
    number = session.info[_HANDED_IN_UPDATE] = session.info.get(_HANDED_IN_UPDATE, 0) + 1
    message = outbox.Outgoing(
        chat_id=chat_id,
        text=text,
        buttons=buttons,
        thread_id=thread_id,
        # Derived from the update: a replayed update hands the same reply off only once.
        dedupe_key=f"reply:{update.update_id}:{number}",
    )
    await outbox.enqueue(session, [message], batch=_batch(chat_id), priority=0)
    context.bot_data.setdefault(_HANDED_OFF, set()).add(chat_id)


def _batch(chat_id: int) -> str:
    return f"replies:{chat_id}"


def _thread_of(update: Update) -> int | None:
    message = update.effective_message
    if message is not None and message.is_topic_message:
        return message.message_thread_id
    return None


async def show(
    update: Update, context: BotContext, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the message whose button was pressed (or send a new one)."""
    if await edit_pressed(update, context, text, keyboard) == "impossible":
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
