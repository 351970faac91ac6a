"""Answers arriving from Telegram: `poll_answer` (a named poll: who chose what) and `poll`
(an anonymous poll's totals). Nobody is answered: these updates have no chat."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from services import polls as service


async def on_poll_answer(update: Update, context: BotContext) -> None:
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return  # an answer on behalf of a chat (a channel's vote) is not a member's
    await service.record_answer(
        context.session,
        telegram_poll_id=answer.poll_id,
        telegram_id=answer.user.id,
        option_ids=list(answer.option_ids),
    )


async def on_poll(update: Update, context: BotContext) -> None:
    poll = update.poll
    if poll is None:
        return
    await service.record_totals(
        context.session,
        telegram_poll_id=poll.id,
        totals=[option.voter_count for option in poll.options],
        voter_count=poll.total_voter_count,
    )
