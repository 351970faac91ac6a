"""/announce end to end: formatted text with link buttons → the group (pinned) and every member
privately, with one member who blocked the bot; a scheduled announcement waits; the author's
summary."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models import OutboxMessage, OutboxStatus
from models.associations_extra import Announcement, AnnouncementStatus
from models.db import unit_of_work
from scheduler import jobs
from services.clock import set_clock
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

LEADER = 750_001
MEMBERS = (750_002, 750_003, 750_004)
BLOCKED = 750_004
GROUP = -100_750_001
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
REGISTRATION_BUTTON = [[{"text": "Регистрация", "url": "https://example.org/reg"}]]


async def _world(harness, fake_api):  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    fake_api.add_user(LEADER, "Мария")
    fake_api.add_chat(GROUP, "ВМО математиков", members={LEADER: "creator"})
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Петрова Мария Ивановна")
        club = await make_association(
            session, leader=leader, name="ВМО учителей математики", chat_id=GROUP
        )
        for telegram_id in MEMBERS:
            fake_api.add_user(telegram_id, "Учитель")
            await add_member(session, club, await make_teacher(session, telegram_id))
    fake_api.block(BLOCKED)


async def _toggle(fake_api, message, label: str, became: str):  # type: ignore[no-untyped-def]
    fake_api.user_presses(LEADER, message, button(message, label))

    def current():  # type: ignore[no-untyped-def]
        now = fake_api.world.chat(LEADER).messages[message["message_id"]]
        return now if became in str(now.get("reply_markup")) else None

    return await fake_api.wait_for(current)


async def _settled(harness, chat_id: int) -> OutboxStatus:  # type: ignore[no-untyped-def]
    """The final status of the outbox row for `chat_id`, once the worker has recorded it."""
    for _ in range(100):
        async with harness.sessions() as session:
            status = await session.scalar(
                select(OutboxMessage.status).where(OutboxMessage.chat_id == chat_id)
            )
        if status not in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            return status
        await asyncio.sleep(0.05)
    raise AssertionError(f"the row for {chat_id} is still {status}")


async def _summary(harness) -> None:  # type: ignore[no-untyped-def]
    assert await jobs.run_now(harness.app, "announcement-summaries")


async def test_announcement_to_group_pinned_and_to_members_with_a_blocked_one(harness, fake_api):
    await _world(harness, fake_api)
    await say(fake_api, LEADER, "/announce", "Пришлите объявление")
    await say(fake_api, LEADER, "ой", "от 3 до 3500")
    fake_api.user_sends(LEADER, "Заседание переносится на пятницу")
    await fake_api.wait_for_message(LEADER, "кнопки-ссылки")
    await say(fake_api, LEADER, "Регистрация https://example.org/reg", "Надпись - https://")
    await say(fake_api, LEADER, "Регистрация - ftp://example.org", "не веб-ссылка")
    fake_api.user_sends(LEADER, "Регистрация - https://example.org/reg")
    where = await fake_api.wait_for_message(LEADER, "Куда отправить")
    where = await _toggle(fake_api, where, "Закрепить", "✅ Закрепить")
    where = await _toggle(fake_api, where, "каждому участнику", "✅ Лично каждому")
    when = await press(fake_api, LEADER, where, "Далее", "Когда отправить")
    await say(fake_api, LEADER, "31.02.2026 10:00", "ДД.ММ.ГГГГ ЧЧ:ММ")
    await say(fake_api, LEADER, "25.11.2026 10:00", "уже прошло")
    when = await fake_api.wait_for_message(LEADER, "Когда отправить")
    preview = await press(fake_api, LEADER, when, "Сейчас", "Куда: группа, с закреплением")
    shown = fake_api.sent_to(LEADER)[-2]
    # The preview is the copy members get: the association and the author, then the text.
    assert shown["text"] == (
        "📣 Объявление объединения «ВМО учителей математики» (Петрова М. И.):\n\n"
        "Заседание переносится на пятницу"
    )
    assert shown["reply_markup"]["inline_keyboard"] == REGISTRATION_BUTTON
    await press(fake_api, LEADER, preview, "Отправить", "4 сообщения")
    await harness.idle(0.1)
    await harness.app.bot_data["outbox"].drain()
    posted = await fake_api.wait_for_message(GROUP, "переносится")
    assert posted["message_id"] in fake_api.world.chat(GROUP).pinned
    assert posted["reply_markup"]["inline_keyboard"] == REGISTRATION_BUTTON
    assert posted["text"] == shown["text"]  # the group is told who announces, too
    for telegram_id in MEMBERS[:2]:
        received = await fake_api.wait_for_message(telegram_id, "переносится")
        assert received["reply_markup"]["inline_keyboard"] == REGISTRATION_BUTTON
        assert received["text"] == shown["text"]
    assert await _settled(harness, BLOCKED) == OutboxStatus.BLOCKED
    await _summary(harness)
    await harness.app.bot_data["outbox"].drain()
    summary = await fake_api.wait_for_message(LEADER, "доставлено")
    assert "3 из 4" in summary["text"] and "Заблокировали бота: 1" in summary["text"]


async def test_scheduled_announcement_with_a_photo_waits_for_its_time(harness, fake_api):
    await _world(harness, fake_api)
    await say(fake_api, LEADER, "/announce", "Пришлите объявление")
    fake_api.user_sends_photo(LEADER, caption="Фото с семинара")
    buttons = await fake_api.wait_for_message(LEADER, "кнопки-ссылки")
    where = await press(fake_api, LEADER, buttons, "Без кнопок", "Куда отправить")
    await press(fake_api, LEADER, where, "Далее", "Когда отправить")
    preview = await say(fake_api, LEADER, "27.11.2026 18:00", "27 ноября 2026 г., 18:00")
    assert fake_api.calls_of("sendPhoto")
    await press(fake_api, LEADER, preview, "Отправить", "1 сообщение")
    await harness.idle(0.1)
    await harness.app.bot_data["outbox"].drain()
    assert not [m for m in fake_api.sent_to(GROUP) if m.get("photo")]
    set_clock(lambda: NOW + timedelta(days=2))
    await harness.app.bot_data["outbox"].drain()
    await fake_api.wait_for(lambda: [m for m in fake_api.sent_to(GROUP) if m.get("photo")])
    async with harness.sessions() as session:
        announcement = await session.scalar(select(Announcement))
    assert announcement.file_kind == "photo" and announcement.to_group


async def test_scheduled_announcement_is_cancelled_before_its_time(harness, fake_api):
    await _world(harness, fake_api)
    await say(fake_api, LEADER, "/announce", "Пришлите объявление")
    fake_api.user_sends(LEADER, "Семинар <b>в пятницу</b> отменяется")
    buttons = await fake_api.wait_for_message(LEADER, "кнопки-ссылки")
    where = await press(fake_api, LEADER, buttons, "Без кнопок", "Куда отправить")
    where = await _toggle(fake_api, where, "каждому участнику", "✅ Лично каждому")
    when = await press(fake_api, LEADER, where, "Далее", "Когда отправить")
    assert "Москва (МСК)" in when["text"]
    preview = await say(fake_api, LEADER, "27.11.2026 18:00", "27 ноября 2026 г., 18:00")
    done = await press(fake_api, LEADER, preview, "Отправить", "уйдёт 27 ноября 2026 г., 18:00")
    assert "4 сообщения" in done["text"]

    # Later, from /announce: the scheduled one is listed with its cancel button.
    listing = await say(fake_api, LEADER, "/announce", "Запланированные объявления")
    assert "Семинар <b>в пятницу</b> отменяется" in listing["text"]  # typed, shown as typed
    cancelled = await press(fake_api, LEADER, listing, "Отменить: 27 ноября", "отменено")
    assert "ничего не отправлено" in cancelled["text"]
    await harness.idle(0.1)
    set_clock(lambda: NOW + timedelta(days=2))
    await harness.app.bot_data["outbox"].drain()
    await _summary(harness)
    await harness.app.bot_data["outbox"].drain()
    await harness.idle(0.1)
    for telegram_id in (GROUP, *MEMBERS):
        assert not [m for m in fake_api.sent_to(telegram_id) if "Семинар" in m.get("text", "")]
    assert not [m for m in fake_api.sent_to(LEADER) if "доставлено" in m.get("text", "")]
    async with harness.sessions() as session:
        statuses = set((await session.scalars(select(OutboxMessage.status))).all())
        announcement = await session.scalar(select(Announcement))
    assert statuses == {OutboxStatus.CANCELLED}
    assert announcement.status == AnnouncementStatus.CANCELLED

    # The button of the confirmation, pressed again now, says it is too late.
    fake_api.user_presses(LEADER, done, button(done, "Отменить объявление"))
    await fake_api.wait_for(
        lambda: any(
            "отменить его нельзя" in (a.get("text") or "")
            for a in fake_api.callback_answers.values()
        )
    )
