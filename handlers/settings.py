"""/language and the settings menu (language, newsletters)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import cb, parse, pattern
from bot.commands import CommandSpec
from bot.context import BotContext
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import ack, alert, show
from bot.settings import SUPPORTED_LANGUAGES
from services import users
from services.texts import N_

COMMANDS = [CommandSpec("language", N_("Change the language / Сменить язык"))]

LANGUAGE_NAMES = {"ru": "🇷🇺 Русский", "en": "🇬🇧 English"}


async def choose_language(update: Update, context: BotContext) -> None:
    keyboard = inline(
        [[(LANGUAGE_NAMES[code], cb("set", "lang", code)) for code in SUPPORTED_LANGUAGES]]
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
    keyboard = inline(
        [
            [(t.plain("🌐 Language"), cb("set", "language"))],
            [(newsletters, cb("set", "news", "off" if user.newsletters_enabled else "on"))],
            [(t.plain("⬅️ Menu"), cb("menu", "home"))],
        ]
    )
    text = t.gettext(
        "<b>Settings</b>\n\nNewsletters are the network methodists' mailings. Official notices "
        "of your own associations (meetings, protocols) reach you in any case."
    )
    await show(update, context, text, keyboard)


async def settings_button(update: Update, context: BotContext) -> None:
    data = parse(update.callback_query.data if update.callback_query else None)
    if data is None:
        await alert(update, context.t.plain("This button is out of date."))
        return
    if data.action == "language":
        await ack(update)
        await choose_language(update, context)
    elif data.action == "lang" and data.arg(0) in SUPPORTED_LANGUAGES:
        await _set_language(update, context, data.arg(0))  # type: ignore[arg-type]
    elif data.action == "news" and data.arg(0) in ("on", "off") and context.user is not None:
        await users.set_newsletters(context.session, user=context.user, enabled=data.arg(0) == "on")
        await ack(update, context.t.plain("Saved."))
        await show_settings(update, context)
    else:
        await alert(update, context.t.plain("This button is out of date."))


async def _set_language(update: Update, context: BotContext, language: str) -> None:
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
    app.add_handler(CallbackQueryHandler(settings_button, pattern=pattern("set")))
