"""Rescheduling (the dialog `meetm`: a new date and time) and cancelling a meeting; the
members are told by notices (handlers/meetings/notices.py)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import zone_title
from bot.keyboards import inline
from bot.replies import ack, show
from handlers.meetings.buttons import MEET, AskCancel, ConfirmCancel, Reschedule, ShowMeeting
from handlers.meetings.leader import show_association_by_id
from services import meetings as service
from services.errors import InvalidInput
from services.formatting import format_datetime

MOVE = register_dialog(Dialog("meetm"))


@MEET.on(Reschedule)
async def reschedule(update: Update, context: BotContext, press: Reschedule) -> None:
    await service.managed_view(context.session, context.actor, press.meeting_id)
    await ack(update)
    await MOVE.start(update, context, "when", {"meeting_id": press.meeting_id})


@MEET.on(AskCancel)
async def ask_cancel(update: Update, context: BotContext, press: AskCancel) -> None:
    t = context.t
    await ack(update)
    keyboard = inline(
        [
            [(t.plain("✖ Yes, cancel the meeting"), ConfirmCancel(press.meeting_id).data())],
            [(t.plain("⬅️ Back"), ShowMeeting(press.meeting_id).data())],
        ]
    )
    text = t.gettext("Cancel this meeting? Everyone invited will be told.")
    await show(update, context, text, keyboard)


@MEET.on(ConfirmCancel)
async def cancel(update: Update, context: BotContext, press: ConfirmCancel) -> None:
    meeting = await service.cancel(context.session, context.actor, meeting_id=press.meeting_id)
    await ack(update, context.t.plain("The meeting is cancelled; members are being told."))
    await show_association_by_id(update, context, meeting.association_id)


async def ask_new_time(turn: Turn) -> None:
    view = await service.managed_view(
        turn.context.session, turn.context.actor, turn.data["meeting_id"]
    )
    await turn.say(
        turn.t.gettext(
            "The new date and time for «{topic}», for example <i>12.12 15:00</i>. "
            "Time zone: {zone}. /cancel keeps the current time.",
            topic=view.meeting.topic,
            zone=zone_title(turn.t, view.association.timezone),
        )
    )


async def on_new_time(turn: Turn, text: str) -> None:
    session, actor = turn.context.session, turn.context.actor
    association = (await service.managed_view(session, actor, turn.data["meeting_id"])).association
    try:
        moment = service.parse_start(association, text, lang=turn.t.language)
        await service.reschedule(
            session, actor, meeting_id=turn.data["meeting_id"], starts_at=moment
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await turn.finish()
    await turn.say(
        turn.t.gettext(
            "🕒 Moved to <b>{when}</b>. Everyone invited is being told.",
            when=format_datetime(moment, association.timezone, turn.t.language),
        )
    )


MOVE.step("when", ask=ask_new_time, on_text=on_new_time)
