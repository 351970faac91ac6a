"""Wording the associations' replies and notices share."""

from __future__ import annotations

from bot.i18n import Translator
from models import Association


def in_sentence(title: str) -> str:
    """A capitalised title (a button's label) inside a sentence: «Вступление: открытое»."""
    return title[:1].lower() + title[1:]


def group_invitation(t: Translator, link: str) -> str:
    """How a member gets into the association's group."""
    return t.gettext(
        "💬 The group chat: {link} — send a request to join, and I will approve it.", link=link
    )


def welcome_text(t: Translator, association: Association, chat_link: str | None) -> str:
    """What a new member reads: the greeting, the way into the group, the rules."""
    text = t.gettext("🎉 Welcome to «{name}»!", name=association.name)
    if chat_link:
        text += "\n\n" + group_invitation(t, chat_link)
    if association.rules_text:
        text += "\n\n" + t.gettext("<b>Rules</b>\n{rules}", rules=association.rules_text)
    return text
