"""/certificate and /verify: certificates of participation and of publication.

One module per use case: `member` (/certificate: one's certificates, requests, the PDFs,
publication), `leader` (an association's screen, requests with Approve / Decline, the
batch, revoking, names, the registry), `rules` (the leader's dialog `certr`), `verify`
(/verify and the `verify_` deep link, open to anyone), `notices` (`certificates.*`),
`buttons` (the `cert1` presses). Rules in services/certificates/.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, filters

from bot import deeplinks
from bot.commands import Audience, CommandSpec
from handlers.cabinet import extend_menu
from handlers.certificates import leader, notices, rules  # noqa: F401  (routes, dialogs, notices)
from handlers.certificates.buttons import BUTTONS
from handlers.certificates.member import certificate_command, menu_rows
from handlers.certificates.verify import verify_command, verify_deep_link
from services.texts import N_
from services.verification import DEEP_LINK_PREFIX

_hooked: list[bool] = []

COMMANDS = [
    CommandSpec("certificate", N_("Certificates: mine, requests, issuing"), Audience.REGISTERED),
    CommandSpec("verify", N_("Check a certificate by its code"), Audience.EVERYONE),
]


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("certificate", certificate_command, filters=private))
    app.add_handler(CommandHandler("verify", verify_command, filters=private))
    app.add_handler(BUTTONS.handler())
    deeplinks.on_payload(DEEP_LINK_PREFIX, verify_deep_link, needs_registration=False)
    if not _hooked:  # process-wide: once, even when the application is built again
        _hooked.append(True)
        extend_menu(menu_rows)
