"""/profile: the teacher's card, with a button per field to change it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import parse, pattern
from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.replies import ack, alert
from handlers.cabinet import PROFILE_FIELDS, show_profile
from handlers.registration import start_field_edit
from services.access import require_registered
from services.texts import N_

COMMANDS = [CommandSpec("profile", N_("Your profile"), Audience.REGISTERED)]


async def edit_field(update: Update, context: BotContext) -> None:
    data = parse(update.callback_query.data if update.callback_query else None)
    field = data.arg(0) if data else None
    if data is None or data.action != "edit" or field not in PROFILE_FIELDS:
        await alert(update, context.t.plain("This button is out of date. Please open /profile."))
        return
    user = await require_registered(context.session, context.actor)
    await ack(update)
    await start_field_edit(update, context, user, field)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("profile", show_profile, filters=filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(edit_field, pattern=pattern("prof")))
