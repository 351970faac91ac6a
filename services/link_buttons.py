"""Link buttons under a message (newsletters, announcements) and web links in general."""

from __future__ import annotations

import re
from collections.abc import Sequence

from services.errors import InvalidInput
from services.texts import N_

MAX_BUTTONS = 5
BUTTON_LABEL_LIMIT = 40
_WEB_LINK = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_BUTTON_LINE = re.compile(r"^(?P<label>.+?)\s+[-—|]\s+(?P<url>\S+)$")


class BadButtonLine(InvalidInput):
    message = N_(
        "I could not read the line «{line}». Write each button as "
        "<i>Label - https://link</i>, one per line."
    )


class BadButtonUrl(InvalidInput):
    message = N_("«{url}» is not a web link. It must start with http:// or https://.")


class TooManyButtons(InvalidInput):
    message = N_("You can add at most {limit} buttons.")


class ButtonLabelTooLong(InvalidInput):
    message = N_("The label «{label}» is too long: at most {limit} characters.")


def is_web_link(text: str) -> bool:
    return _WEB_LINK.match(text) is not None


def parse_buttons(text: str) -> list[dict[str, str]]:
    """`Label - https://link` per line into URL buttons."""
    buttons: list[dict[str, str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _BUTTON_LINE.match(line)
        if match is None:
            raise BadButtonLine(line=line[:80])
        label, url = match["label"].strip(), match["url"].strip()
        if not is_web_link(url):
            raise BadButtonUrl(url=url[:80])
        if len(label) > BUTTON_LABEL_LIMIT:
            raise ButtonLabelTooLong(label=label[:80], limit=BUTTON_LABEL_LIMIT)
        buttons.append({"text": label, "url": url})
    if not buttons:
        raise BadButtonLine(line=text.strip()[:80])
    if len(buttons) > MAX_BUTTONS:
        raise TooManyButtons(limit=MAX_BUTTONS)
    return buttons


def one_per_row(buttons: Sequence[dict[str, str]]) -> list[list[dict[str, str]]] | None:
    """The buttons as keyboard rows (the outbox's `buttons`), each on its own line."""
    return [[button] for button in buttons] or None
