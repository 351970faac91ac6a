"""A material as it is read: its card (the draft it was made from), where it is, by whom,
and what happened to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, User
from models.resources import Material, MaterialFile, MaterialKind, MaterialReview
from models.resources import MaterialStatus as Status
from services.names import short_name
from services.resources.drafts import DraftFile, MaterialDraft


@dataclass(frozen=True, slots=True)
class MaterialView:
    """A material as its author and its reviewers read it."""

    material_id: int
    draft: MaterialDraft
    association: str | None  # None: the whole network
    author: str
    status: Status
    comment: str | None
    submitted_at: datetime
    decided_at: datetime | None

    @property
    def title(self) -> str:
        return self.draft.title

    @property
    def kind(self) -> MaterialKind:
        assert self.draft.kind is not None
        return self.draft.kind


async def place_name(session: AsyncSession, association_id: int) -> str | None:
    association = await session.get(Association, association_id)
    return association.name if association is not None else None


async def files_of(session: AsyncSession, material_id: int) -> list[MaterialFile]:
    rows = await session.scalars(
        select(MaterialFile)
        .where(MaterialFile.material_id == material_id)
        .order_by(MaterialFile.position, MaterialFile.id)
    )
    return list(rows.all())


def draft_of(material: Material, files: Sequence[MaterialFile]) -> MaterialDraft:
    grades = (
        (material.grade_from, material.grade_to)
        if material.grade_from is not None and material.grade_to is not None
        else None
    )
    return MaterialDraft(
        files=tuple(
            DraftFile(
                kind=file.kind,
                telegram_file_id=file.telegram_file_id,
                file_unique_id=file.file_unique_id,
                file_name=file.file_name,
                mime_type=file.mime_type,
                size=file.size,
            )
            for file in files
        ),
        url=material.url,
        title=material.title,
        kind=material.kind,
        subject=material.subject,
        grades=grades,
        description=material.description,
        tags=tuple(tag for tag in material.tags.split(", ") if tag),
        association_id=material.association_id,
        network=material.association_id is None,
    )


async def view_of(session: AsyncSession, material: Material) -> MaterialView:
    association = (
        await session.get(Association, material.association_id)
        if material.association_id is not None
        else None
    )
    author = (
        await session.get(User, material.author_user_id)
        if material.author_user_id is not None
        else None
    )
    return MaterialView(
        material_id=material.id,
        draft=draft_of(material, await files_of(session, material.id)),
        association=association.name if association else None,
        author=short_name(author.full_name) if author and author.full_name else "",
        status=material.status,
        comment=material.review_comment,
        submitted_at=material.submitted_at,
        decided_at=material.decided_at,
    )


async def decisions_made(session: AsyncSession, material_id: int) -> int:
    """How many decisions the material has had: the round of its review."""
    count = await session.scalar(
        select(func.count())
        .select_from(MaterialReview)
        .where(MaterialReview.material_id == material_id)
    )
    return count or 0
