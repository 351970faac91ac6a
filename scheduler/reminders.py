"""Batched edits of the meetings' RSVP cards (the "meeting-cards" row of scheduler/schedule.py).

Cards: an RSVP only marks the card dirty; this sweep tells an edit of each dirty card at
most once per `CARD_EDIT_INTERVAL` and one card per group per sweep, which keeps a busy
group far below Telegram's 20 per minute. The edit is a `meeting.card` notice with
`edit_of` (worded in handlers/meetings/notices.py, like the card it edits); the outbox
sends it under the same limits as messages, and only the latest pending edit of a card.
The other meeting sweeps are in scheduler/meetings.py and scheduler/protocols.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import OutboxMessage
from models.meetings import Meeting
from services import meetings as service
from services.clock import now
from services.notices import Notice, tell

CARD_EDIT_INTERVAL = timedelta(seconds=4)


async def edit_dirty_cards(session: AsyncSession) -> int:
    """Tell an edit of each card whose counts changed: each card at most once per
    CARD_EDIT_INTERVAL, one card per association per call. Returns the edits told."""
    ids = await _cards_due(session, now())
    edits: list[Notice] = []
    for meeting_id in ids:
        meeting = await session.get_one(Meeting, meeting_id)
        key = service.card_key(meeting)
        chat_id = await session.scalar(
            select(OutboxMessage.chat_id).where(OutboxMessage.dedupe_key == key)
        )
        if chat_id is None:  # no group to show it in
            continue
        view = await service.view_of(session, meeting)
        # No dedupe key: an edit is coalesced on its target (services/outbox.py).
        edits.append(
            Notice("meeting.card", {"view": view}, chat_id=chat_id, edit_of=key, priority=3)
        )
    tell(session, *edits)
    return len(edits)


async def _cards_due(session: AsyncSession, moment: datetime) -> list[int]:
    """The dirty cards whose turn it is, marked clean and edited now."""
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
    # One card per association (its group) per sweep: with a sweep every 4 s a group gets
    # at most 15 card edits a minute, under Telegram's 20, however many cards it has; the
    # others stay dirty for the next sweep, the longest-waiting first.
    first_per_group: dict[int, int] = {}
    for meeting_id, association_id in due.all():
        first_per_group.setdefault(association_id, meeting_id)
    ids = list(first_per_group.values())
    if ids:
        # In the same transaction as the counts read next: a press committed after this
        # marks the card again, for the next sweep.
        await session.execute(
            update(Meeting)
            .where(Meeting.id.in_(ids))
            .values(card_dirty=False, card_edited_at=moment)
        )
    return ids
