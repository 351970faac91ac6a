"""/language and the settings menu (language, newsletters)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.buttons import ButtonTable, Press
from bot.commands import CommandSpec
from bot.context import BotContext
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import ack, alert, show
from bot.settings import SUPPORTED_LANGUAGES
from handlers.cabinet import OpenMenu
from services import users
from services.texts import N_

COMMANDS = [CommandSpec("language", N_("Change the language / Сменить язык"))]

LANGUAGE_NAMES = {"ru": "🇷🇺 Русский", "en": "🇬🇧 English"}

PREFIX = "set"
STALE = N_("This button is out of date.")
BUTTONS = ButtonTable(PREFIX, stale=STALE)


class Switch(enum.Enum):
    ON = "on"
    OFF = "off"


@dataclass(frozen=True)
class OpenLanguages(Press, prefix=PREFIX, action="language"):
    pass


@dataclass(frozen=True)
class SetLanguage(Press, prefix=PREFIX, action="lang"):
    language: str

    def __post_init__(self) -> None:
        if self.language not in SUPPORTED_LANGUAGES:  # a forged code is refused as stale
            raise ValueError(f"not a supported language: {self.language!r}")


@dataclass(frozen=True)
class SetNewsletters(Press, prefix=PREFIX, action="news"):
    switch: Switch


async def choose_language(update: Update, context: BotContext) -> None:
    keyboard = inline(
        [[(LANGUAGE_NAMES[code], SetLanguage(code).data()) for code in SUPPORTED_LANGUAGES]]
    )
    await show(update, context, context.t.gettext("Choose your language:"), keyboard)


async def show_settings(update: Update, context: BotContext) -> None:
    t = context.t
    user = context.user
    if user is None or not user.is_registered:
        await choose_language(update, context)
        return
    newsletters = (
        t.plain("🔔 Newsletters: on")
        if user.newsletters_enabled
        else t.plain("🔕 Newsletters: off")
    )
    toggle = SetNewsletters(Switch.OFF if user.newsletters_enabled else Switch.ON)
    keyboard = inline(
        [
            [(t.plain("🌐 Language"), OpenLanguages().data())],
            [(newsletters, toggle.data())],
            [(t.plain("⬅️ Menu"), OpenMenu().data())],
        ]
    )
    text = t.gettext(
        "<b>Settings</b>\n\nNewsletters are the network methodists' mailings. Official notices "
        "of your own associations (meetings, protocols) reach you in any case."
    )
    await show(update, context, text, keyboard)


@BUTTONS.on(OpenLanguages)
async def _open_languages(update: Update, context: BotContext, press: OpenLanguages) -> None:
    await ack(update)
    await choose_language(update, context)


@BUTTONS.on(SetNewsletters)
async def _set_newsletters(update: Update, context: BotContext, press: SetNewsletters) -> None:
    if context.user is None:
        await alert(update, context.t.plain(STALE))
        return
    await users.set_newsletters(
        context.session, user=context.user, enabled=press.switch is Switch.ON
    )
    await ack(update, context.t.plain("Saved."))
    await show_settings(update, context)


@BUTTONS.on(SetLanguage)
async def _set_language(update: Update, context: BotContext, press: SetLanguage) -> None:
    language = press.language
    person = update.effective_user
    assert person is not None
    user = context.user or await users.ensure_user(
        context.session,
        telegram_id=person.id,
        username=person.username,
        language_code=person.language_code,
    )
    await users.set_language(context.session, user=user, language=language)
    context.scope.user = user
    context.scope.translator = Translator(language)
    await ack(update)
    await show(
        update,
        context,
        context.t.gettext("Done: I will speak English with you.")
        if language == "en"
        else context.t.gettext("Done: I will speak Russian with you."),
    )


def register(app: Application) -> None:
    app.add_handler(CommandHandler("language", choose_language, filters=filters.ChatType.PRIVATE))
    app.add_handler(BUTTONS.handler())
