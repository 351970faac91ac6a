"""The buttons of /resources: one typed press per kind, one table dispatching them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import ButtonTable, Press
from models.resources import MaterialKind
from services.resources.catalogue import Filters, Order
from services.texts import N_

PREFIX = "res1"

BUTTONS = ButtonTable(PREFIX, stale=N_("This button is out of date. Open /resources."))


@dataclass(frozen=True)
class Home(Press, prefix=PREFIX, action="home"):
    """The bank's menu."""


@dataclass(frozen=True)
class Browse(Press, prefix=PREFIX, action="ls"):
    """A page of the catalogue with these filters (None: any)."""

    association_id: int | None = None
    kind: MaterialKind | None = None
    subject: str | None = None
    grade: int | None = None
    order: Order = Order.NEWEST
    page: int = 0

    @classmethod
    def of(cls, filters: Filters) -> Browse:
        return cls(
            filters.association_id,
            filters.kind,
            filters.subject,
            filters.grade,
            filters.order,
            filters.page,
        )

    def filters(self) -> Filters:
        return Filters(
            self.association_id, self.kind, self.subject, self.grade, self.order, self.page
        )


@dataclass(frozen=True)
class Refine(Press, prefix=PREFIX, action="by"):
    """The choices of one filter (`facet`: a, k, s, g), the others kept."""

    facet: str
    association_id: int | None = None
    kind: MaterialKind | None = None
    subject: str | None = None
    grade: int | None = None
    order: Order = Order.NEWEST


@dataclass(frozen=True)
class Open(Press, prefix=PREFIX, action="card"):
    material_id: int


@dataclass(frozen=True)
class Get(Press, prefix=PREFIX, action="get"):
    material_id: int


@dataclass(frozen=True)
class Search(Press, prefix=PREFIX, action="find"):
    """Asks for the words (dialog `ress`)."""


@dataclass(frozen=True)
class Digest(Press, prefix=PREFIX, action="dig"):
    """The weekly digest of new materials on or off: from the menu (shown again) or from
    the digest itself (settled)."""

    enabled: bool
    menu: bool = True
