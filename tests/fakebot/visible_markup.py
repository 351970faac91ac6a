"""Markup a person would see as text: tags and entities in what the bot shows.

Telegram shows the visible text of an HTML message (tags become formatting, entities become
characters). If that visible text still holds ``<b>``, ``</i>`` or ``&lt;b&gt;``, the bot
escaped markup once too often; ``&amp;amp;`` in the source shows ``&amp;``. Button labels,
alerts and poll texts are not parsed at all, so an entity there is shown as typed.

A fragment counts only when no user typed it: the check remembers every string that
arrived in an update from a person (texts, captions, names, chat titles, file names), so a
teacher who calls herself ``<b>Анна</b>`` sees her name as she wrote it without a problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

_TAG_NAMES = (
    "b|strong|i|em|u|ins|s|strike|del|a|code|pre|span|tg-spoiler|tg-emoji|blockquote|br|p|div"
)
LEAK_RE = re.compile(
    rf"</?(?:{_TAG_NAMES})(?:\s[^<>]*)?/?>|&(?:[a-zA-Z]{{2,8}}|#[0-9]{{1,7}}|#x[0-9a-fA-F]{{1,6}});",
    re.IGNORECASE,
)
_MESSAGE_METHODS_PREFIXES = ("send", "edit", "copy", "forward")
_SHOWN_LIMIT = 120


@dataclass
class VisibleMarkupCheck:
    """Records a problem for each tag or entity the bot shows that no user typed."""

    bot_id: int
    problems: list[str] = field(default_factory=list)
    _typed: set[str] = field(default_factory=set)

    # --- what users sent ---------------------------------------------------------------
    def saw_update(self, update: dict[str, Any]) -> None:
        """Remember every string a person put into ``update`` (not the bot's own messages
        quoted in it, e.g. ``reply_to_message`` or a callback query's ``message``)."""
        self._typed.update(_user_strings(update, self.bot_id))

    def typed(self, fragment: str) -> bool:
        """Did some user type ``fragment`` (as part of anything they sent)?"""
        return any(fragment in text for text in self._typed)

    # --- what the bot shows ------------------------------------------------------------
    def check_call(self, method: str, params: dict[str, Any], result: Any) -> None:
        """Look at what a successful call put in front of people."""
        for where, text in _shown_texts(method, params, result):
            self._check(method, where, text)

    def _check(self, method: str, where: str, text: str) -> None:
        for match in LEAK_RE.finditer(text):
            fragment = match.group(0)
            if self.typed(fragment):
                continue
            self.problems.append(
                f"{method} {where} shows {fragment!r} as text (nobody typed it): "
                f"{_excerpt(text, match.start())!r}"
            )


def _user_strings(value: Any, bot_id: int) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _user_strings(item, bot_id)
    elif isinstance(value, dict):
        sender = value.get("from")
        if isinstance(sender, dict) and sender.get("id") == bot_id and "message_id" in value:
            return  # a bot message quoted in the update: the bot's words, not a user's
        for item in value.values():
            yield from _user_strings(item, bot_id)


def _shown_texts(method: str, params: dict[str, Any], result: Any) -> Iterator[tuple[str, str]]:
    if method == "answerCallbackQuery":
        if params.get("text"):
            yield "alert", str(params["text"])
        return
    if not method.startswith(_MESSAGE_METHODS_PREFIXES):
        return
    messages = result if isinstance(result, list) else [result]
    for message in messages:
        if isinstance(message, dict):
            yield from _message_texts(message)
    yield from _button_labels(params.get("reply_markup"))


def _message_texts(message: dict[str, Any]) -> Iterator[tuple[str, str]]:
    where = f"message {message.get('message_id')} in chat {message.get('chat', {}).get('id')}"
    for key in ("text", "caption"):
        if message.get(key):
            yield f"{where} ({key})", str(message[key])
    poll = message.get("poll")
    if isinstance(poll, dict):
        yield f"{where} (poll question)", str(poll.get("question", ""))
        for option in poll.get("options", []):
            yield f"{where} (poll option)", str(option.get("text", ""))


def _button_labels(markup: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(markup, dict):
        return
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    for row in rows if isinstance(rows, list) else []:
        for button in row if isinstance(row, list) else []:
            label = button.get("text") if isinstance(button, dict) else button
            if isinstance(label, str):
                yield f"button {label!r}", label


def _excerpt(text: str, index: int) -> str:
    start = max(0, index - _SHOWN_LIMIT // 2)
    return text[start : start + _SHOWN_LIMIT]
