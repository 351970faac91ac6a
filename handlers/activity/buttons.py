"""The buttons of the activity screens: one typed press per kind, one table dispatching them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from services.ranking import Span
from services.texts import N_

PREFIX = "act1"

BUTTONS = ButtonTable(
    PREFIX, stale=N_("This button is out of date. Open /members or /portfolio again.")
)


@dataclass(frozen=True)
class OpenRanking(Press, prefix=PREFIX, action="rank"):
    """The ranking of an association for a period, on a page."""

    association_id: int
    span: Span = Span.YEAR
    page: int = 0


@dataclass(frozen=True)
class Nominate(Press, prefix=PREFIX, action="nom"):
    """Begin a nomination list from the ranking of the period."""

    association_id: int
    span: Span = Span.YEAR


@dataclass(frozen=True)
class PastNominations(Press, prefix=PREFIX, action="past"):
    association_id: int


@dataclass(frozen=True)
class NominationPdf(Press, prefix=PREFIX, action="npdf"):
    nomination_id: int


@dataclass(frozen=True)
class OpenPortfolio(Press, prefix=PREFIX, action="pf"):
    """/portfolio for an academic year: 0 this one, 1 the previous one."""

    years_back: int = 0


@dataclass(frozen=True)
class PortfolioPdf(Press, prefix=PREFIX, action="pfpdf"):
    years_back: int = 0
