"""/verify <code> and the QR code's link `/start verify_<code>`: anyone, registered or
not, learns whether a certificate is valid or revoked, to whom and by whom it was issued.
Unknown and forged codes get the same plain answer."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Html, Translator
from bot.replies import reply
from services.formatting import format_date
from services.verification import Verification, verify


def answer(t: Translator, found: Verification | None) -> Html:
    if found is None:
        return t.gettext(
            "No document with this code is found. Check the code: it is printed under the "
            "QR code, ten letters and digits, e.g. <i>K7MXQ-RT4WC</i>."
        )
    details = t.gettext(
        "{title}: {name}\nIssued by: «{issuer}»\nDate of issue: {issued}",
        title=found.title,
        name=found.full_name,
        issuer=found.issuer,
        issued=format_date(found.issued_on, t.language),
    )
    if found.period_start and found.period_end and found.kind == "participation":
        details = t.gettext(
            "{details}\nPeriod: {start} – {end}",
            details=details,
            start=format_date(found.period_start, t.language),
            end=format_date(found.period_end, t.language),
        )
    if found.valid:
        return t.gettext(
            "✅ Document № {number} is valid.\n\n{details}", number=found.number, details=details
        )
    assert found.revoked_on is not None
    return t.gettext(
        "⛔ Document № {number} is revoked on {date}.\nReason: {reason}\n\n{details}",
        number=found.number,
        date=format_date(found.revoked_on, t.language),
        reason=found.revoked_reason or "—",
        details=details,
    )


async def verify_command(update: Update, context: BotContext) -> None:
    text = " ".join(context.args or [])
    if not text.strip():
        await reply(
            update,
            context,
            context.t.gettext(
                "Write the code printed on the certificate after the command: "
                "<i>/verify K7MXQ-RT4WC</i>."
            ),
        )
        return
    await reply(update, context, answer(context.t, await verify(context.session, text)))


async def verify_deep_link(update: Update, context: BotContext, code: str) -> None:
    await reply(update, context, answer(context.t, await verify(context.session, code)))
