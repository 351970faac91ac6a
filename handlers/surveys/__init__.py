"""/survey: questionnaires answered in private chat.

One module per use case: `menu` (/survey: what waits for an answer, one's own surveys),
`building` (a new survey from a template), `editing` (a survey's screen, its questions,
opening and closing), `answering` (answering step by step, resuming, the summary),
`results` (the summary in chat, PDF, CSV), `notices` (invitations, the reminder, the
closing). Every button is a press of `buttons.BUTTONS`. Rules in services/surveys.py;
the sweeps (opening, reminding, closing, feedback after meetings) in scheduler/surveys.py.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from handlers.surveys import (  # noqa: F401  (each registers its routes, dialogs, notices)
    answering,
    building,
    editing,
    notices,
    results,
)
from handlers.surveys.buttons import BUTTONS
from handlers.surveys.menu import survey_command
from services.texts import N_

COMMANDS = [
    CommandSpec("survey", N_("Surveys: answer, build, see the results"), Audience.REGISTERED)
]


def register(app: Application) -> None:
    app.add_handler(CommandHandler("survey", survey_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(BUTTONS.handler())
