"""Newsletters: /newsletter (manage.py), writing one (compose.py, its audience picker in
audience.py), and what they tell people (notices.py: copies, progress, reports).

The sweep that starts scheduled newsletters and reports finished ones is scheduler/newsletters.py.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from handlers.newsletters import notices as _notices  # noqa: F401  (the renderers)
from handlers.newsletters.manage import MANAGE, PROGRESS, newsletter_command
from services.texts import N_

COMMANDS = [CommandSpec("newsletter", N_("Write a newsletter"), Audience.LEADER)]


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("newsletter", newsletter_command, filters=private))
    app.add_handler(MANAGE.handler())
    app.add_handler(PROGRESS.handler())
