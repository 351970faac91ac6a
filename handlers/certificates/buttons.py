"""The buttons of /certificate: one typed press per kind, one table dispatching them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from services.texts import N_

PREFIX = "cert1"

BUTTONS = ButtonTable(PREFIX, stale=N_("This button is out of date. Open /certificate."))


@dataclass(frozen=True)
class Request(Press, prefix=PREFIX, action="req"):
    """A member asks for a certificate of participation in the association."""

    association_id: int


@dataclass(frozen=True)
class Publication(Press, prefix=PREFIX, action="pub"):
    material_id: int


@dataclass(frozen=True)
class Download(Press, prefix=PREFIX, action="pdf"):
    certificate_id: int


@dataclass(frozen=True)
class Manage(Press, prefix=PREFIX, action="mng"):
    """The leader's screen of an association's certificates."""

    association_id: int


@dataclass(frozen=True)
class Rules(Press, prefix=PREFIX, action="rules"):
    association_id: int


@dataclass(frozen=True)
class Pending(Press, prefix=PREFIX, action="pend"):
    association_id: int


@dataclass(frozen=True)
class Approve(Press, prefix=PREFIX, action="ok"):
    certificate_id: int


@dataclass(frozen=True)
class Decline(Press, prefix=PREFIX, action="no"):
    certificate_id: int


@dataclass(frozen=True)
class IssueAll(Press, prefix=PREFIX, action="all"):
    """«Issue to all eligible»: the first press shows how many, `confirmed` issues."""

    association_id: int
    confirmed: bool = False


@dataclass(frozen=True)
class Issued(Press, prefix=PREFIX, action="list"):
    association_id: int


@dataclass(frozen=True)
class Revoke(Press, prefix=PREFIX, action="rev"):
    certificate_id: int


@dataclass(frozen=True)
class CorrectName(Press, prefix=PREFIX, action="name"):
    certificate_id: int


@dataclass(frozen=True)
class Registry(Press, prefix=PREFIX, action="reg"):
    association_id: int
    csv: bool = False


@dataclass(frozen=True)
class OpenScreen(Press, prefix=PREFIX, action="open"):
    """The main menu's entry: the /certificate screen."""
