"""Inline keyboards from plain rows, and the small builders features share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

Button = tuple[str, str]  # (label, callback data)


def inline(rows: Iterable[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """Rows of (label, callback data) pairs as an inline keyboard; None when there are no
    buttons (Telegram refuses an empty keyboard)."""
    keyboard = [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row]
        for row in rows
        if row
    ]
    return InlineKeyboardMarkup(keyboard) if keyboard else None


def columns(buttons: Sequence[Button], width: int = 2) -> list[list[Button]]:
    """Lay buttons out `width` per row."""
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def url_button(label: str, url: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, url=url)
