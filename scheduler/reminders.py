"""Batched edits of the meetings' RSVP cards (the "meeting-cards" job).

Cards: an RSVP only marks the card dirty; this sweep edits each dirty card at most once
per `CARD_EDIT_INTERVAL`, which keeps a busy card far below Telegram's 20 per minute.
The other meeting sweeps are in scheduler/meetings.py and scheduler/protocols.py.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from typing import Protocol as Interface

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter, TelegramError

from models import OutboxMessage
from models.db import unit_of_work
from models.meetings import Meeting
from scheduler.outbox import keyboard
from services import meetings as service
from services.clock import now

log = logging.getLogger(__name__)

CARD_EDIT_INTERVAL = timedelta(seconds=4)


class CardTexts(Interface):
    """The card's words in the group's language (handlers/meetings/texts.py)."""

    def card(self, view: service.MeetingView) -> tuple[str, Any]: ...


async def edit_dirty_cards(
    bot: Bot, sessions: async_sessionmaker[AsyncSession], texts: CardTexts
) -> int:
    """Edit the cards whose counts changed: each card at most once per CARD_EDIT_INTERVAL,
    one card per association per call."""
    moment = now()
    async with unit_of_work(sessions) as session:
        due = await session.execute(
            select(Meeting.id, Meeting.association_id)
            .where(
                Meeting.card_dirty.is_(True),
                or_(
                    Meeting.card_edited_at.is_(None),
                    Meeting.card_edited_at <= moment - CARD_EDIT_INTERVAL,
                ),
            )
            .order_by(Meeting.card_edited_at.is_not(None), Meeting.card_edited_at, Meeting.id)
        )
        # One card per association (its group) per sweep: with a sweep every 4 s a group
        # gets at most 15 card edits a minute, under Telegram's 20, however many cards it
        # has; the others stay dirty for the next sweep, the longest-waiting first.
        first_per_group: dict[int, int] = {}
        for meeting_id, association_id in due.all():
            first_per_group.setdefault(association_id, meeting_id)
        ids = list(first_per_group.values())
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
