"""Strange and hostile input gets a polite answer and breaks nothing."""

from __future__ import annotations

from sqlalchemy import select

from models import User
from tests.flows import TEACHER, press, register_teacher, say


async def test_html_in_names_is_refused_and_in_organisations_escaped(harness, fake_api):
    fake_api.add_user(TEACHER)
    consent = await say(fake_api, TEACHER, "/start", "Согласие")
    await press(fake_api, TEACHER, consent, "✅", "Как вас зовут")
    await say(fake_api, TEACHER, "<b>Иванова</b> & Анна", "⚠️")
    await say(fake_api, TEACHER, "Иванова Анна", "Где вы работаете")
    positions = await say(fake_api, TEACHER, "Школа <script>&amp;</script>", "должность")
    assert positions
    fake_api.assert_clean()  # every message the bot sent parsed as valid Telegram HTML


async def test_long_messages_emoji_stickers_and_unknown_commands(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    reply = await say(fake_api, TEACHER, "я" * 4096, "не понял")
    assert "/menu" in reply["text"]
    await say(fake_api, TEACHER, "👍🏽🎓📚", "не понял")
    fake_api.user_sends_sticker(TEACHER)
    await fake_api.wait_for_message(TEACHER, "не понял")
    reply = await say(fake_api, TEACHER, "/frobnicate now", "Такой команды")
    assert "/help" in reply["text"]
    fake_api.user_sends_document(TEACHER, "plan.docx", b"PK\x03\x04", "application/msword")
    await fake_api.wait_for_message(TEACHER, "здесь файл не нужен")


async def test_edited_message_is_not_taken_as_a_new_answer(harness, fake_api):
    fake_api.add_user(TEACHER)
    consent = await say(fake_api, TEACHER, "/start", "Согласие")
    await press(fake_api, TEACHER, consent, "✅", "Как вас зовут")
    update = fake_api.user_sends(TEACHER, "Петрова Анна Ивановна")
    await fake_api.wait_for_message(TEACHER, "Где вы работаете")
    fake_api.user_edits(TEACHER, update["message"], "Сидорова Анна Ивановна")
    await fake_api.wait_for_message(TEACHER, "отредактировали")
    await harness.idle()
    from models import DialogState

    async with harness.sessions() as session:
        state = await session.get(DialogState, (TEACHER, TEACHER))
    assert state.data["name"] == "Петрова Анна Ивановна" and state.step == "org"


async def test_forged_and_stale_buttons_get_a_polite_alert(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    menu = fake_api.last_message(TEACHER)
    forged = {
        **menu,
        "reply_markup": {
            "inline_keyboard": [
                [{"text": "x", "callback_data": "admin:revoke:1:methodist"}],
                [{"text": "y", "callback_data": "reg:save"}],
                [{"text": "z", "callback_data": "nonsense"}],
            ]
        },
    }
    fake_api.world.chat(TEACHER).messages[menu["message_id"]] = forged
    for data in ("admin:revoke:1:methodist", "reg:save", "nonsense"):
        before = len(fake_api.calls_of("answerCallbackQuery"))
        fake_api.user_presses(TEACHER, forged, data)
        await fake_api.wait_for(lambda b=before: len(fake_api.calls_of("answerCallbackQuery")) > b)
        answer = fake_api.calls_of("answerCallbackQuery")[-1].params
        assert answer.get("show_alert") is True
        assert "доступно только" in answer["text"] or "больше не действует" in answer["text"]
    await harness.idle()
    async with harness.sessions() as session:
        user = await session.scalar(select(User).where(User.telegram_id == TEACHER))
    assert user.is_registered
