"""/protocol: record the protocol of a held meeting, draft PDF, approve, list, extracts.

Where things happen:
- `overview.py` — /protocol, the association's protocols and the meetings waiting for one;
- `filling.py` — the prefilled header and the dialog `protd` (СЛУШАЛИ → ВЫСТУПИЛИ →
  ПОСТАНОВИЛИ per agenda item), the draft;
- `approval.py` — approving (with its confirmation), the PDFs and extracts;
- `notices.py` — how the approved protocol and the decisions' reminders read;
- `buttons.py` — the typed buttons (`prot:*`) and their table.
The follow-up sweep is in scheduler/protocols.py.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from handlers.protocols import approval, filling, notices  # noqa: F401
from handlers.protocols.buttons import PROT
from handlers.protocols.overview import protocol_command
from services.texts import N_

COMMANDS = [
    CommandSpec("protocol", N_("Meeting protocols: record, approve, list"), Audience.LEADER)
]


def register(app: Application) -> None:
    app.add_handler(CommandHandler("protocol", protocol_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(PROT.handler())


__all__ = ["COMMANDS", "register"]
