"""Where this bot's QR codes point: its own deep link, or the public page (WEB_BASE_URL)."""

from __future__ import annotations

from bot.context import BotContext
from services.certificates.common import Links


def links(context: BotContext) -> Links:
    return Links(context.bot.username, context.settings.verification_base_url)
