"""The card sweep keeps a group under Telegram's 20 messages a minute: one card per group
per sweep, however many of its meetings have new RSVPs; other groups are not held up. The
edits are outbox rows, sent by the delivery worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.i18n import Translator
from handlers.meetings.texts import card as card_words
from models import OutboxMessage, OutboxStatus
from models.db import unit_of_work
from models.meetings import Meeting
from scheduler.outbox import keyboard
from scheduler.reminders import CARD_EDIT_INTERVAL, edit_dirty_cards
from services import meetings as service
from services.clock import set_clock
from services.outbox import Outgoing, enqueue
from tests.delivery import sweep_committed
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button

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
        text, buttons = card_words(await service.view_of(session, meeting), Translator("ru"))
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


async def _sweep(harness) -> int:  # type: ignore[no-untyped-def]
    """The card sweep as the runner runs it, then the outbox delivers what it enqueued."""
    enqueued = await sweep_committed(harness.sessions, edit_dirty_cards)
    await harness.app.bot_data["outbox"].drain()
    return enqueued


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

    await _dirty(harness, a1, a2, b1, note=" (1)")
    edits = len(fake_api.calls_of("editMessageText"))
    assert await _sweep(harness) == 2  # A once, B once
    set_clock(lambda: NOW + timedelta(seconds=5))
    assert await _sweep(harness) == 1  # A's other
    assert await _sweep(harness) == 0
    chats = [c.params["chat_id"] for c in fake_api.calls_of("editMessageText")[edits:]]
    assert sorted(chats) == sorted([GROUP_A, GROUP_B, GROUP_A])

    # a1 edited again later than a2; when both change, a2 (waiting longest) goes first.
    set_clock(lambda: NOW + timedelta(seconds=10))
    await _dirty(harness, a1, note=" (2)")
    assert await _sweep(harness) == 1
    set_clock(lambda: NOW + timedelta(minutes=1))
    await _dirty(harness, a1, a2, note=" (3)")
    assert await _sweep(harness) == 1
    async with harness.sessions() as session:
        first, second = await session.get(Meeting, a2), await session.get(Meeting, a1)
    assert first is not None and not first.card_dirty
    assert second is not None and second.card_dirty  # its turn is the next sweep


async def test_a_burst_of_200_presses_ends_in_a_handful_of_edits(harness, fake_api):  # type: ignore[no-untyped-def]
    """150 members press, 50 of them change their mind: the card ends right, after a few
    edits the outbox sent within the group's 20 a minute."""
    moment = [NOW]
    set_clock(lambda: moment[0])
    fake_api.add_chat(GROUP_A, "ВМО математиков")
    members = [780_000 + i for i in range(150)]
    async with unit_of_work(harness.sessions) as session:
        association = await make_association(
            session, leader=await make_teacher(session, 770_000), chat_id=GROUP_A
        )
        for telegram_id in members:
            fake_api.add_user(telegram_id, "Учитель")
            await add_member(session, association, await make_teacher(session, telegram_id))
        association_id = association.id
    meeting_id = await _meeting_with_card(harness, fake_api, association_id, GROUP_A, 1)
    async with harness.sessions() as session:
        card_row = await session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.kind == "text", OutboxMessage.chat_id == GROUP_A
            )
        )
    card = fake_api.world.chat(GROUP_A).messages[card_row.message_id]
    labels = ["Буду", "Возможно", "Не смогу"]
    presses = [(m, labels[i % 3]) for i, m in enumerate(members)]
    presses += [(m, "Не смогу") for m in members[:150:3][:50]]  # 50 "Буду" change their mind
    answers = {m: label for m, label in presses}
    before = len(fake_api.calls_of("answerCallbackQuery"))
    # Waves of ten at once, the card sweep after each, one (simulated) second apart.
    for start in range(0, len(presses), 10):
        for telegram_id, label in presses[start : start + 10]:
            fake_api.user_presses(telegram_id, card, button(card, label))
        await fake_api.wait_for(
            lambda n=start + 10: len(fake_api.calls_of("answerCallbackQuery")) >= before + n
        )
        moment[0] += timedelta(seconds=1)
        await _sweep(harness)
    await harness.idle()
    moment[0] += CARD_EDIT_INTERVAL
    await _sweep(harness)

    shown = fake_api.world.chat(GROUP_A).messages[card_row.message_id]["text"]
    expected = {label: list(answers.values()).count(label) for label in labels}
    assert expected == {"Буду": 0, "Возможно": 50, "Не смогу": 100}
    assert "Возможно: 50" in shown and "Не смогут: 100" in shown and "Будут: 0" in shown
    edits = [c for c in fake_api.calls_of("editMessageText") if c.params["chat_id"] == GROUP_A]
    assert 2 <= len(edits) <= 8  # 20 simulated seconds, one edit at most every 4 s
    async with harness.sessions() as session:
        sent = (
            await session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.edit_of
                    == service.card_key(await session.get_one(Meeting, meeting_id)),
                    OutboxMessage.status == OutboxStatus.SENT,
                )
            )
        ).all()
    assert len(sent) == len(edits)  # every edit left through the outbox
    to_group = sorted(c.time for c in fake_api.calls if c.params.get("chat_id") == GROUP_A)
    assert all(sum(1 for t in to_group if first <= t < first + 60) <= 20 for first in to_group)
    fake_api.assert_clean()
