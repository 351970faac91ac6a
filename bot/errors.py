"""One error handler: polite answers for rule violations, a report for real failures."""

from __future__ import annotations

import html
import json
import logging
import time
import traceback

from telegram import Update
from telegram.error import RetryAfter

from bot.context import BotContext
from bot.replies import alert, reply
from bot.request import CallPolicy, LongWait, calls_with
from bot.scope import current_scope
from services import metrics
from services.errors import DomainError

log = logging.getLogger(__name__)

_last_alert_at: dict[str, float] = {}
# An alert never holds the update it is about: one that would wait for its turn under the
# flood limits, or meets a 429, is dropped (the log has it).
_ALERT_POLICY = CallPolicy(retry_429=False, hand_off_after=1.0)


def undo_update() -> None:
    """Roll back everything this update wrote (its notices too) when it ends."""
    scope = current_scope.get()
    if scope is not None:
        scope.failed = True


async def refuse(update: Update, context: BotContext, error: DomainError) -> None:
    """For a handler that goes on after a refused action: undo what the update wrote so
    far and say why (an alert under a button, a message otherwise). A handler that need
    not go on simply lets the DomainError propagate: `on_error` does the same."""
    undo_update()
    await _tell(
        update, context, context.t.error(error), context.t.plain(error.message, **error.params)
    )


async def on_error(update: object, context: BotContext) -> None:
    """Roll the update back; tell the person; log and alert admins when it is our fault."""
    undo_update()
    error = context.error
    if isinstance(error, RetryAfter | LongWait):
        # Telegram told the bot to wait: any message now (to the person or to an admin who
        # may be that person) would only be refused again. The request layer has already
        # waited out every 429 it could; this one is logged, and nobody is written to.
        log.warning("flood control while handling %s: %s", _describe(update), error)
        return
    if isinstance(error, DomainError) and isinstance(update, Update):
        await refuse(update, context, error)
        return
    metrics.ERRORS.inc()
    log.error("error while handling %s", _describe(update), exc_info=error)
    if isinstance(update, Update):
        text = context.t.gettext(
            "Sorry, something went wrong on our side. Nothing you sent is lost: please try "
            "again in a minute. The administrators have been told."
        )
        await _tell(update, context, text, context.t.plain("Sorry, something went wrong."))
    await _alert_admins(context, error)


async def _tell(update: Update, context: BotContext, html_text: str, plain: str) -> None:
    try:
        if update.callback_query is not None:
            await alert(update, plain)
        elif _is_private(update) or (update.effective_message and update.effective_message.text):
            await reply(update, context, html_text)
    except Exception:
        log.exception("could not tell the user about an error")


def _is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == "private"


def _describe(update: object) -> str:
    if isinstance(update, Update):
        return json.dumps(update.to_dict(), ensure_ascii=False)[:2000]
    return repr(update)[:500]


async def _alert_admins(context: BotContext, error: BaseException | None) -> None:
    """At most one alert per kind of error per `ADMIN_ALERT_INTERVAL` seconds."""
    settings = context.settings
    kind = type(error).__name__ if error else "Error"
    moment = time.monotonic()
    if moment - _last_alert_at.get(kind, -1e9) < settings.admin_alert_interval:
        return
    _last_alert_at[kind] = moment
    tail = "".join(traceback.format_exception(error))[-1500:] if error else ""
    text = f"⚠️ <b>{html.escape(kind)}</b>\n<pre>{html.escape(tail)}</pre>"
    for admin_id in settings.admin_ids:
        try:
            with calls_with(_ALERT_POLICY):
                await context.bot.send_message(admin_id, text, parse_mode="HTML")
        except Exception:
            log.warning("could not alert admin %s", admin_id)
