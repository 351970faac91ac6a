"""/contest: contests and project festivals.

One module per use case: `menu` (/contest: open contests, one's entries, the jury's
queues, votes, diplomas, the contests one organises; the rules), `announcing` (dialog
`conn`), `submitting` (dialog `cons`), `judging` (the queue, an entry, dialog `conj`),
`organising` (progress, ranking, publishing, the protocol and diplomas as PDFs), `voting`
(the audience vote), `notices` (what the others are told), `buttons` (the `con1` presses),
`wording`. Rules in services/contests/; sweeps in scheduler/contests.py.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from handlers.cabinet import extend_menu
from handlers.contests import (  # noqa: F401  (routes, dialogs, notices)
    announcing,
    judging,
    notices,
    organising,
    submitting,
    voting,
)
from handlers.contests.buttons import BUTTONS
from handlers.contests.menu import contest_command, menu_rows
from services.texts import N_

COMMANDS = [
    CommandSpec("contest", N_("Contests: take part, judge, organise"), Audience.REGISTERED),
]


_hooked: list[bool] = []


def register(app: Application) -> None:
    app.add_handler(CommandHandler("contest", contest_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(BUTTONS.handler())
    if not _hooked:  # process-wide: once, even when the application is built again
        _hooked.append(True)
        extend_menu(menu_rows)
