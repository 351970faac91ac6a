"""The card sweep keeps a group under Telegram's 20 messages a minute: one card per group
per sweep, however many of its meetings have new RSVPs; other groups are not held up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from handlers.meetings.texts import CardTexts
from models import OutboxMessage, OutboxStatus
from models.db import unit_of_work
from models.meetings import Meeting
from scheduler.outbox import keyboard
from scheduler.reminders import edit_dirty_cards
from services import meetings as service
from services.clock import set_clock
from services.outbox import Outgoing, enqueue
from tests.factories import make_association, make_teacher

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
GROUP_A, GROUP_B = -100_770_001, -100_770_002


async def _meeting_with_card(harness, fake_api, association_id: int, chat_id: int, n: int) -> int:  # type: ignore[no-untyped-def]
    async with unit_of_work(harness.sessions) as session:
        meeting = Meeting(
            association_id=association_id,
            number=n,
            academic_year=2026,
            topic=f"Тема {n}",
            form="webinar",
            starts_at=NOW + timedelta(days=n),
            duration_minutes=60,
            link="https://meet.example.ru/x",
            announced_at=NOW,
            reminders_done=[],
        )
        session.add(meeting)
        await session.flush()
        text, buttons = CardTexts("ru").card(await service.view_of(session, meeting))
        key = service.card_key(meeting)
        meeting_id = meeting.id
    posted = await harness.app.bot.send_message(
        chat_id, text, reply_markup=keyboard([list(r) for r in buttons])
    )
    async with unit_of_work(harness.sessions) as session:
        await enqueue(session, [Outgoing(chat_id=chat_id, text="card", dedupe_key=key)])
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedupe_key == key)
            .values(status=OutboxStatus.SENT, message_id=posted.message_id)
        )
    return meeting_id


async def _dirty(harness, *meeting_ids: int, note: str) -> None:  # type: ignore[no-untyped-def]
    """As a press would: the card's text changes (the topic here, the counts in life)."""
    async with unit_of_work(harness.sessions) as session:
        await session.execute(
            update(Meeting)
            .where(Meeting.id.in_(meeting_ids))
            .values(card_dirty=True, topic=Meeting.topic + note)
        )


async def test_one_card_per_group_per_sweep(harness, fake_api):  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    fake_api.add_chat(GROUP_A, "ВМО математиков")
    fake_api.add_chat(GROUP_B, "ВМО физиков")
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, 770_000)
        math = (await make_association(session, leader=leader, chat_id=GROUP_A)).id
        physics = (await make_association(session, name="ВМО физиков", chat_id=GROUP_B)).id
    a1 = await _meeting_with_card(harness, fake_api, math, GROUP_A, 1)
    a2 = await _meeting_with_card(harness, fake_api, math, GROUP_A, 2)
    b1 = await _meeting_with_card(harness, fake_api, physics, GROUP_B, 3)
    texts = CardTexts("ru")

    await _dirty(harness, a1, a2, b1, note=" (1)")
    edits = len(fake_api.calls_of("editMessageText"))
    assert await edit_dirty_cards(harness.app.bot, harness.sessions, texts) == 2  # A once, B once
    set_clock(lambda: NOW + timedelta(seconds=5))
    assert await edit_dirty_cards(harness.app.bot, harness.sessions, texts) == 1  # A's other
    assert await edit_dirty_cards(harness.app.bot, harness.sessions, texts) == 0
    chats = [c.params["chat_id"] for c in fake_api.calls_of("editMessageText")[edits:]]
    assert sorted(chats) == sorted([GROUP_A, GROUP_B, GROUP_A])

    # a1 edited again later than a2; when both change, a2 (waiting longest) goes first.
    set_clock(lambda: NOW + timedelta(seconds=10))
    await _dirty(harness, a1, note=" (2)")
    assert await edit_dirty_cards(harness.app.bot, harness.sessions, texts) == 1
    set_clock(lambda: NOW + timedelta(minutes=1))
    await _dirty(harness, a1, a2, note=" (3)")
    assert await edit_dirty_cards(harness.app.bot, harness.sessions, texts) == 1
    async with harness.sessions() as session:
        first, second = await session.get(Meeting, a2), await session.get(Meeting, a1)
    assert first is not None and not first.card_dirty
    assert second is not None and second.card_dirty  # its turn is the next sweep
