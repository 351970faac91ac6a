"""/ask: consultations — members' questions, experts' answers, the FAQ and mentors.

One module per use case: `listing` (/ask, the asker's questions, the expert's queue, a
question's card), `asking` (a new question), `answering` (Take, the answer, files),
`follow_ups` (rating, closing, a follow-up), `faq` (publishing, browsing), `mentors`
(the leader assigns mentors), `timings` (reminder and escalation hours), `notices` (what
the others are told). Every button is a press of `buttons.BUTTONS`; rules in
services/consultations.py, the sweeps in scheduler/consultations.py.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from handlers.consultations import (  # noqa: F401  (each registers its routes, dialogs, notices)
    answering,
    asking,
    faq,
    follow_ups,
    mentors,
    notices,
    timings,
)
from handlers.consultations.buttons import BUTTONS
from handlers.consultations.listing import ask_command
from services.texts import N_

COMMANDS = [
    CommandSpec("ask", N_("Consultations: ask a question, answers, the FAQ"), Audience.REGISTERED)
]


def register(app: Application) -> None:
    app.add_handler(CommandHandler("ask", ask_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(BUTTONS.handler())
