"""How the polls' notices read: the reminder to those who have not answered, the result
in the group and the author's private copy."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from handlers.polls.wording import result_text
from services.formatting import format_datetime
from services.notices import Notice


def message_link(chat_id: int, message_id: int | None) -> str | None:
    """A link to a message of a supergroup (members open it; other chats have none)."""
    digits = str(chat_id)
    if message_id is None or not digits.startswith("-100"):
        return None
    return f"https://t.me/c/{digits[4:]}/{message_id}"


@renders("polls.reminder")
def reminder(t: Translator, notice: Notice) -> Rendered:
    poll, association = notice.params["poll"], notice.params["association"]
    link = message_link(poll.chat_id, poll.message_id)
    return Rendered(
        t.gettext(
            "🗳 A poll in the group of «{name}» is waiting for your answer: «{question}». "
            "It closes {when}.",
            name=association.name,
            question=poll.question,
            when=format_datetime(poll.closes_at, association.timezone, t.language),
        ),
        [[{"text": t.plain("Open the poll"), "url": link}]] if link else None,
    )


@renders("polls.result")
def result_in_group(t: Translator, notice: Notice) -> Rendered:
    return Rendered(result_text(t, notice.params["result"]))


@renders("polls.result_private")
def result_to_author(t: Translator, notice: Notice) -> Rendered:
    result = notice.params["result"]
    return Rendered(
        t.gettext(
            "Your poll in «{name}» is closed.\n\n{result}",
            name=result.association.name,
            result=result_text(t, result),
        )
    )
