"""/report, the annual analytical report on demand: `command.py` (the command, the choice
of the association or the network summary, the group's redirect to private), `dialog.py`
(the dialog `repd`: period, goals, conclusions, then the PDF), `buttons.py` (the `rep1`
presses), `notices.py` (the PDFs told privately, also the yearly sweep's in
scheduler/report.py). Data in services/report/, the PDF in documents/report.py;
`python -m bot report` makes it from the command line.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler

from bot import deeplinks
from bot.commands import Audience, CommandSpec
from handlers.report import notices  # noqa: F401  (the notices' wording)
from handlers.report.buttons import BUTTONS
from handlers.report.command import PAYLOAD, from_deep_link, report_command
from services.texts import N_

COMMANDS = [
    CommandSpec("report", N_("The analytical report of an association (PDF)"), Audience.LEADER),
]


def register(app: Application) -> None:
    app.add_handler(CommandHandler("report", report_command))
    app.add_handler(BUTTONS.handler())
    deeplinks.on_payload(PAYLOAD, from_deep_link)
