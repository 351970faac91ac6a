"""The fake Bot API notices markup a person would see as text, unless a person typed it."""

from __future__ import annotations

import pytest

from tests.fakebot import FakeBotApi
from tests.fakebot.text import parse_html
from tests.fakebot.visible_markup import VisibleMarkupCheck

BOT_ID = 123456


def _shown(check: VisibleMarkupCheck, html: str) -> None:
    text, _ = parse_html(html)
    check.check_call("sendMessage", {}, {"message_id": 7, "chat": {"id": 42}, "text": text})


@pytest.mark.parametrize(
    ("html", "fragment"),
    [
        ("&lt;b&gt;Your profile&lt;/b&gt;", "<b>"),
        ("&lt;/i&gt; trailing", "</i>"),
        ("&amp;lt;b&amp;gt;double", "&lt;"),
        ("School &amp;amp; gymnasium", "&amp;"),
        ('&lt;a href="https://x.ru"&gt;link&lt;/a&gt;', '<a href="https://x.ru">'),
    ],
)
def test_escaped_markup_is_a_problem_naming_message_and_tag(html: str, fragment: str) -> None:
    check = VisibleMarkupCheck(BOT_ID)
    _shown(check, html)
    assert check.problems, html
    assert f"shows {fragment!r}" in check.problems[0]
    assert "message 7 in chat 42" in check.problems[0]


def test_real_formatting_and_plain_ampersands_are_fine() -> None:
    check = VisibleMarkupCheck(BOT_ID)
    _shown(check, "<b>Ваш профиль</b>\nСОШ &amp; гимназия &lt; 5 лет, 3 &gt; 2")
    assert check.problems == []


def test_markup_a_user_typed_is_shown_as_they_typed_it() -> None:
    check = VisibleMarkupCheck(BOT_ID)
    check.saw_update({"message": {"from": {"id": 1, "first_name": "Анна"}, "text": "<b>Анна</b>"}})
    _shown(check, "👤 &lt;b&gt;Анна&lt;/b&gt;")
    assert check.problems == []


def test_the_bots_own_message_quoted_in_an_update_is_not_user_input() -> None:
    check = VisibleMarkupCheck(BOT_ID)
    quoted = {"message_id": 3, "from": {"id": BOT_ID}, "text": "<b>leaked</b>"}
    check.saw_update({"callback_query": {"from": {"id": 1}, "message": quoted, "data": "x"}})
    _shown(check, "&lt;b&gt;leaked&lt;/b&gt;")
    assert len(check.problems) == 2  # <b> and </b>


def test_button_labels_and_alerts_are_not_parsed_so_entities_show() -> None:
    check = VisibleMarkupCheck(BOT_ID)
    markup = {"inline_keyboard": [[{"text": "Q &amp; A", "callback_data": "q"}]]}
    check.check_call("sendMessage", {"reply_markup": markup}, {"message_id": 1, "text": "ok"})
    check.check_call("answerCallbackQuery", {"text": "&lt;Nope"}, True)
    assert len(check.problems) == 2
    assert "button 'Q &amp; A'" in check.problems[0]
    assert "alert" in check.problems[1]


async def test_assert_clean_fails_on_markup_shown_as_text() -> None:
    async with FakeBotApi() as api:
        api.add_user(1)
        api.visible_markup.check_call(
            "sendMessage", {}, {"message_id": 1, "chat": {"id": 1}, "text": "<b>x</b>"}
        )
        with pytest.raises(AssertionError, match="markup shown as text: sendMessage message 1"):
            api.assert_clean()
