"""/privacy, /mydata (everything stored, as a file) and /forget (erase after confirmation)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from io import BytesIO

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler, filters

from bot.buttons import ButtonTable, Press
from bot.commands import CommandSpec
from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, reply, show
from services import privacy as privacy_service
from services.clock import now
from services.formatting import format_edition
from services.texts import N_

COMMANDS = [
    CommandSpec("privacy", N_("How your data is handled")),
    CommandSpec("mydata", N_("Download everything stored about you")),
    CommandSpec("forget", N_("Erase your personal data")),
]

PREFIX = "forget"
BUTTONS = ButtonTable(PREFIX, stale=N_("This button is out of date."))


@dataclass(frozen=True)
class Erase(Press, prefix=PREFIX, action="yes"):
    pass


@dataclass(frozen=True)
class Keep(Press, prefix=PREFIX, action="no"):
    pass


async def privacy(update: Update, context: BotContext) -> None:
    edition = format_edition(context.settings.consent_version, context.t.language)
    text = context.render.render("privacy.html", context.t, edition=edition)
    await reply(update, context, text)


async def my_data(update: Update, context: BotContext) -> None:
    data = await privacy_service.export_personal_data(context.session, actor=context.actor)
    data["exported_at"] = now().isoformat()
    content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    await context.bot.send_document(
        update.effective_chat.id,  # type: ignore[union-attr]
        InputFile(BytesIO(content), filename="my-data.json"),
        caption=context.t.gettext("Everything the bot stores about you, as of now."),
        parse_mode="HTML",
    )


async def forget(update: Update, context: BotContext) -> None:
    t = context.t
    if context.user is None or context.user.forgotten_at is not None:
        await reply(update, context, t.gettext("The bot stores no personal data about you."))
        return
    keyboard = inline(
        [
            [(t.plain("🗑 Yes, erase my data"), Erase().data())],
            [(t.plain("Keep my data"), Keep().data())],
        ]
    )
    await reply(
        update,
        context,
        t.gettext(
            "<b>Erase your personal data?</b>\n\nYour profile will be deleted and you will leave "
            "all associations. Anonymous statistics (for example, how many people attended a "
            "meeting) stay; protocols and certificates already issued remain school records. "
            "This cannot be undone."
        ),
        keyboard,
    )


@BUTTONS.on(Keep)
async def _keep(update: Update, context: BotContext, press: Keep) -> None:
    await ack(update)
    await show(update, context, context.t.gettext("Nothing was erased."))


@BUTTONS.on(Erase)
async def _erase(update: Update, context: BotContext, press: Erase) -> None:
    t = context.t
    await ack(update)
    await privacy_service.forget(context.session, actor=context.actor)
    context.scope.user = None
    await show(
        update,
        context,
        t.gettext(
            "Your personal data has been erased. Thank you for your work with us! "
            "Send /start if you ever want to come back."
        ),
    )


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("privacy", privacy, filters=private))
    app.add_handler(CommandHandler("mydata", my_data, filters=private))
    app.add_handler(CommandHandler("forget", forget, filters=private))
    app.add_handler(BUTTONS.handler())
