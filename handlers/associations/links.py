"""Links into the bot that the associations hand out: join codes and invitations."""

from __future__ import annotations

from telegram import Bot

from models import Association

_bot: list[Bot] = []  # the application's bot, for notices worded outside an update


def use_bot(bot: Bot) -> None:
    """Remember the application's bot (register(app) calls it; the last one built wins)."""
    _bot[:] = [bot]


def bot_link(*, bot: Bot | None = None) -> str:
    """`t.me/<bot>`: the private chat with the bot."""
    return f"https://t.me/{(bot or _bot[0]).username}"


def join_link(association: Association, token: str | None = None, *, bot: Bot | None = None) -> str:
    """`t.me/<bot>?start=join_<code>[-<invitation token>]`."""
    payload = f"join_{association.join_code}" + (f"-{token}" if token else "")
    return f"{bot_link(bot=bot)}?start={payload}"
