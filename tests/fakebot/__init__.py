"""A fake Telegram Bot API server for tests: ``FakeBotApi`` and its helpers."""

from .errors import ApiError
from .faults import Fault
from .server import Call, FakeBotApi, Violation
from .spec import DEFAULT_SPEC_PATH, Spec, UploadedFile
from .text import parse_html, utf16_len
from .updates import OPT_IN_UPDATES, update_type
from .world import Chat, StoredFile, User

__all__ = [
    "DEFAULT_SPEC_PATH",
    "OPT_IN_UPDATES",
    "ApiError",
    "Call",
    "Chat",
    "FakeBotApi",
    "Fault",
    "Spec",
    "StoredFile",
    "UploadedFile",
    "User",
    "Violation",
    "parse_html",
    "update_type",
    "utf16_len",
]
