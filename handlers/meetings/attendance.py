"""Attendance: the list of members with who is present (checked in, or «will attend» once
the meeting has begun), corrected by the leader or the secretary name by name."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, show
from handlers.meetings.buttons import MEET, ShowAttendance, ShowMeeting, ToggleAttendance
from services import meetings as service

MAX_NAMES = 90  # Telegram allows 100 buttons under a message


@MEET.on(ShowAttendance)
async def show_attendance(update: Update, context: BotContext, press: ShowAttendance) -> None:
    await ack(update)
    await _show(update, context, press.meeting_id)


@MEET.on(ToggleAttendance)
async def toggle(update: Update, context: BotContext, press: ToggleAttendance) -> None:
    t = context.t
    here = await service.toggle_attendance(
        context.session, context.actor, meeting_id=press.meeting_id, user_id=press.user_id
    )
    await ack(update, t.plain("Marked present.") if here else t.plain("Marked absent."))
    await _show(update, context, press.meeting_id)


async def _show(update: Update, context: BotContext, meeting_id: int) -> None:
    t = context.t
    meeting, marks = await service.managed_attendance(context.session, context.actor, meeting_id)
    present = sum(1 for _, here in marks if here)
    text = t.gettext("<b>Attendance</b> · No. {number}", number=meeting.number) + "\n"
    text += t.ngettext("{n} person present", "{n} people present", present)
    text += "\n" + t.gettext("Press a name to correct the list.")
    rows = [
        [
            (
                ("✅ " if here else "") + (user.full_name or "?")[:50],
                ToggleAttendance(meeting_id, user.id).data(),
            )
        ]
        for user, here in marks[:MAX_NAMES]
    ]
    rows.append([(t.plain("⬅️ Back"), ShowMeeting(meeting_id).data())])
    await show(update, context, text, inline(rows))
