"""The personal cabinet as a Russian teacher reads it: registration, /profile, /privacy, /admin."""

from __future__ import annotations

from tests.flows import TEACHER, press, register_teacher, say
from tests.harness import ADMIN_ID


def _texts(api, chat_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Every text the person saw in the chat, edits included, as Telegram shows it."""
    return [
        call.result.get("text") or call.result.get("caption") or ""
        for call in api.calls
        if call.ok and isinstance(call.result, dict) and call.params.get("chat_id") == chat_id
    ]


def _labels(api, chat_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        button["text"]
        for call in api.calls
        if call.params.get("chat_id") == chat_id
        for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
        for button in row
    ]


async def test_registration_addresses_the_teacher_by_name_and_patronymic(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER, name="Петрова Елена Ивановна")
    texts = _texts(fake_api, TEACHER)
    consent = next(text for text in texts if "Согласие на обработку" in text)
    assert "Редакция текста согласия от 1 сентября 2026 г." in consent
    assert "электронный секретарь" in consent
    assert "🎉 Регистрация завершена. Добро пожаловать, Елена Ивановна!" in texts
    assert "Выбрано: Первая категория" in texts
    assert {"✅ Даю согласие", "Не даю согласия", "✅ Готово"} <= set(_labels(fake_api, TEACHER))
    shown = "\n".join(texts + _labels(fake_api, TEACHER))
    for calque in (
        "(а)",
        "(на)",
        "Пожалуйста",
        "пожалуйста",
        "Ваша должность?",
        "2026-09-01",
        "..",
    ):
        assert calque not in shown
    back = await say(fake_api, TEACHER, "/start", "С возвращением")
    assert back["text"].startswith("С возвращением, Елена Ивановна!")


async def test_without_a_patronymic_the_first_name_is_used(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER, name="Смирнова Ольга")
    assert "🎉 Регистрация завершена. Добро пожаловать, Ольга!" in _texts(fake_api, TEACHER)


async def test_profile_heading_is_bold_and_every_line_is_capitalised(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    card = await say(fake_api, TEACHER, "/profile", "Ваш профиль")
    lines = card["text"].split("\n")
    assert lines[0] == "Ваш профиль"
    assert {"type": "bold", "offset": 0, "length": len("Ваш профиль")} in card["entities"]
    assert "⏳ Стаж: 2 года" in lines and "🌱 Молодой специалист" in lines
    assert "<b>" not in card["text"]


async def test_privacy_notice_names_the_log_and_dates_the_consent_text(harness, fake_api):
    fake_api.add_user(TEACHER, language_code="ru")
    notice = await say(fake_api, TEACHER, "/privacy", "персональными данными")
    assert "Ведётся журнал действий руководителей и администраторов" in notice["text"]
    assert "подотчётности" not in notice["text"]
    assert notice["text"].endswith("Редакция текста согласия от 1 сентября 2026 г.")


async def test_admin_confirmation_stays_and_the_panel_comes_below_it(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    await register_teacher(harness, fake_api, ADMIN_ID, name="Соколов Пётр Ильич")
    panel = await say(fake_api, ADMIN_ID, "/admin", "Сетевые роли")
    await press(fake_api, ADMIN_ID, panel, "Назначить роль", "Кому назначить")
    people = await say(fake_api, ADMIN_ID, "иванова", "Выберите человека")
    roles = await press(fake_api, ADMIN_ID, people, "Иванова Анна Петровна", "Какую роль")
    assert "утверждающий" in _labels(fake_api, ADMIN_ID)
    await press(fake_api, ADMIN_ID, roles, "утверждающий", "назначена роль")
    panel = await fake_api.wait_for_message(ADMIN_ID, "Сетевые роли")
    confirmation = fake_api.world.chat(ADMIN_ID).messages[roles["message_id"]]
    assert confirmation["text"] == "Иванова Анна Петровна: назначена роль «утверждающий»."
    assert panel["message_id"] > roles["message_id"]
    assert "Иванова Анна Петровна — утверждающий" in panel["text"]
    log = await press(fake_api, ADMIN_ID, panel, "Журнал действий", "Журнал действий")
    assert "выполнил" not in log["text"] and "role.granted" not in log["text"]
    assert "· назначение сетевой роли · Соколов П. И." in log["text"]
    assert " г., " in log["text"]  # a date as Russian paperwork writes it
