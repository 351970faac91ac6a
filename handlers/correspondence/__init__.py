"""Messages between members: the fellow-member list (`fellows.py`, the /members of a plain
member), writing and answering (`writing.py`), refusing and reporting (`refusing.py`);
`presses.py` holds the buttons, `notices.py` how relayed messages and reports read. Rules
and limits in `services/correspondence.py`; erasing old texts in
`scheduler/correspondence.py`."""

from __future__ import annotations

from telegram.ext import Application

from handlers.correspondence import (  # noqa: F401  (each registers its routes or notices)
    fellows,
    notices,
    refusing,
    writing,
)
from handlers.correspondence.fellows import fellows_command, write_row
from handlers.correspondence.presses import BUTTONS

# /members is the entry (handlers/members.py): no command of its own.
COMMANDS: list = []

__all__ = ["COMMANDS", "fellows_command", "register", "write_row"]


def register(app: Application) -> None:
    app.add_handler(BUTTONS.handler())
