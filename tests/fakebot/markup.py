"""Checks on reply markup, the way Telegram validates keyboards."""

from __future__ import annotations

import re
from typing import Any

from .errors import bad_request

MAX_INLINE_BUTTONS = 100
MAX_CALLBACK_DATA = 64
_URL_RE = re.compile(
    r"^(?:(?:https?|tg|ton)://[^\s/?#]+[^\s]*|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#]\S*)?)$",
    re.IGNORECASE,
)
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Validate ``reply_markup``; return it when it is an inline keyboard (kept on the message)."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('can\'t parse inline keyboard: field "inline_keyboard" must be an Array')
    buttons = [button for row in rows for button in row]
    if len(buttons) > MAX_INLINE_BUTTONS:
        raise bad_request("BUTTONS_TOO_MUCH")
    for button in buttons:
        _check_inline_button(button)
    return markup if buttons else None


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not _URL_RE.match(url) or "localhost" in url.lower():
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def callback_datas(markup: dict[str, Any] | None) -> set[str]:
    """All ``callback_data`` values of an inline keyboard."""
    if not markup:
        return set()
    return {
        button["callback_data"]
        for row in markup.get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    }
