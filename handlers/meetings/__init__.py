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
The sweeps are in scheduler/meetings.py (and the card edits in scheduler/reminders.py).
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.meeting_forms import FORM_TITLES
from handlers.meetings import attendance, changes, creation, materials, notices, rsvp  # noqa: F401
from handlers.meetings.buttons import MEET, RSVP
from handlers.meetings.leader import meeting_command
from handlers.meetings.texts import CardTexts
from scheduler import jobs, reminders
from services.texts import N_

COMMANDS = [CommandSpec("meeting", N_("Meetings: schedule, announce, attendance"), Audience.LEADER)]


async def card_job(context: BotContext) -> None:
    texts = CardTexts(context.settings.default_language)
    await reminders.edit_dirty_cards(context.bot, context.bot_data["sessions"], texts)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("meeting", meeting_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(MEET.handler())
    app.add_handler(RSVP.handler())
    # The card edits keep their own job until they become outbox edits (scheduler/reminders.py).
    jobs.add_sweep(card_job, every=reminders.CARD_EDIT_INTERVAL, name="meeting-cards", first=1.0)


__all__ = ["COMMANDS", "FORM_TITLES", "register"]
