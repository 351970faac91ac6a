"""Activity and incentives: the ranking (/members → «📊 Activity»), nomination lists
(«🏅 Nominate») and /portfolio.

One module per use case: `ranking` (the screen), `nominating` (choosing members and their
justifications, dialog `actn`; past lists and their PDFs), `portfolio` (/portfolio and its
extract), `notices` (`activity.*`), `buttons` (the `act1` presses). Rules in
services/ranking.py, services/nominations.py and services/portfolio.py; every count from
services/activity.py.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from handlers.activity import nominating, notices, ranking  # noqa: F401  (routes, notices)
from handlers.activity.buttons import BUTTONS
from handlers.activity.portfolio import portfolio_command
from services.texts import N_

COMMANDS = [
    CommandSpec("portfolio", N_("What I did in my associations this year"), Audience.REGISTERED)
]


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("portfolio", portfolio_command, filters=private))
    app.add_handler(BUTTONS.handler())
