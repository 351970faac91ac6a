"""Every registration step refuses bad input politely and loses nothing."""

from __future__ import annotations

from sqlalchemy import select

from models import DialogState, User
from tests.flows import button, press, press_edit, say

USER = 710_001


async def _to_name_step(api) -> None:  # type: ignore[no-untyped-def]
    api.add_user(USER, language_code="ru")
    consent = await say(api, USER, "/start", "Согласие")
    await press(api, USER, consent, "✅", "Как вас зовут")


async def test_each_step_explains_what_is_wrong(harness, fake_api):
    await _to_name_step(fake_api)
    reply = await say(fake_api, USER, "Анна1 Петрова", "⚠️")
    assert "фамилию, имя" in reply["text"]
    await fake_api.wait_for_message(USER, "Как вас зовут")
    reply = await say(fake_api, USER, "Анна", "⚠️")
    await say(fake_api, USER, "Петрова Анна Ивановна", "Где вы работаете")
    await say(fake_api, USER, "!!", "⚠️")
    positions = await say(fake_api, USER, "Лицей № 2", "должность")
    # Text where buttons are expected: a hint and the question again.
    await say(fake_api, USER, "учитель", "кнопками")
    subjects = await press(fake_api, USER, positions, "Другое", "учитель-дефектолог")
    subjects = await say(fake_api, USER, "Педагог-организатор", "предметы")
    await press(fake_api, USER, subjects, "Готово", "Выберите хотя бы один предмет")
    subjects = await fake_api.wait_for_message(USER, "предметы")
    subjects = await press_edit(fake_api, USER, subjects, "Физика")
    await press(fake_api, USER, subjects, "Готово", "педагогический стаж")
    await say(fake_api, USER, "много", "от 0 до 60")
    await say(fake_api, USER, "75", "от 0 до 60")
    categories = await say(fake_api, USER, "12 лет", "категорию")
    muni = await press(fake_api, USER, categories, "Высшая", "муниципалитете")
    summary = await press(fake_api, USER, muni, "Пропустить", "Проверьте")
    assert "Муниципалитет не указан" in summary["text"]
    assert "Стаж: 12 лет" in summary["text"]
    await press(fake_api, USER, summary, "💾", "🎉")
    await harness.idle()
    async with harness.sessions() as session:
        user = await session.scalar(select(User).where(User.telegram_id == USER))
    assert user.position == "Педагог-организатор"
    assert user.subjects == ["physics"] and user.experience_years == 12
    assert user.municipality is None


async def test_summary_edit_buttons_change_one_answer(harness, fake_api):
    from tests.flows import register_teacher

    await register_teacher(harness, fake_api, USER)
    # A second registration is not offered to a registered teacher: /start opens the menu.
    reply = await say(fake_api, USER, "/start", "С возвращением")
    assert "С возвращением, Анна Петровна!" in reply["text"]  # name and patronymic
    assert button(reply, "Профиль") == "menu:profile"
    profile = await press(fake_api, USER, reply, "Профиль", "Ваш профиль")
    question = await press(fake_api, USER, profile, "Организация", "Где вы работаете")
    assert question
    await say(fake_api, USER, "Гимназия № 1 <b>&", "Сохранено")
    card = await fake_api.wait_for_message(USER, "Ваш профиль")
    await harness.idle()
    assert card["text"].startswith("Ваш профиль\n")  # the heading's tags became formatting
    assert {"type": "bold", "offset": 0, "length": len("Ваш профиль")} in card["entities"]
    assert "Гимназия № 1 &lt;b&gt;&amp;" not in card["text"]  # the fake shows parsed text
    assert "Гимназия № 1 <b>&" in card["text"]
    async with harness.sessions() as session:
        user = await session.scalar(select(User).where(User.telegram_id == USER))
        assert await session.scalar(select(DialogState)) is None
    assert user.organisation == "Гимназия № 1 <b>&"
