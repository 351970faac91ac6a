"""/task and /tasks: assignments (техническое задание / поручение).

One module per use case: `giving` (/task, the leader's dialog), `listing` (/tasks),
`submission` (a member hands in the work), `review` (accept, or return with a comment),
`managing` (the leader moves the due date or cancels the task),
`notices` (what the others are told), `buttons` (the `task1` presses). Rules in
services/tasks.py; the reminders' sweep in scheduler/tasks.py.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from handlers.tasks import (  # noqa: F401  (routes, dialogs, notices)
    managing,
    notices,
    review,
    submission,
)
from handlers.tasks.buttons import BUTTONS
from handlers.tasks.giving import task_command
from handlers.tasks.listing import tasks_command
from services.texts import N_

COMMANDS = [
    CommandSpec("task", N_("Give the members a task"), Audience.LEADER),
    CommandSpec("tasks", N_("My tasks and the tasks I have given"), Audience.REGISTERED),
]


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("task", task_command, filters=private))
    app.add_handler(CommandHandler("tasks", tasks_command, filters=private))
    app.add_handler(BUTTONS.handler())
