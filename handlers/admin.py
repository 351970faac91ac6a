"""/admin: platform administrators grant and revoke network roles; recent audit log."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.buttons import ButtonTable, Press
from bot.callbacks import Callback, cb, pattern
from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import Translator
from bot.keyboards import columns, inline
from bot.replies import ack, reply, show
from models import NetworkRole
from services import users
from services.access import require_platform_admin, user_by_telegram_id
from services.errors import DomainError
from services.formatting import format_datetime, short_name
from services.texts import N_, T_

COMMANDS = [CommandSpec("admin", N_("Administration: network roles"), Audience.ADMIN)]

ROLE_NAMES = {
    NetworkRole.METHODIST: T_("network methodist"),
    NetworkRole.APPROVER: T_("approver"),
    NetworkRole.EXPERT: T_("expert"),
}

# What the audit log's action codes mean; a code without a title is shown as it is.
ACTION_TITLES = {
    "announcement.cancel": N_("announcement cancelled"),
    "announcement.publish": N_("announcement published"),
    "association.approve": N_("association approved"),
    "association.bind": N_("group bound to an association"),
    "association.create": N_("association created"),
    "association.edit": N_("association edited"),
    "association.invitation": N_("invitation link created"),
    "association.propose": N_("association proposed"),
    "association.rules": N_("association rules changed"),
    "chat.join_request": N_("request to join a group"),
    "membership.approve": N_("request to join approved"),
    "membership.hand_over": N_("leadership handed over"),
    "membership.join": N_("joined an association"),
    "membership.leave": N_("left an association"),
    "membership.remove": N_("removed from an association"),
    "membership.role": N_("member's role changed"),
    "role.granted": N_("network role granted"),
    "role.revoked": N_("network role revoked"),
    "user.forgotten": N_("personal data erased"),
}

DIALOG = register_dialog(Dialog("adm"))

PREFIX = "admin"
BUTTONS = ButtonTable(PREFIX, stale=N_("This button is out of date."))


@dataclass(frozen=True)
class Grant(Press, prefix=PREFIX, action="grant"):
    pass


@dataclass(frozen=True)
class Revoke(Press, prefix=PREFIX, action="revoke"):
    telegram_id: int
    role: NetworkRole


@dataclass(frozen=True)
class Audit(Press, prefix=PREFIX, action="audit"):
    pass


@dataclass(frozen=True)
class Panel(Press, prefix=PREFIX, action="panel"):
    pass


async def admin_panel(update: Update, context: BotContext) -> None:
    """/admin: who holds which network role, with buttons to revoke, grant and read the log."""
    require_platform_admin(context.actor)
    text, keyboard = await _panel(context)
    await show(update, context, text, keyboard)


async def _panel(context: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    t = context.t
    holders = await users.role_holders(context.session)
    lines = [t.gettext("<b>Network roles</b>")]
    buttons = []
    for user, role in holders:
        lines.append(
            t.gettext(
                "• {name} — {role}", name=user.full_name or "?", role=t.plain(ROLE_NAMES[role])
            )
        )
        buttons.append(
            [
                (
                    t.plain(
                        "✖ {name}: {role}",
                        name=user.full_name or "?",
                        role=t.plain(ROLE_NAMES[role]),
                    ),
                    Revoke(user.telegram_id, role).data(),
                )
            ]
        )
    if not holders:
        lines.append(t.gettext("Nobody has a network role yet."))
    buttons.append([(t.plain("➕ Grant a role"), Grant().data())])
    buttons.append([(t.plain("📜 Recent actions"), Audit().data())])
    return "\n".join(lines), inline(buttons)


async def admin_button(update: Update, context: BotContext) -> None:
    """Every press, a forged one too, must be an administrator's: checked before it is read."""
    require_platform_admin(context.actor)
    await BUTTONS.dispatch(update, context)


@BUTTONS.on(Grant)
async def _grant(update: Update, context: BotContext, press: Grant) -> None:
    await ack(update)
    await DIALOG.start(update, context, "who")


