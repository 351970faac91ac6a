"""Events: /events and its buttons (listing.py), publishing and correcting events
(publishing.py), and the weekly digest's words (notices.py; the sweep is scheduler/events.py)."""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from handlers.events import notices as _notices  # noqa: F401  (the renderers)
from handlers.events.listing import BUTTONS, events_command
from services.texts import N_

COMMANDS = [CommandSpec("events", N_("Upcoming events and meetings"), Audience.REGISTERED)]


def register(app: Application) -> None:
    app.add_handler(CommandHandler("events", events_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(BUTTONS.handler())
