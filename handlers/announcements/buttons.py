"""The buttons of /announce outside its dialog: start one for an association, cancel one."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from bot.i18n import Translator
from services.texts import N_

BUTTONS = ButtonTable("an", stale=N_("This button is out of date. Open /announce again."))


@dataclass(frozen=True)
class NewAnnouncement(Press, prefix="an", action="new"):
    association_id: int


@dataclass(frozen=True)
class CancelAnnouncement(Press, prefix="an", action="cancel"):
    announcement_id: int


def cancel_button(t: Translator, announcement_id: int) -> tuple[str, str]:
    return t.plain("✖ Cancel the announcement"), CancelAnnouncement(announcement_id).data()
