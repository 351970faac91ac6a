"""The meeting buttons: typed presses and their tables.

`meet:*` — the leader's and the secretary's screens (/meeting); `rsvp:*` — the card in the
group and the private invitations and reminders. The formats are those of the buttons
already sent, so old cards keep working.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from services.texts import N_

MEET = ButtonTable("meet", stale=N_("This button is out of date. Open /meeting."))
RSVP = ButtonTable("rsvp", stale=N_("This button is out of date."))


@dataclass(frozen=True)
class OpenAssociation(Press, prefix="meet", action="assoc"):
    association_id: int


@dataclass(frozen=True)
class NewMeeting(Press, prefix="meet", action="new"):
    association_id: int


@dataclass(frozen=True)
class ReminderPresets(Press, prefix="meet", action="rem"):
    association_id: int


@dataclass(frozen=True)
class SetReminders(Press, prefix="meet", action="remset"):
    association_id: int
    preset: int


@dataclass(frozen=True)
class ShowMeeting(Press, prefix="meet", action="show"):
    meeting_id: int


@dataclass(frozen=True)
class ShowAttendance(Press, prefix="meet", action="att"):
    meeting_id: int


@dataclass(frozen=True)
class ToggleAttendance(Press, prefix="meet", action="tog"):
    meeting_id: int
    user_id: int


@dataclass(frozen=True)
class EditMaterials(Press, prefix="meet", action="mat"):
    meeting_id: int


@dataclass(frozen=True)
class Reschedule(Press, prefix="meet", action="move"):
    meeting_id: int


@dataclass(frozen=True)
class AskCancel(Press, prefix="meet", action="cancel"):
    meeting_id: int


@dataclass(frozen=True)
class ConfirmCancel(Press, prefix="meet", action="cancelok"):
    meeting_id: int


@dataclass(frozen=True)
class Going(Press, prefix="rsvp", action="g"):
    meeting_id: int


@dataclass(frozen=True)
class Maybe(Press, prefix="rsvp", action="m"):
    meeting_id: int


@dataclass(frozen=True)
class NotGoing(Press, prefix="rsvp", action="n"):
    meeting_id: int


@dataclass(frozen=True)
class CheckIn(Press, prefix="rsvp", action="here"):
    meeting_id: int


@dataclass(frozen=True)
class SendMaterials(Press, prefix="rsvp", action="mat"):
    meeting_id: int
