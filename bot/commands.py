"""The command menu: who sees which command, published per language and per scope."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
)

from bot.i18n import Translator
from bot.settings import SUPPORTED_LANGUAGES


class Audience(enum.StrEnum):
    """Who a command is for, to filter /help."""

    EVERYONE = "everyone"
    REGISTERED = "registered"
    LEADER = "leader"
    METHODIST = "methodist"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    description: str  # English source string, marked with N_
    audience: Audience = Audience.EVERYONE
    private: bool = True
    group: bool = False
    group_admin: bool = False
    menu: bool = True  # published in Telegram's command menu


def _commands(specs: Iterable[CommandSpec], t: Translator, where: str) -> list[BotCommand]:
    chosen = [s for s in specs if s.menu and getattr(s, where)]
    return [BotCommand(s.name, t.plain(s.description)[:256]) for s in chosen]


async def publish(bot: Bot, specs: list[CommandSpec], default_language: str) -> None:
    """setMyCommands for private chats, groups and group admins, in every language."""
    group_admin = [s for s in specs if s.group or s.group_admin]
    for language in (*SUPPORTED_LANGUAGES, None):
        t = Translator(language or default_language)
        private = _commands(specs, t, "private")
        group = _commands(specs, t, "group")
        admins = _commands([*group_admin], t, "group") + _commands(
            [s for s in specs if s.group_admin and not s.group], t, "group_admin"
        )
        await bot.set_my_commands(
            private, scope=BotCommandScopeAllPrivateChats(), language_code=language
        )
        await bot.set_my_commands(private, scope=BotCommandScopeDefault(), language_code=language)
        await bot.set_my_commands(
            group, scope=BotCommandScopeAllGroupChats(), language_code=language
        )
        await bot.set_my_commands(
            admins, scope=BotCommandScopeAllChatAdministrators(), language_code=language
        )
