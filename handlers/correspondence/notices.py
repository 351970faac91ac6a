"""How the correspondence's notices read: a relayed message (or answer) to its recipient,
with «Answer», «Refuse» and «Report» under it, and a report to the leader."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from handlers.correspondence.presses import Answer, Refuse, Report
from services.formatting import format_datetime
from services.notices import Notice


def _from(t: Translator, notice: Notice) -> dict[str, str]:
    sender, association = notice.params["sender"], notice.params["association"]
    return {
        "name": sender.full_name or "",
        "organisation": sender.organisation or "—",
        "association": association.name,
        "text": notice.params["message"].text,
    }


@renders("correspondence.message")
def relayed(t: Translator, notice: Notice) -> Rendered:
    message = notice.params["message"]
    words = _from(t, notice)
    if message.reply_to_id is not None:
        text = t.gettext(
            "↩️ <b>{name}</b> ({organisation}, «{association}») answers you:\n"
            "<blockquote>{text}</blockquote>",
            **words,
        )
    else:
        text = t.gettext(
            "✉️ <b>{name}</b> ({organisation}, «{association}») writes to you through the bot:\n"
            "<blockquote>{text}</blockquote>",
            **words,
        )
    buttons = [
        [{"text": t.plain("↩️ Answer"), "callback": Answer(message.id).data()}],
        [
            {"text": t.plain("🚫 Refuse messages"), "callback": Refuse(message.id).data()},
            {"text": t.plain("⚠️ Report abuse"), "callback": Report(message.id).data()},
        ],
    ]
    return Rendered(text, buttons)


@renders("correspondence.report")
def reported(t: Translator, notice: Notice) -> Rendered:
    message, reporter = notice.params["message"], notice.params["reporter"]
    association = notice.params["association"]
    return Rendered(
        t.gettext(
            "⚠️ <b>A report of abuse</b> in «{association}»\n"
            "{reporter} reports a message that {name} ({organisation}) sent them through the bot "
            "on {when}:\n<blockquote>{text}</blockquote>",
            **_from(t, notice),
            reporter=reporter.full_name or "",
            when=format_datetime(message.sent_at, association.timezone, t.language),
        )
    )
