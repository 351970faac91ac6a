"""Associations: the catalogue and cards, joining, the queue, leaving, the leaders'
requests and invitations, proposals, creation and editing, the rules.

One module per use case; `presses.py` holds the buttons and their tables, `notices.py`
how the feature's notices read. Where /join happens: `joining.py`.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot import deeplinks
from bot.commands import Audience, CommandSpec
from bot.errors import refuse as explain
from handlers.associations import (  # noqa: F401  (each registers its routes or notices)
    card,
    creation,
    editing,
    notices,
    requests,
    rules,
    waiting_list,
)
from handlers.associations.catalogue import catalogue_command, menu_rows
from handlers.associations.creation import new_association, propose
from handlers.associations.joining import join_command, join_deep_link
from handlers.associations.leaving import leave_command
from handlers.associations.links import use_bot
from handlers.associations.presses import STALE, TABLES
from handlers.common import extend_menu
from services.texts import N_

COMMANDS = [
    CommandSpec("associations", N_("Catalogue of associations"), Audience.REGISTERED),
    CommandSpec("join", N_("Join an association by its code"), Audience.REGISTERED),
    CommandSpec("leave", N_("Leave an association"), Audience.REGISTERED),
    CommandSpec("propose", N_("Propose a new association"), Audience.REGISTERED),
    CommandSpec("new_association", N_("Create an association"), Audience.METHODIST),
]

__all__ = ["COMMANDS", "STALE", "explain", "register"]

_hooked: list[bool] = []


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("associations", catalogue_command, filters=private))
    app.add_handler(CommandHandler("join", join_command, filters=private))
    app.add_handler(CommandHandler("leave", leave_command, filters=private))
    app.add_handler(CommandHandler("new_association", new_association, filters=private))
    app.add_handler(CommandHandler("propose", propose, filters=private))
    for table in TABLES:
        app.add_handler(table.handler())
    deeplinks.on_payload("join_", join_deep_link)
    use_bot(app.bot)
    if not _hooked:  # process-wide: once, even when the application is built again
        _hooked.append(True)
        extend_menu(menu_rows)
