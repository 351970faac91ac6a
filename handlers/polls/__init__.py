"""/poll: quick native polls in the association's group.

`listing.py` (/poll, the polls of an association and their results), `creation.py` (the
new poll's dialog and its posting), `answers.py` (votes from Telegram), `notices.py` (the
reminder and the results), `presses.py` (the `pl1` buttons). Rules in services/polls.py;
the reminder and closing sweeps in scheduler/polls.py.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, PollAnswerHandler, PollHandler, filters

from bot.commands import Audience, CommandSpec
from handlers.polls import creation, notices  # noqa: F401  (register their routes, notices)
from handlers.polls.answers import on_poll, on_poll_answer
from handlers.polls.listing import poll_command
from handlers.polls.presses import BUTTONS
from scheduler import polls as sweeps
from services.texts import N_

COMMANDS = [CommandSpec("poll", N_("Polls in your association's group"), Audience.LEADER)]

__all__ = ["COMMANDS", "register"]


def register(app: Application) -> None:
    app.add_handler(CommandHandler("poll", poll_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(BUTTONS.handler())
    app.add_handler(PollAnswerHandler(on_poll_answer))
    app.add_handler(PollHandler(on_poll))
    sweeps.use_bot(app.bot)
