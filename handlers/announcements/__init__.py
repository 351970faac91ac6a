"""Announcements of an association: /announce and its buttons (manage.py), writing one
(compose.py), and what they tell people (notices.py: the copies and the delivery summary,
sent by the sweep in scheduler/announcements.py)."""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from handlers.announcements import notices as _notices  # noqa: F401  (the renderers)
from handlers.announcements.buttons import BUTTONS
from handlers.announcements.manage import announce_command
from services.texts import N_

COMMANDS = [
    CommandSpec("announce", N_("Send an announcement to your association"), Audience.LEADER)
]


def register(app: Application) -> None:
    app.add_handler(CommandHandler("announce", announce_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(BUTTONS.handler())
