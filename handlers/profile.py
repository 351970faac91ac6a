"""/profile: the teacher's card, with a button per field to change it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import parse, pattern
from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, alert, show
from handlers.registration import EDITABLE, edit_buttons, start_field_edit
from services.access import require_registered
from services.catalogs import CATEGORIES, position_title, subject_title
from services.texts import N_

COMMANDS = [CommandSpec("profile", N_("Your profile"), Audience.REGISTERED)]


async def show_profile(update: Update, context: BotContext) -> None:
    user = await require_registered(context.session, context.actor)
    t = context.t
    text = context.render.render(
        "profile.html",
        t,
        heading=t.gettext("<b>Your profile</b>"),
        full_name=user.full_name,
        organisation=user.organisation,
        position=t.plain(position_title(user.position or "")),
        subjects=", ".join(t.plain(subject_title(s)) for s in user.subjects or []),
        experience=user.experience_years,
        category=t.plain(CATEGORIES[user.category]) if user.category else "",
        municipality=user.municipality,
        email=user.email,
        phone=user.phone,
    )
    if user.is_young_specialist:
        text += "\n" + t.gettext("🌱 Young specialist")
    await show(update, context, text, inline(edit_buttons(t, "prof")))


async def edit_field(update: Update, context: BotContext) -> None:
    data = parse(update.callback_query.data if update.callback_query else None)
    field = data.arg(0) if data else None
    if data is None or data.action != "edit" or field not in EDITABLE:
        await alert(update, context.t.plain("This button is out of date. Please open /profile."))
        return
    user = await require_registered(context.session, context.actor)
    await ack(update)
    await start_field_edit(update, context, user, field)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("profile", show_profile, filters=filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(edit_field, pattern=pattern("prof")))
