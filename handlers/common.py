"""/start, /help, /menu, /cancel, and answers to what the bot does not understand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import deeplinks, dialogs
from bot.buttons import Press, Route
from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.replies import ack, alert, reply
from handlers import admin, privacy, settings
from handlers.cabinet import (
    MENU,
    OpenAdmin,
    OpenHelp,
    OpenMenu,
    OpenPrivacy,
    OpenProfile,
    OpenSettings,
    extend_menu,
    send_menu,
    show_profile,
)
from handlers.registration import start_registration
from services import dialogs as dialog_store
from services.access import leads_any, network_roles
from services.texts import N_

COMMANDS = [
    CommandSpec("start", N_("Start and register")),
    CommandSpec("menu", N_("Main menu")),
    CommandSpec("help", N_("What I can do for you"), group=True),
    CommandSpec("cancel", N_("Leave the current dialog")),
]

__all__ = ["COMMANDS", "extend_menu", "register", "register_fallbacks", "send_menu"]

_registry: list[CommandSpec] = []


def set_command_registry(specs: list[CommandSpec]) -> None:
    """The application tells /help which commands exist."""
    _registry[:] = specs


async def start(update: Update, context: BotContext) -> None:
    if update.effective_chat is None or update.effective_chat.type != "private":
        await reply(
            update,
            context,
            context.t.gettext("Write to me in a private chat: tap my name and press «Start»."),
        )
        return
    payload = deeplinks.clean(context.args[0] if context.args else None)
    user = context.user
    if user is not None and user.is_registered:
        if payload and await deeplinks.act(update, context, payload):
            return
        await send_menu(update, context, greeting=True)
        return
    if payload and not deeplinks.needs_registration(payload):
        await deeplinks.act(update, context, payload)
        return
    turn = await dialogs.active_turn(update, context)
    if turn is not None and turn.dialog.name == "reg":
        if payload:
            turn.put(after=payload)
        await turn.say(context.t.gettext("Let us continue your registration where you stopped."))
        await turn.repeat()
        return
    await start_registration(update, context, payload)


async def help_command(update: Update, context: BotContext) -> None:
    audiences = await _audiences(context)
    t = context.t
    lines = [t.gettext("<b>What you can do here</b>")]
    for spec in _registry:
        if spec.audience in audiences and spec.private:
            lines.append(f"/{spec.name} — {t.gettext(spec.description)}")
    if context.user is None or not context.user.is_registered:
        lines.append("")
        lines.append(t.gettext("Register with /start to join associations."))
    await reply(update, context, "\n".join(lines))


async def _audiences(context: BotContext) -> set[Audience]:
    audiences = {Audience.EVERYONE}
    user = context.user
    if user is None or not user.is_registered:
        return audiences
    audiences.add(Audience.REGISTERED)
    roles = {r.value for r in await network_roles(context.session, user.id)}
    if "methodist" in roles or context.actor.is_platform_admin:
        # Methodists may act as leader in every association (services/access.py).
        audiences.update({Audience.METHODIST, Audience.LEADER})
    if context.actor.is_platform_admin:
        audiences.add(Audience.ADMIN)
    if context.actor.is_platform_admin or await leads_any(context.session, user.id):
        audiences.add(Audience.LEADER)
    return audiences


async def menu(update: Update, context: BotContext) -> None:
    await send_menu(update, context)


def _leading_to(screen: Callable[[Update, BotContext], Awaitable[None]]) -> Route:
    async def route(update: Update, context: BotContext, press: Press) -> None:
        await ack(update)
        await screen(update, context)

    return route


# Main-menu buttons lead to the same code as the commands.
_MENU_SCREENS: list[tuple[type[Press], Callable[[Update, BotContext], Awaitable[None]]]] = [
    (OpenProfile, show_profile),
    (OpenSettings, settings.show_settings),
    (OpenPrivacy, privacy.privacy),
    (OpenHelp, help_command),
    (OpenAdmin, admin.admin_panel),
    (OpenMenu, menu),
]
for _press, _screen in _MENU_SCREENS:
    MENU.on(_press)(_leading_to(_screen))


async def cancel(update: Update, context: BotContext) -> None:
    chat, person = update.effective_chat, update.effective_user
    assert chat is not None and person is not None
    ended = await dialog_store.end(context.session, chat_id=chat.id, user_id=person.id)
    text = (
        context.t.gettext("Cancelled. Nothing more will be asked. /menu opens the main menu.")
        if ended
        else context.t.gettext("There is nothing to cancel.")
    )
    await reply(update, context, text)


async def private_text(update: Update, context: BotContext) -> None:
    """A message outside commands: the open dialog's answer, or a gentle hint."""
    if await dialogs.dispatch_text(update, context):
        return
    await reply(
        update,
        context,
        context.t.gettext(
            "I did not understand this message. Use the buttons or commands: /menu opens the main "
            "menu, /help lists everything I can do."
        ),
    )


async def private_file(update: Update, context: BotContext) -> None:
    if await dialogs.dispatch_file(update, context):
        return
    await reply(
        update,
        context,
        context.t.gettext(
            "Thank you, but I did not expect a file here. To share material with an association, "
            "use /menu."
        ),
    )


async def unknown_command(update: Update, context: BotContext) -> None:
    await reply(
        update,
        context,
        context.t.gettext("I do not know this command. /help lists the commands you can use."),
    )


async def dialog_button(update: Update, context: BotContext) -> None:
    if await dialogs.dispatch_button(update, context):
        await ack(update)
        return
    await stale_button(update, context)


async def stale_button(update: Update, context: BotContext) -> None:
    """Any button nobody recognises: old, from a finished dialog, or forged."""
    await alert(
        update,
        context.t.plain("This button is no longer active. Please open /menu and start again."),
    )


async def edited_message(update: Update, context: BotContext) -> None:
    """Edits are not re-processed: answers are taken as first sent."""
    if update.effective_chat is not None and update.effective_chat.type == "private":
        await reply(
            update,
            context,
            context.t.gettext(
                "I noticed you edited a message. Edits are not applied to answers already given: "
                "please send the corrected answer as a new message."
            ),
        )


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("menu", menu, filters=private))
    app.add_handler(CommandHandler("cancel", cancel))
    app.add_handler(MENU.handler())


def register_fallbacks(app: Application) -> None:
    """Registered last: dialogs get what no command claimed; the rest gets a hint."""
    private = filters.ChatType.PRIVATE
    updates = filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(private & updates & filters.COMMAND, unknown_command))
    app.add_handler(MessageHandler(private & updates & filters.TEXT, private_text))
    app.add_handler(
        MessageHandler(
            private & updates & (filters.Document.ALL | filters.PHOTO | filters.VIDEO),
            private_file,
        )
    )
    app.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, edited_message))
    app.add_handler(MessageHandler(private & updates, private_text))
    app.add_handler(CallbackQueryHandler(dialog_button))
