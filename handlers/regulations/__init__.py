"""The association's own documents: its regulation (положение) and the participant's guide.

No command of their own: both open from the association's card (handlers/associations/
card.py). `screen` (the leader's screen, a member's approved copy, the guide), `sections`
(a section, the leader's wording in dialog `regs`, back to the drafted text), `approval`,
`notices` (what newcomers receive), `buttons` (the `reg1` presses). Rules in
services/regulations.py (the draft), services/regulation_versions.py (approval, versions)
and services/guide.py; the PDFs in documents/regulation.py and documents/guide.py.
"""

from __future__ import annotations

from telegram.ext import Application

from bot.commands import CommandSpec
from handlers.regulations import approval, notices, screen, sections  # noqa: F401  (routes)
from handlers.regulations.buttons import BUTTONS

COMMANDS: list[CommandSpec] = []


def register(app: Application) -> None:
    app.add_handler(BUTTONS.handler())
