"""/meeting: the leader's and the secretary's screens — the association's meetings with the
norm line, one meeting's screen, and the reminder settings."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import ack, choose_association, show
from handlers.meetings import texts
from handlers.meetings.buttons import (
    MEET,
    AskCancel,
    EditMaterials,
    NewMeeting,
    OpenAssociation,
    ReminderPresets,
    Reschedule,
    SetReminders,
    ShowAttendance,
    ShowMeeting,
)
from models import Association
from models.meetings import Meeting, MeetingStatus
from services import meetings as service
from services.formatting import format_datetime


async def meeting_command(update: Update, context: BotContext) -> None:
    associations = await service.managed_associations(context.session, context.actor)
    await choose_association(
        update,
        context,
        associations,
        prefix="meet",
        nothing=context.t.gettext(
            "Meetings are scheduled by the leader or the secretary of an association. "
            "You do not hold these roles in any association yet."
        ),
        open_one=lambda association: show_association(update, context, association),
    )


async def show_association(update: Update, context: BotContext, association: Association) -> None:
    """The association's upcoming meetings, the norm, and what the leader can do."""
    t = context.t
    screen = await service.association_screen(context.session, context.actor, association.id)
    lines = [
        t.gettext("<b>Meetings of {name}</b>", name=association.name),
        texts.norm_line(t, screen.norm),
    ]
    lines += [_meeting_line(t, meeting, association) for meeting in screen.upcoming]
    if not screen.upcoming:
        lines.append(t.gettext("No upcoming meetings."))
    buttons = [
        [(f"№ {m.number} · {m.topic}"[:60], ShowMeeting(m.id).data())] for m in screen.upcoming
    ]
    buttons.append([(t.plain("➕ New meeting"), NewMeeting(association.id).data())])
    reminders = t.plain(
        "⏰ Reminders: {hours}", hours=texts.hours_label(t, screen.settings.reminder_hours)
    )
    buttons.append([(reminders, ReminderPresets(association.id).data())])
    await show(update, context, "\n".join(lines), inline(buttons))


def _meeting_line(t: Translator, meeting: Meeting, association: Association) -> str:
    return t.gettext(
        "No. {number} · {when} · {topic}",
        number=meeting.number,
        when=format_datetime(meeting.starts_at, association.timezone, t.language),
        topic=meeting.topic,
    )


async def show_association_by_id(update: Update, context: BotContext, association_id: int) -> None:
    association = await service.association_of(context.session, association_id)
    await show_association(update, context, association)


@MEET.on(OpenAssociation)
async def open_association(update: Update, context: BotContext, press: OpenAssociation) -> None:
    await ack(update)
    await show_association_by_id(update, context, press.association_id)


@MEET.on(ReminderPresets)
async def reminder_presets(update: Update, context: BotContext, press: ReminderPresets) -> None:
    t = context.t
    await service.require_manager(context.session, context.actor, press.association_id)
    await ack(update)
    buttons = [
        [(texts.hours_label(t, preset), SetReminders(press.association_id, index).data())]
        for index, preset in enumerate(service.REMINDER_PRESETS)
    ]
    await show(
        update,
        context,
        t.gettext("When should members be reminded before a meeting?"),
        inline(buttons),
    )


@MEET.on(SetReminders)
async def set_reminders(update: Update, context: BotContext, press: SetReminders) -> None:
    t = context.t
    hours = await service.set_reminders(
        context.session, context.actor, association_id=press.association_id, preset=press.preset
    )
    await ack(update, t.plain("Reminders: {hours}", hours=texts.hours_label(t, hours)))
    await show_association_by_id(update, context, press.association_id)


@MEET.on(ShowMeeting)
async def show_meeting(update: Update, context: BotContext, press: ShowMeeting) -> None:
    await ack(update)
    await show_meeting_screen(update, context, press.meeting_id)


async def show_meeting_screen(update: Update, context: BotContext, meeting_id: int) -> None:
    t = context.t
    view = await service.managed_view(context.session, context.actor, meeting_id)
    meeting = view.meeting
    rows = [[(t.plain("✋ Attendance"), ShowAttendance(meeting.id).data())]]
    if meeting.status is not MeetingStatus.CANCELLED:
        label = (
            t.nplain("📎 Materials ({n} file)", "📎 Materials ({n} files)", view.materials)
            if view.materials
            else t.plain("📎 Materials")
        )
        rows.append([(label, EditMaterials(meeting.id).data())])
    if meeting.status is MeetingStatus.SCHEDULED:
        rows.append([(t.plain("🕒 Reschedule"), Reschedule(meeting.id).data())])
        rows.append([(t.plain("✖ Cancel the meeting"), AskCancel(meeting.id).data())])
    rows.append([(t.plain("⬅️ Back"), OpenAssociation(meeting.association_id).data())])
    await show(update, context, texts.card_body(view, t, show_counts=True), inline(rows))
