"""Callback data: short strings `prefix:action:arg…`, parsed in one place.

Telegram allows 64 bytes. A prefix names the feature and the format's version (bump it
when a format changes, so old buttons are recognised as stale, not misread).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
_SAFE = re.compile(r"^[A-Za-z0-9_\-.]*$")


@dataclass(frozen=True, slots=True)
class Callback:
    prefix: str
    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int, default: str | None = None) -> str | None:
        return self.args[index] if index < len(self.args) else default

    def int_arg(self, index: int) -> int:
        """An integer argument; ValueError (a forged button) if it is not one."""
        value = self.arg(index)
        if value is None or not value.lstrip("-").isdigit():
            raise ValueError(f"argument {index} of {self} is not an integer")
        return int(value)


def cb(prefix: str, action: str, *args: object) -> str:
    """Encode callback data; refuses what Telegram would refuse."""
    parts = [prefix, action, *(str(a) for a in args)]
    for part in parts:
        if not _SAFE.match(part):
            raise ValueError(f"unsafe callback part {part!r}")
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def parse(data: str | None) -> Callback | None:
    """Decode callback data; None when it is not ours (forged or from an old version)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) < 2 or not all(_SAFE.match(p) for p in parts):
        return None
    return Callback(prefix=parts[0], action=parts[1], args=tuple(parts[2:]))


def pattern(prefix: str) -> re.Pattern[str]:
    """A CallbackQueryHandler pattern matching one prefix."""
    return re.compile(rf"^{re.escape(prefix)}:")
