"""/upload and /save: uploading to the resource bank and the expert review.

One module per use case: `menu` (/upload, my materials, withdrawing), `form` (the upload
dialog's questions), `files` (its files-or-link step), `summary` (the card with edit
buttons, Submit), `saving` (/save in a group, its deep link), `review` (the queue, the
decisions), `notices`, `wording`, `buttons` (the `upl1` presses). Rules in
services/resources/{drafts,submission,review}.py; the reviewers' daily digest in
scheduler/resource_review.py; archiving the files in bot/archive.py.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot import deeplinks
from bot.commands import Audience, CommandSpec
from handlers.uploads import files, notices, review, summary  # noqa: F401  (routes, steps, notices)
from handlers.uploads.buttons import BUTTONS
from handlers.uploads.menu import upload_command
from handlers.uploads.saving import PAYLOAD, open_saved, save_command, save_in_private
from services.texts import N_

COMMANDS = [
    CommandSpec("upload", N_("Share a material with the resource bank"), Audience.REGISTERED),
    CommandSpec(
        "save",
        N_("Reply to a message with a file: propose it to the resource bank"),
        Audience.REGISTERED,
        private=False,
        group=True,
    ),
]


def register(app: Application) -> None:
    app.add_handler(CommandHandler("upload", upload_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("save", save_command, filters=filters.ChatType.GROUPS))
    app.add_handler(CommandHandler("save", save_in_private, filters=filters.ChatType.PRIVATE))
    app.add_handler(BUTTONS.handler())
    deeplinks.on_payload(PAYLOAD, open_saved)
