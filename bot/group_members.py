"""Taking a person out of a group chat (features that end a membership share it)."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

log = logging.getLogger(__name__)


async def remove_from_group(bot: Bot, chat_id: int | None, telegram_id: int | None) -> None:
    """Ban and at once unban, so the person leaves but may come back when admitted again."""
    if chat_id is None or telegram_id is None:
        return
    try:
        await bot.ban_chat_member(chat_id, telegram_id)
        await bot.unban_chat_member(chat_id, telegram_id, only_if_banned=True)
    except TelegramError as error:
        # The membership has ended all the same; the group's admins see who is still there.
        log.warning("could not remove %s from the group %s: %s", telegram_id, chat_id, error)
