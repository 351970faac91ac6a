"""The buttons of /contest: one typed press per kind, one table dispatching them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from services.texts import N_

PREFIX = "con1"

BUTTONS = ButtonTable(PREFIX, stale=N_("This button is out of date. Open /contest."))


@dataclass(frozen=True)
class AnnounceIn(Press, prefix=PREFIX, action="assoc"):  # the action choose_association uses
    association_id: int


@dataclass(frozen=True)
class Announce(Press, prefix=PREFIX, action="new"):
    """Start announcing a contest (the association is chosen next)."""


@dataclass(frozen=True)
class AnnounceNetwork(Press, prefix=PREFIX, action="newnet"):
    """Start announcing a network-wide contest (a methodist's)."""


@dataclass(frozen=True)
class Rules(Press, prefix=PREFIX, action="rules"):
    contest_id: int


@dataclass(frozen=True)
class Submit(Press, prefix=PREFIX, action="sub"):
    contest_id: int


@dataclass(frozen=True)
class Replace(Press, prefix=PREFIX, action="rep"):
    """Submit a new version of one's entry (same contest and nomination)."""

    entry_id: int


@dataclass(frozen=True)
class Queue(Press, prefix=PREFIX, action="q"):
    """A juror's queue in a contest."""

    contest_id: int


@dataclass(frozen=True)
class Score(Press, prefix=PREFIX, action="sc"):
    """Open an entry with its files, then the scoring dialog."""

    entry_id: int


@dataclass(frozen=True)
class Manage(Press, prefix=PREFIX, action="mng"):
    """The organiser's screen of a contest: progress, ranking, publishing, PDFs."""

    contest_id: int


@dataclass(frozen=True)
class Publish(Press, prefix=PREFIX, action="pub"):
    """Asks whether to publish; `confirmed` is the second press."""

    contest_id: int
    confirmed: bool = False


@dataclass(frozen=True)
class Protocol(Press, prefix=PREFIX, action="prot"):
    contest_id: int


@dataclass(frozen=True)
class AllDiplomas(Press, prefix=PREFIX, action="dips"):
    contest_id: int


@dataclass(frozen=True)
class Diploma(Press, prefix=PREFIX, action="dip"):
    diploma_id: int


@dataclass(frozen=True)
class Ballot(Press, prefix=PREFIX, action="bal"):
    contest_id: int


@dataclass(frozen=True)
class Vote(Press, prefix=PREFIX, action="vote"):
    contest_id: int
    entry_id: int


@dataclass(frozen=True)
class OpenContests(Press, prefix=PREFIX, action="open"):
    """The main menu's entry: the /contest screen."""


@dataclass(frozen=True)
class Scores(Press, prefix=PREFIX, action="fb"):
    """One's own entry as the jury judged it (after the results)."""

    entry_id: int
