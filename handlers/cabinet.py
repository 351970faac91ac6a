"""The personal cabinet's shared screens: the main menu and the profile card.

Registration ends on them, /profile and /menu show them, the menu's buttons lead to them;
they live here so that those modules import this one and not each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot.buttons import ButtonTable, Press
from bot.callbacks import cb
from bot.context import BotContext
from bot.i18n import Html, Translator
from bot.keyboards import columns, inline
from bot.render import Renderer
from bot.replies import reply, show
from models import User
from services.access import require_registered
from services.catalogs import CATEGORIES, position_title, subject_title
from services.formatting import address_name
from services.texts import N_

Rows = list[list[tuple[str, str]]]
MenuRows = Callable[[BotContext], Rows]

# The profile's fields, in the order registration asks them.
PROFILE_FIELDS = ["name", "org", "position", "subjects", "experience", "category", "municipality"]

_menu_extensions: list[MenuRows] = []


# main menu -------------------------------------------------------------------------------
MENU_PREFIX = "menu"
# The menu's buttons; handlers/common.py routes them (to the screens of other modules).
MENU = ButtonTable(MENU_PREFIX, stale=N_("This button is out of date. Please open /menu again."))


@dataclass(frozen=True)
class OpenProfile(Press, prefix=MENU_PREFIX, action="profile"):
    pass


@dataclass(frozen=True)
class OpenSettings(Press, prefix=MENU_PREFIX, action="settings"):
    pass


@dataclass(frozen=True)
class OpenPrivacy(Press, prefix=MENU_PREFIX, action="privacy"):
    pass


@dataclass(frozen=True)
class OpenHelp(Press, prefix=MENU_PREFIX, action="help"):
    pass


@dataclass(frozen=True)
class OpenAdmin(Press, prefix=MENU_PREFIX, action="admin"):
    pass


@dataclass(frozen=True)
class OpenMenu(Press, prefix=MENU_PREFIX, action="home"):
    pass


def extend_menu(rows_for: MenuRows) -> None:
    """Let a feature add rows to the main menu: `rows_for(context) -> list[list[Button]]`."""
    _menu_extensions.append(rows_for)


def menu_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    """The main menu's buttons for this person (features add theirs with `extend_menu`)."""
    t = context.t
    rows: Rows = [
        [
            (t.plain("👤 Profile"), OpenProfile().data()),
            (t.plain("⚙️ Settings"), OpenSettings().data()),
        ],
        [
            (t.plain("🔒 Privacy"), OpenPrivacy().data()),
            (t.plain("❓ Help"), OpenHelp().data()),
        ],
    ]
    for extra in _menu_extensions:
        rows.extend(extra(context))
    if context.actor.is_platform_admin:
        rows.append([(t.plain("🛠 Administration"), OpenAdmin().data())])
    return inline(rows)


async def send_menu(update: Update, context: BotContext, *, greeting: bool = False) -> None:
    """The main menu as a new message; `greeting` welcomes a returning person by name."""
    t = context.t
    user = context.user
    if user is None or not user.is_registered:
        await reply(update, context, t.gettext("Please register first: send /start."))
        return
    text = t.gettext("Main menu. Choose what you need:")
    if greeting:
        welcome = t.gettext("Welcome back, {name}!", name=address_name(user.full_name or ""))
        text = Html(f"{welcome}\n\n{text}")
    await reply(update, context, text, menu_keyboard(context))


# profile card ----------------------------------------------------------------------------
def edit_buttons(t: Translator, prefix: str) -> Rows:
    """A «✏️ field» button per profile field, as `<prefix>:edit:<field>`."""
    labels = {
        "name": t.plain("✏️ Name"),
        "org": t.plain("✏️ Organisation"),
        "position": t.plain("✏️ Position"),
        "subjects": t.plain("✏️ Subjects"),
        "experience": t.plain("✏️ Experience"),
        "category": t.plain("✏️ Category"),
        "municipality": t.plain("✏️ Municipality"),
    }
    return columns([(labels[key], cb(prefix, "edit", key)) for key in PROFILE_FIELDS], 2)


def profile_card(
    renderer: Renderer, t: Translator, heading: str, values: Mapping[str, Any]
) -> Html:
    """The profile as the person reads it, under `heading` (`Html`, e.g. from t.gettext).

    `values` has the `User` column names (`profile_values(user)`, or a registration's answers).
    """
    category = values.get("category")
    return renderer.render(
        "profile.html",
        t,
        heading=heading,
        full_name=values.get("full_name"),
        organisation=values.get("organisation"),
        position=t.plain(position_title(values.get("position") or "")),
        subjects=", ".join(t.plain(subject_title(s)) for s in values.get("subjects") or []),
        experience=values.get("experience_years"),
        category=t.plain(CATEGORIES[category]) if category else "",
        municipality=values.get("municipality"),
        email=values.get("email"),
        phone=values.get("phone"),
        young_specialist=bool(values.get("young_specialist")),
    )


def profile_values(user: User) -> dict[str, Any]:
    """What the profile card shows of a registered person."""
    return {
        "full_name": user.full_name,
        "organisation": user.organisation,
        "position": user.position,
        "subjects": list(user.subjects or []),
        "experience_years": user.experience_years,
        "category": user.category,
        "municipality": user.municipality,
        "email": user.email,
        "phone": user.phone,
        "young_specialist": user.is_young_specialist,
    }


async def show_profile(update: Update, context: BotContext) -> None:
    """/profile: the card with a button per field to change it."""
    user = await require_registered(context.session, context.actor)
    t = context.t
    heading = t.gettext("<b>Your profile</b>")
    text = profile_card(context.render, t, heading, profile_values(user))
    await show(update, context, text, inline(edit_buttons(t, "prof")))
