"""Reusable user journeys for end-to-end tests."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from models import User
from tests.fakebot import FakeBotApi
from tests.harness import BotHarness

TEACHER = 700_001


def button(message: dict[str, Any], label_part: str) -> str:
    """The callback data of the button whose label contains `label_part`."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    for row in rows:
        for item in row:
            if label_part in item["text"]:
                return item["callback_data"]
    labels = [item["text"] for row in rows for item in row]
    raise AssertionError(f"no button with {label_part!r} among {labels}")


async def say(
    api: FakeBotApi, user_id: int, text: str, expect: str | None = None, *, new: bool = False
) -> dict:
    """The user writes; returns the bot's next message (containing `expect`; with `new`,
    a message sent after this, not an earlier one edited)."""
    api.user_sends(user_id, text)
    return await api.wait_for_message(user_id, expect, edits=False if new else None)


async def press(
    api: FakeBotApi,
    user_id: int,
    message: dict,
    label: str,
    expect: str | None = None,
    *,
    new: bool = False,
) -> dict:
    """The user presses a button; the bot's next message (containing `expect`; with `new`,
    a message sent after the press, not an earlier one edited)."""
    api.user_presses(user_id, message, button(message, label))
    return await api.wait_for_message(user_id, expect, edits=False if new else None)


async def press_edit(api: FakeBotApi, user_id: int, message: dict, label: str) -> dict:
    """Press a button that edits its own message; returns the edited message."""
    before = len(api.calls)
    api.user_presses(user_id, message, button(message, label))
    await api.wait_for(
        lambda: any(
            c.method.startswith(("editMessage", "answerCallbackQuery")) for c in api.calls[before:]
        )
    )
    await api.wait_for(lambda: any(c.method == "answerCallbackQuery" for c in api.calls[before:]))
    return api.world.chat(user_id).messages[message["message_id"]]


async def register_teacher(
    harness: BotHarness,
    api: FakeBotApi,
    user_id: int,
    *,
    start: str = "/start",
    name: str = "Иванова Анна Петровна",
    language_code: str = "ru",
) -> User:
    """The whole registration as a teacher answers it; returns the saved profile."""
    if user_id not in api.world.users:
        api.add_user(user_id, first_name="Анна", language_code=language_code)
    consent = await say(api, user_id, start, "Согласие" if language_code == "ru" else "Consent")
    await press(
        api, user_id, consent, "✅", "Как вас зовут" if language_code == "ru" else "full name"
    )
    await say(api, user_id, name)
    positions = await say(api, user_id, "МБОУ «СОШ № 5»")
    subjects = await press(
        api, user_id, positions, "Учитель" if language_code == "ru" else "Teacher"
    )
    subjects = await press_edit(
        api, user_id, subjects, "Математ" if language_code == "ru" else "Math"
    )
    other = await press(
        api, user_id, subjects, "Другой" if language_code == "ru" else "Other subject"
    )
    subjects = await say(api, user_id, "Астрономия")
    await press(api, user_id, subjects, "Готово" if language_code == "ru" else "Done")
    categories = await say(api, user_id, "2")
    await press(api, user_id, categories, "Первая" if language_code == "ru" else "First")
    summary = await say(api, user_id, "г. Тверь")
    await press(api, user_id, summary, "💾", "🎉")
    await harness.idle(0.1)
    # The update commits after its replies; with WORKERS > 1 in another process, which
    # harness.idle does not see: wait for the row rather than for a fixed time.
    user = await _registered(harness, user_id)
    assert user is not None and user.is_registered, api.dump()
    del other
    return user


async def _registered(harness: BotHarness, user_id: int, attempts: int = 100) -> User | None:
    user = None
    for _ in range(attempts):
        async with harness.sessions() as session:
            user = await session.scalar(select(User).where(User.telegram_id == user_id))
        if user is not None and user.is_registered:
            break
        await asyncio.sleep(0.05)
    return user
