"""Language, deep links kept through registration, /mydata and /forget."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot import deeplinks
from bot.replies import reply
from models import Membership, MembershipStatus, User
from tests.factories import add_member, make_association
from tests.flows import TEACHER, press, register_teacher, say


async def test_deep_link_payload_is_acted_on_after_registration(harness, fake_api):
    seen: list[str] = []

    async def remember(update, context, rest):  # type: ignore[no-untyped-def]
        seen.append(rest)
        await reply(update, context, "payload handled")

    deeplinks.on_payload("probe_", remember)
    await register_teacher(harness, fake_api, TEACHER, start="/start probe_ABC123")
    await fake_api.wait_for_message(TEACHER, "payload handled")
    assert seen == ["ABC123"]


async def test_teacher_with_english_telegram_registers_in_english(harness, fake_api):
    user = await register_teacher(
        harness, fake_api, TEACHER, language_code="en", name="Jane Mary Smith"
    )
    assert user.language == "en"
    texts = [m.get("text") or "" for m in fake_api.sent_to(TEACHER)]
    assert any("Registration complete" in t for t in texts)
    assert not any("Регистрация" in t for t in texts)


async def test_language_command_switches_language(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    choice = await say(fake_api, TEACHER, "/language", "Выберите язык")
    await press(fake_api, TEACHER, choice, "English", "I will speak English")
    reply_ = await say(fake_api, TEACHER, "/menu", "Main menu")
    assert "Profile" in json.dumps(reply_["reply_markup"], ensure_ascii=False)
    await harness.idle()
    async with harness.sessions() as session:
        user = await session.scalar(select(User).where(User.telegram_id == TEACHER))
    assert user.language == "en"


async def test_mydata_sends_everything_stored(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    fake_api.user_sends(TEACHER, "/mydata")
    await fake_api.wait_for(lambda: fake_api.calls_of("sendDocument"))
    call = fake_api.calls_of("sendDocument")[-1]
    content = json.loads(next(iter(call.files.values())).decode())
    assert content["profile"]["full_name"] == "Иванова Анна Петровна"
    assert content["profile"]["consent_version"] == harness.settings.consent_version
    assert content["profile"]["telegram_id"] == TEACHER
    assert "memberships" in content and "activity" in content


async def test_forget_erases_profile_and_ends_memberships(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    async with harness.sessions() as session:
        user = await session.scalar(select(User).where(User.telegram_id == TEACHER))
        association = await make_association(session)
        await add_member(session, association, user)
        await session.commit()
    question = await say(fake_api, TEACHER, "/forget", "Удалить ваши персональные данные")
    await press(fake_api, TEACHER, question, "Да, удалить", "удалены")
    await harness.idle()
    async with harness.sessions() as session:
        assert await session.scalar(select(User).where(User.telegram_id == TEACHER)) is None
        tombstone = await session.get(User, user.id)
        membership = await session.scalar(select(Membership))
    assert tombstone.full_name is None and tombstone.organisation is None
    assert tombstone.forgotten_at is not None
    assert membership.status is MembershipStatus.LEFT
    # Coming back later is a fresh start.
    reply_ = await say(fake_api, TEACHER, "/start", "Согласие")
    assert reply_


async def test_forget_can_be_declined(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    question = await say(fake_api, TEACHER, "/forget", "Удалить")
    await press(fake_api, TEACHER, question, "Не удалять", "Ничего не удалено")
    await harness.idle()
    async with harness.sessions() as session:
        assert await session.scalar(select(User).where(User.telegram_id == TEACHER))
