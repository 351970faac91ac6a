"""Inline keyboards from plain rows, and the small builders features share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

Button = tuple[str, str]  # (label, callback data)


def inline(rows: Iterable[Sequence[Button]]) -> InlineKeyboardMarkup:
    """Rows of (label, callback data) pairs as an inline keyboard."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def columns(buttons: Sequence[Button], width: int = 2) -> list[list[Button]]:
    """Lay buttons out `width` per row."""
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def url_button(label: str, url: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, url=url)
