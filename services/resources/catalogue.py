"""The catalogue of the bank (/resources): approved materials, browsed by association,
type, subject and grade, newest or most downloaded first, found by words, opened and taken.

Every registered teacher sees the network's whole bank. Opening a card is a view, taking a
material (Get) a download: each counts on the material (for sorting) and as an activity
event (for the report's demand figures and the member's contribution).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, User
from models.resources import Material, MaterialFile, MaterialKind, MaterialStatus
from services.access import Actor, require_registered
from services.audit import record_activity
from services.errors import NotFound
from services.resources import search
from services.resources.views import MaterialView, files_of, view_of

PAGE_SIZE = 8
VIEWED = "material_viewed"
DOWNLOADED = "material_downloaded"


class Order(enum.StrEnum):
    NEWEST = "new"
    POPULAR = "top"


@dataclass(frozen=True, slots=True)
class Filters:
    """What the catalogue shows: every field None means «any»."""

    association_id: int | None = None
    kind: MaterialKind | None = None
    subject: str | None = None
    grade: int | None = None
    order: Order = Order.NEWEST
    page: int = 0

    def turned_to(self, page: int) -> Filters:
        return replace(self, page=page)


@dataclass(frozen=True, slots=True)
class Item:
    material_id: int
    title: str
    kind: MaterialKind
    downloads: int
    approved_at: datetime | None


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Item]
    total: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class Facets:
    """The choices that lead somewhere: only what approved materials have."""

    associations: list[tuple[int, str]]
    kinds: list[MaterialKind]
    subjects: list[str]


@dataclass(frozen=True, slots=True)
class Card:
    view: MaterialView
    views: int
    downloads: int
    approved_at: datetime | None


def _approved() -> ColumnElement[bool]:
    return Material.status == MaterialStatus.APPROVED


def _conditions(filters: Filters) -> list[ColumnElement[bool]]:
    conditions = [_approved()]
    if filters.association_id is not None:
        conditions.append(Material.association_id == filters.association_id)
    if filters.kind is not None:
        conditions.append(Material.kind == filters.kind)
    if filters.subject is not None:
        conditions.append(Material.subject == filters.subject)
    if filters.grade is not None:
        conditions += [Material.grade_from <= filters.grade, Material.grade_to >= filters.grade]
    return conditions


def _item(material: Material) -> Item:
    return Item(
        material.id, material.title, material.kind, material.downloads, material.approved_at
    )


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


async def browse(
    session: AsyncSession, actor: Actor, filters: Filters, *, size: int = PAGE_SIZE
) -> Page:
    await require_registered(session, actor)
    conditions = _conditions(filters)
    total = await session.scalar(select(func.count()).select_from(Material).where(*conditions))
    pages = _pages(total or 0, size)
    page = min(max(filters.page, 0), pages - 1)
    order = (
        (Material.downloads.desc(), Material.id.desc())
        if filters.order is Order.POPULAR
        else (Material.approved_at.desc(), Material.id.desc())
    )
    rows = await session.scalars(
        select(Material).where(*conditions).order_by(*order).limit(size).offset(page * size)
    )
    return Page([_item(m) for m in rows], total or 0, page, pages)


async def find(
    session: AsyncSession, actor: Actor, words: str, *, page: int = 0, size: int = PAGE_SIZE
) -> Page:
    """Materials matching the words, best first (services/resources/search.py)."""
    await require_registered(session, actor)
    hits, total = await search.search(session, words, limit=size, offset=max(page, 0) * size)
    found = {
        m.id: m
        for m in await session.scalars(
            select(Material).where(Material.id.in_([h.material_id for h in hits]), _approved())
        )
    }
    items = [_item(found[h.material_id]) for h in hits if h.material_id in found]
    return Page(items, total, max(page, 0), _pages(total, size))


async def facets(session: AsyncSession, actor: Actor) -> Facets:
    await require_registered(session, actor)
    associations = await session.execute(
        select(Association.id, Association.name)
        .where(
            Association.id.in_(
                select(Material.association_id)
                .where(_approved(), Material.association_id.is_not(None))
                .distinct()
            )
        )
        .order_by(Association.name)
    )
    kinds = await session.scalars(select(Material.kind).where(_approved()).distinct())
    subjects = await session.scalars(
        select(Material.subject).where(_approved(), Material.subject.is_not(None)).distinct()
    )
    order = list(MaterialKind)
    return Facets(
        associations=[(row.id, row.name) for row in associations],
        kinds=sorted(kinds.all(), key=order.index),
        subjects=sorted(subject for subject in subjects.all() if subject),
    )


async def _approved_material(session: AsyncSession, material_id: int) -> Material:
    material = await session.get(Material, material_id)
    if material is None or material.status is not MaterialStatus.APPROVED:
        raise NotFound()
    return material


async def _count(session: AsyncSession, user: User, material: Material, kind: str) -> None:
    column = Material.views if kind == VIEWED else Material.downloads
    await session.execute(
        update(Material).where(Material.id == material.id).values({column: column + 1})
    )
    await record_activity(
        session,
        kind=kind,
        user_id=user.id,
        association_id=material.association_id,
        ref_id=material.id,
    )


async def open_card(session: AsyncSession, actor: Actor, material_id: int) -> Card:
    """The material's card; opening it counts as a view."""
    user = await require_registered(session, actor)
    material = await _approved_material(session, material_id)
    await _count(session, user, material, VIEWED)
    await session.refresh(material, ["views", "downloads"])
    return Card(
        await view_of(session, material), material.views, material.downloads, material.approved_at
    )


async def take(
    session: AsyncSession, actor: Actor, material_id: int
) -> tuple[Material, list[MaterialFile]]:
    """The material's files (or link) for Get; taking it counts as a download."""
    user = await require_registered(session, actor)
    material = await _approved_material(session, material_id)
    await _count(session, user, material, DOWNLOADED)
    return material, await files_of(session, material.id)