@BUTTONS.on(Revoke)
async def _revoke(update: Update, context: BotContext, press: Revoke) -> None:
    user = await users.revoke_role(
        context.session, actor=context.actor, telegram_id=press.telegram_id, role=press.role
    )
    await ack(update, context.t.plain("Role revoked: {name}", name=user.full_name or ""))
    await admin_panel(update, context)


@BUTTONS.on(Audit)
async def _audit(update: Update, context: BotContext, press: Audit) -> None:
    await ack(update)
    await _show_audit(update, context)


@BUTTONS.on(Panel)
async def _back_to_panel(update: Update, context: BotContext, press: Panel) -> None:
    await ack(update)
    await admin_panel(update, context)


async def _show_audit(update: Update, context: BotContext) -> None:
    t = context.t
    zone = context.settings.default_timezone
    lines = [t.gettext("<b>Recent privileged actions</b>")]
    for entry in await users.recent_actions(context.session, limit=15):
        title = ACTION_TITLES.get(entry.action)
        lines.append(
            t.gettext(
                "{at} · {action} · by {actor}",
                at=format_datetime(entry.at, zone, t.language),
                action=t.plain(title) if title else entry.action,
                actor=_actor(t, entry),
            )
        )
    await show(update, context, "\n".join(lines), inline([[(t.plain("⬅️ Back"), Panel().data())]]))


def _actor(t: Translator, entry: users.LoggedAction) -> str:
    if entry.actor_name:
        return short_name(entry.actor_name)
    if entry.actor_telegram_id is None:
        return t.plain("the bot")
    return t.plain("id {telegram_id}", telegram_id=entry.actor_telegram_id)


# grant dialog -------------------------------------------------------------------------------
async def ask_who(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Whom should I give a role? Send their Telegram id (a number) or a part of their name."
        )
    )


async def on_who(turn: Turn, text: str) -> None:
    session = turn.context.session
    if text.strip().isdigit():
        user = await user_by_telegram_id(session, int(text.strip()))
        found = [user] if user is not None and user.is_registered else []
    else:
        found = await users.search_users(session, text, limit=8)
    if not found:
        await turn.say(
            turn.t.gettext(
                "No registered teacher matches this. They must register in the bot first."
            )
        )
        await turn.repeat()
        return
    buttons = [
        (f"{u.full_name} · {u.organisation}"[:60], cb("adm", "pick", u.telegram_id)) for u in found
    ]
    await turn.say(turn.t.gettext("Choose the person:"), inline(columns(buttons, 1)))


async def on_pick(turn: Turn, data: Callback) -> None:
    if data.action != "pick":
        await turn.repeat()
        return
    try:
        turn.put(telegram_id=data.int_arg(0))
    except ValueError:
        await turn.repeat()
        return
    await turn.goto("role")


async def ask_role(turn: Turn) -> None:
    t = turn.t
    buttons = [
        (t.plain(title), cb("adm", "role", role.value)) for role, title in ROLE_NAMES.items()
    ]
    await turn.show(t.gettext("Which role?"), inline(columns(buttons, 1)))


async def on_role(turn: Turn, data: Callback) -> None:
    try:
        role = NetworkRole(data.arg(0) or "")
    except ValueError:
        await turn.repeat()
        return
    try:
        user = await users.grant_role(
            turn.context.session,
            actor=turn.context.actor,
            telegram_id=turn.data["telegram_id"],
            role=role,
        )
    except DomainError as error:
        await _outcome(turn, turn.t.error(error))
        return
    role_title = turn.t.plain(ROLE_NAMES[role])
    await _outcome(
        turn, turn.t.gettext("{name} is now {role}.", name=user.full_name or "", role=role_title)
    )


async def _outcome(turn: Turn, text: str) -> None:
    """The outcome replaces the question; the panel comes below it, so both stay readable."""
    await turn.finish()
    await turn.show(text)
    panel, keyboard = await _panel(turn.context)
    await reply(turn.update, turn.context, panel, keyboard)


DIALOG.step("who", ask=ask_who, on_text=on_who, on_button=on_pick)
DIALOG.step("role", ask=ask_role, on_button=on_role)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("admin", admin_panel, filters=filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(admin_button, pattern=pattern(PREFIX)))
