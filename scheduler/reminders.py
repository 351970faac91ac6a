"""Meeting sweeps: reminders from the database, and batched edits of the RSVP cards.

Reminders: for every announced meeting, each stage ("r24", "r1" per the association's
settings, "start") becomes due at its moment and stays sendable for a grace window, so a
bot that was down catches up, and a stage missed by more than that is skipped rather than
sent late. Every message has a dedupe key (meeting, revision, stage, person), so running
the sweep twice, or after a restart, sends nothing twice.

Cards: an RSVP only marks the card dirty; this sweep edits each dirty card at most once
per `CARD_EDIT_INTERVAL`, which keeps a busy card far below Telegram's 20 per minute.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter, TelegramError

from models import Membership, MembershipStatus, OutboxMessage, User
from models.db import unit_of_work
from models.meetings import Meeting, MeetingRsvp, MeetingSettings, MeetingStatus, RsvpAnswer
from scheduler.outbox import keyboard
from services import meetings as service
from services.clock import now
from services.outbox import Outgoing, enqueue

log = logging.getLogger(__name__)

GRACE = timedelta(hours=2)
START_GRACE = timedelta(minutes=15)
HORIZON = timedelta(hours=max(max(p, default=0) for p in service.REMINDER_PRESETS) + 1)
CARD_EDIT_INTERVAL = timedelta(seconds=4)


def _stages(hours: list[int]) -> list[tuple[str, timedelta]]:
    return [(f"r{h}", timedelta(hours=h)) for h in sorted(set(hours), reverse=True)] + [
        ("start", timedelta(0))
    ]


def _state(stage: str, offset: timedelta, starts_at: datetime, moment: datetime) -> str:
    """ "wait", "due" or "missed" for one stage at `moment`."""
    due = starts_at - offset
    if moment < due:
        return "wait"
    if stage == "start":
        return "due" if moment < starts_at + START_GRACE else "missed"
    return "due" if moment < min(due + GRACE, starts_at) else "missed"


async def sweep_reminders(session: AsyncSession, texts: service.MeetingTexts) -> int:
    """Enqueue every reminder due now; returns how many messages were added."""
    moment = now()
    meetings = list(
        (
            await session.scalars(
                select(Meeting).where(
                    Meeting.status == MeetingStatus.SCHEDULED,
                    Meeting.announced_at.is_not(None),
                    Meeting.starts_at > moment - START_GRACE,
                    Meeting.starts_at <= moment + HORIZON,
                )
            )
        ).all()
    )
    if not meetings:
        return 0
    association_ids = {m.association_id for m in meetings}
    settings = {
        s.association_id: s.reminder_hours
        for s in (
            await session.scalars(
                select(MeetingSettings).where(MeetingSettings.association_id.in_(association_ids))
            )
        ).all()
    }
    due: list[tuple[Meeting, str]] = []
    for meeting in meetings:
        done = set(meeting.reminders_done or [])
        finished = set()
        for stage, offset in _stages(settings.get(meeting.association_id, [24, 1])):
            if stage in done:
                continue
            state = _state(stage, offset, meeting.starts_at, moment)
            if state == "due":
                due.append((meeting, stage))
                finished.add(stage)
            elif state == "missed":
                finished.add(stage)
        if finished:
            meeting.reminders_done = sorted(done | finished)
    if not due:
        return 0
    members: dict[int, list[User]] = defaultdict(list)
    rows = await session.execute(
        select(Membership.association_id, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.association_id.in_({m.association_id for m, _ in due}),
            Membership.status == MembershipStatus.ACTIVE,
            User.telegram_id.is_not(None),
        )
    )
    for association_id, user in rows.all():
        members[association_id].append(user)
    declined_rows = await session.execute(
        select(MeetingRsvp.meeting_id, MeetingRsvp.user_id).where(
            MeetingRsvp.meeting_id.in_({m.id for m, _ in due}),
            MeetingRsvp.answer == RsvpAnswer.NO,
        )
    )
    declined = {(meeting_id, user_id) for meeting_id, user_id in declined_rows.all()}
    messages: list[Outgoing] = []
    views: dict[int, service.MeetingView] = {}
    for meeting, stage in due:
        if meeting.id not in views:
            views[meeting.id] = await service.view_of(session, meeting)
        for user in members[meeting.association_id]:
            if (meeting.id, user.id) in declined:
                continue
            text, buttons = texts.reminder(views[meeting.id], user, stage)
            messages.append(
                Outgoing(
                    chat_id=user.telegram_id or 0,
                    text=text,
                    buttons=buttons,
                    dedupe_key=f"mtg:{meeting.id}:v{meeting.revision}:{stage}:{user.id}",
                )
            )
    return await enqueue(session, messages, priority=2)


async def edit_dirty_cards(
    bot: Bot, sessions: async_sessionmaker[AsyncSession], texts: service.MeetingTexts
) -> int:
    """Edit the cards whose counts changed, each at most once per CARD_EDIT_INTERVAL."""
    moment = now()
    async with unit_of_work(sessions) as session:
        ids = list(
            (
                await session.scalars(
                    select(Meeting.id).where(
                        Meeting.card_dirty.is_(True),
                        or_(
                            Meeting.card_edited_at.is_(None),
                            Meeting.card_edited_at <= moment - CARD_EDIT_INTERVAL,
                        ),
                    )
                )
            ).all()
        )
        if not ids:
            return 0
        # Cleared before reading the counts: a press after this marks the card again.
        await session.execute(
            update(Meeting)
            .where(Meeting.id.in_(ids))
            .values(card_dirty=False, card_edited_at=moment)
        )
    edits: list[tuple[int, int, str, Any]] = []
    async with sessions() as session:
        for meeting_id in ids:
            meeting = await session.get_one(Meeting, meeting_id)
            card = await session.scalar(
                select(OutboxMessage).where(OutboxMessage.dedupe_key == service.card_key(meeting))
            )
            if card is None or card.message_id is None:
                continue
            text, buttons = texts.card(await service.view_of(session, meeting))
            edits.append((meeting_id, card.chat_id, text, (card.message_id, buttons)))
    edited = 0
    for meeting_id, chat_id, text, (message_id, buttons) in edits:
        try:
            await bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard([list(row) for row in buttons] if buttons else None),
            )
            edited += 1
        except BadRequest as error:
            if "not modified" not in error.message.lower():
                log.warning("could not edit the card of meeting %s: %s", meeting_id, error)
        except (RetryAfter, TelegramError) as error:
            log.info("card of meeting %s will be edited later: %s", meeting_id, error)
            async with unit_of_work(sessions) as session:
                await session.execute(
                    update(Meeting).where(Meeting.id == meeting_id).values(card_dirty=True)
                )
    return edited
