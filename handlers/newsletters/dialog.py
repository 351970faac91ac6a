"""The /newsletter dialog: its name is the prefix of its buttons (nl:…)."""

from __future__ import annotations

from bot.dialogs import Dialog
from bot.dialogs import register as register_dialog

DIALOG = register_dialog(Dialog("nl"))
