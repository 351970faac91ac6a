"""/meeting: schedule a virtual meeting, announce it, RSVP, attendance, reschedule, cancel.

Where things happen:
- `leader.py` — /meeting, the association's meetings, one meeting's screen, reminders;
- `creation.py` — the new-meeting dialog (`meetd`);
- `rsvp.py` — the card's buttons: will attend / maybe / cannot, «I am here», materials;
- `attendance.py` — the attendance list and its corrections;
- `changes.py` — rescheduling (dialog `meetm`) and cancelling;
- `materials.py` — the materials dialog (`meetf`);
- `notices.py` — how the card, invitations, reminders, changes and warnings read;
- `buttons.py` — the typed buttons (`meet:*`, `rsvp:*`) and their tables.
The sweeps are in scheduler/meetings.py and the card edits in scheduler/reminders.py,
rows of scheduler/schedule.py.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from bot.meeting_forms import FORM_TITLES
from handlers.meetings import attendance, changes, creation, materials, notices, rsvp  # noqa: F401
from handlers.meetings.buttons import MEET, RSVP
from handlers.meetings.leader import meeting_command
from services.texts import N_

COMMANDS = [CommandSpec("meeting", N_("Meetings: schedule, announce, attendance"), Audience.LEADER)]


def register(app: Application) -> None:
    app.add_handler(CommandHandler("meeting", meeting_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(MEET.handler())
    app.add_handler(RSVP.handler())


__all__ = ["COMMANDS", "FORM_TITLES", "register"]
