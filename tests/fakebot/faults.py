"""Fault injection: Telegram errors, HTML gateway errors and dropped connections."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from .errors import ApiError, too_many_requests

BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass
class Fault:
    """One injected failure, matched by method and/or chat, used ``count`` times."""

    method: str | None
    chat_id: int | str | None
    code: int
    retry_after: int
    count: int
    description: str | None
    drop_connection: bool
    after_effect: bool  # the call takes effect, then the answer is lost

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        """Does this fault hit a call of ``method`` with ``params``?"""
        if self.count <= 0:
            return False
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id

    def error(self) -> ApiError:
        """The Telegram-shaped error this fault answers with."""
        if self.code == 429:
            error = too_many_requests(self.retry_after)
            if self.description:
                error.description = self.description
            return error
        return ApiError(self.code, self.description or _default_description(self.code))

    @property
    def raw_html(self) -> bool:
        """A 502 without a description is answered with nginx's HTML page, as in the wild."""
        return self.code == 502 and self.description is None


def _default_description(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return f"Error {code}"


class FaultInjector:
    """Faults waiting to hit matching calls, in the order they were injected."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        """Arm ``fault``."""
        self.faults.append(fault)
        return fault

    def take(self, method: str, params: dict[str, Any]) -> Fault | None:
        """The first armed fault matching this call (its count is used up by one)."""
        if not self.faults:
            return None
        for fault in self.faults:
            if fault.matches(method, params):
                fault.count -= 1
                self.faults = [f for f in self.faults if f.count > 0]
                return fault
        return None
