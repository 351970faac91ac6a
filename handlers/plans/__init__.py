"""/plan: the year work plan, its items, proposals, the approval route and progress.

One module per use case: `listing` (/plan, the plan's screen, its PDF), `items` (an
item's screen, deleting, progress), `item_dialogs` (adding and changing items), `route`
(who agrees and who approves), `submission` (checks, sending along the route),
`approval` (the approvers' decisions), `proposals` (members' proposals), `notices` (what
the others are told). Every button is a press of `buttons.BUTTONS`; `legacy` keeps the
decisions of version 1 buttons working.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from handlers.plans import (  # noqa: F401  (each registers its routes, dialogs, notices)
    approval,
    item_dialogs,
    items,
    legacy,
    notices,
    proposals,
    route,
    submission,
)
from handlers.plans.buttons import BUTTONS
from handlers.plans.listing import plan_command
from services.texts import N_

COMMANDS = [CommandSpec("plan", N_("The year work plan and its approval"), Audience.REGISTERED)]


def register(app: Application) -> None:
    app.add_handler(CommandHandler("plan", plan_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(BUTTONS.handler())
    legacy.register(app)
