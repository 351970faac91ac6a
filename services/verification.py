"""Checking an issued document by its printed code: certificates, diplomas, whatever is issued.

Every feature that issues verifiable documents registers a lookup for its codes
(`@verifier`); `/verify`, the `verify_` deep link and the public web page all call
:func:`verify`, so a code is answered the same way wherever it is asked.

Codes are 10 characters from an alphabet without look-alikes (no 0/O, 1/I, 2/Z, 5/S, 8/B),
printed as two groups of five (``K7MXQ-RT4WC``); 26 ** 10 ≈ 1.4·10¹⁴ codes, so guessing one
takes tens of trillions of tries — and the web page limits tries per address.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession

CODE_ALPHABET = "34679ACDEFGHJKLMNPQRTUVWXY"  # no 0 O 1 I 2 Z 5 S 8 B look-alikes
CODE_LENGTH = 10
DEEP_LINK_PREFIX = "verify_"

_SEPARATORS = re.compile(r"[\s\-–—_.]+")


@dataclass(frozen=True, slots=True)
class Verification:
    """What anyone may learn about an issued document: no personal data beyond these."""

    code: str  # normalised, 10 characters
    number: str  # the registry number printed on it, e.g. «ВМО-2026-0001»
    kind: str  # "participation", "publication", "diploma", …
    title: str  # what it is, in Russian as printed: «Сертификат участника», «Диплом победителя»
    full_name: str  # the recipient, nominative
    issuer: str  # the association (or the contest's organiser) that issued it
    issued_on: date
    period_start: date | None = None
    period_end: date | None = None
    revoked_on: date | None = None
    revoked_reason: str | None = None

    @property
    def valid(self) -> bool:
        return self.revoked_on is None


Lookup = Callable[[AsyncSession, str], Awaitable[Verification | None]]
_LOOKUPS: list[Lookup] = []


def verifier(lookup: Lookup) -> Lookup:
    """Register a feature's lookup of its codes (called with a normalised code)."""
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)
    return lookup


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """A code as typed or printed (any case, with or without the dash) → normalised, or None."""
    code = _SEPARATORS.sub("", text or "").upper()
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return None
    return code


def printed_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


async def verify(session: AsyncSession, text: str) -> Verification | None:
    """The document behind a code as typed; None for unknown and malformed codes alike."""
    code = normalize_code(text)
    if code is None:
        return None
    for lookup in _LOOKUPS:
        found = await lookup(session, code)
        if found is not None:
            return found
    return None


def verification_link(code: str, *, bot_username: str | None, web_base_url: str | None) -> str:
    """Where a QR code points: the public web page when there is one, else the bot's deep link."""
    if web_base_url:
        return f"{web_base_url.rstrip('/')}/verify/{quote(code)}"
    if not bot_username:
        raise ValueError("a verification link needs the bot's username or WEB_BASE_URL")
    return f"https://t.me/{bot_username}?start={DEEP_LINK_PREFIX}{code}"


__all__ = [
    "CODE_ALPHABET",
    "DEEP_LINK_PREFIX",
    "Lookup",
    "Verification",
    "new_code",
    "normalize_code",
    "printed_code",
    "verification_link",
    "verifier",
    "verify",
]
