"""/resources: the catalogue of the resource bank.

One module per use case: `menu` (the bank's menu, the catalogue's pages and filters),
`card` (a material's card and Get), `search` (by words), `notices` (the weekly digest),
`buttons` (the `res1` presses). Rules in services/resources/{catalogue,search,digest}.py;
the digest's sweep in scheduler/resources.py. Uploading and the review are /upload
(handlers/uploads/).
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from handlers.resources import card, notices, search  # noqa: F401  (routes, dialogs, notices)
from handlers.resources.buttons import BUTTONS
from handlers.resources.menu import resources_command
from services.texts import N_

COMMANDS = [
    CommandSpec("resources", N_("The resource bank: find and take materials"), Audience.REGISTERED),
]


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("resources", resources_command, filters=filters.ChatType.PRIVATE)
    )
    app.add_handler(BUTTONS.handler())
