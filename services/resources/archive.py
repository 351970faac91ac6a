"""Which files of the bank are to be copied to FILES_DIR, and recording each copy.

A Telegram file id is valid only for the bot that received the file: copies on disk keep
the materials when the bot's token changes (bot/archive.py makes them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.resources import FileKind, Material, MaterialFile
from models.resources import MaterialStatus as Status
from services.clock import now

# The files of materials that are, or may yet be, in the bank.
KEPT = (Status.APPROVED, Status.PENDING, Status.NEEDS_REVISION)


@dataclass(frozen=True, slots=True)
class FileToKeep:
    file_id: int  # MaterialFile.id
    material_id: int
    position: int
    kind: FileKind
    telegram_file_id: str
    file_unique_id: str
    file_name: str | None
    size: int | None
    archived_path: str | None


async def files_to_keep(session: AsyncSession) -> Sequence[FileToKeep]:
    """Every file of a kept material, archived already or not, in a stable order."""
    rows = await session.scalars(
        select(MaterialFile)
        .join(Material, Material.id == MaterialFile.material_id)
        .where(Material.status.in_(KEPT))
        .order_by(MaterialFile.material_id, MaterialFile.position, MaterialFile.id)
    )
    return [
        FileToKeep(
            file_id=row.id,
            material_id=row.material_id,
            position=row.position,
            kind=row.kind,
            telegram_file_id=row.telegram_file_id,
            file_unique_id=row.file_unique_id,
            file_name=row.file_name,
            size=row.size,
            archived_path=row.archived_path,
        )
        for row in rows.all()
    ]


async def mark_archived(session: AsyncSession, file_id: int, path: str) -> None:
    """The file has a copy at `path` (relative to FILES_DIR)."""
    row = await session.get(MaterialFile, file_id)
    if row is not None:
        row.archived_path = path
        row.archived_at = now()
