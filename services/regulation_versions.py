"""The regulation's versions: the leader previews the draft and approves it as a numbered
version whose texts and PDF stay fixed while a new draft is edited; members read the latest
one (newcomers receive it on joining: services/guide.py). The draft itself is in
services/regulations.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from documents.regulation import RegulationData, build_regulation
from models import Association, MemberRole, StoredFile, User
from models.regulations import RegulationVersion
from services.access import Actor, require_association_role
from services.associations import get
from services.clock import now
from services.errors import DomainError, NotFound, PermissionDenied
from services.locks import lock
from services.names import short_name
from services.outbox import store_file
from services.regulations import audit_regulation, draft_texts, own_wording, require_editor
from services.texts import N_

SHOWN_VERSIONS = 3


class NothingToApprove(DomainError):
    message = N_("The draft is the same as the approved version {version}: nothing to approve.")


class VersionMoved(DomainError):
    message = N_("Version {version} has just been approved. Open the regulation again.")


class NotApprovedYet(DomainError):
    message = N_("The regulation of «{name}» has not been approved yet.")


@dataclass(frozen=True)
class Copy:
    """A document to send: the draft, an approved version, or the guide."""

    association: str
    filename: str
    content: bytes
    telegram_file_id: str | None = None  # known once Telegram has the file
    version: int | None = None  # of an approved regulation
    approved_on: date | None = None


@dataclass(frozen=True)
class VersionView:
    id: int
    version: int
    approved_on: date  # in the association's time zone
    approved_by: str


@dataclass(frozen=True)
class Screen:
    """The regulation as its reader sees it: the leader gets the sections and versions to
    work with; anyone else the latest approved copy (`copy`)."""

    association_id: int
    association: str
    editable: bool
    edited: tuple[int, ...] = ()  # sections in the leader's own wording
    versions: tuple[VersionView, ...] = ()  # newest first
    changed: bool = True  # the draft differs from the latest version (or there is none)
    copy: Copy | None = None


async def latest_version(session: AsyncSession, association_id: int) -> RegulationVersion | None:
    return await session.scalar(
        select(RegulationVersion)
        .where(RegulationVersion.association_id == association_id)
        .order_by(RegulationVersion.version.desc())
        .limit(1)
    )


def approved_on(version: RegulationVersion, association: Association) -> date:
    """The day of the approval where the association is."""
    return version.approved_at.astimezone(ZoneInfo(association.timezone)).date()


async def _versions(session: AsyncSession, association: Association) -> tuple[VersionView, ...]:
    rows = await session.execute(
        select(RegulationVersion, User.full_name)
        .outerjoin(User, User.id == RegulationVersion.approved_by_user_id)
        .where(RegulationVersion.association_id == association.id)
        .order_by(RegulationVersion.version.desc())
        .limit(SHOWN_VERSIONS)
    )
    return tuple(
        VersionView(v.id, v.version, approved_on(v, association), short_name(name) if name else "")
        for v, name in rows.all()
    )


async def _may_edit(session: AsyncSession, actor: Actor, association_id: int) -> bool:
    try:
        await require_association_role(session, actor, association_id, MemberRole.LEADER)
    except PermissionDenied:
        return False
    return True


def _differs(version: RegulationVersion | None, texts: Sequence[str], order: str | None) -> bool:
    return version is None or (list(version.sections), version.order_ref) != (list(texts), order)


async def screen(session: AsyncSession, actor: Actor, association_id: int) -> Screen:
    """The regulation for its reader: the leader's working screen, or for a member the
    latest approved copy (NotApprovedYet while there is none)."""
    await require_association_role(session, actor, association_id)
    association = await get(session, association_id)
    if not await _may_edit(session, actor, association_id):
        latest = await latest_version(session, association_id)
        if latest is None:
            raise NotApprovedYet(name=association.name)
        copy = await version_copy(session, association, latest)
        return Screen(association.id, association.name, editable=False, copy=copy)
    texts = await draft_texts(session, association)
    latest = await latest_version(session, association_id)
    return Screen(
        association.id,
        association.name,
        editable=True,
        edited=tuple(sorted(await own_wording(session, association_id))),
        versions=await _versions(session, association),
        changed=_differs(latest, texts, association.order_ref),
    )


async def stored_copy(
    session: AsyncSession,
    association: Association,
    file_id: int,
    version: RegulationVersion | None = None,
) -> Copy:
    """A stored PDF of the association's (an approved `version` of its regulation)."""
    stored = await session.get_one(StoredFile, file_id)
    return Copy(
        association.name,
        stored.filename,
        stored.content,
        stored.telegram_file_id,
        version=version.version if version else None,
        approved_on=approved_on(version, association) if version else None,
    )


async def version_copy(
    session: AsyncSession, association: Association, version: RegulationVersion
) -> Copy:
    return await stored_copy(session, association, version.file_id, version)


async def version_pdf(session: AsyncSession, actor: Actor, version_id: int) -> Copy:
    """An approved version's PDF, as it was approved, for the association's members."""
    version = await session.get(RegulationVersion, version_id)
    if version is None:
        raise NotFound()
    await require_association_role(session, actor, version.association_id)
    return await version_copy(session, await get(session, version.association_id), version)


def _document(
    association: Association, texts: Sequence[str], *, version: int | None
) -> RegulationData:
    return RegulationData(
        name=association.name,
        kind=association.kind.value,
        sections=texts,
        organisation=association.organisation or "",
        order_ref=association.order_ref or "",
        draft=version is None,
        version=version,
    )


async def preview(session: AsyncSession, actor: Actor, association_id: int) -> Copy:
    """The draft as a PDF marked «ПРОЕКТ»."""
    await require_editor(session, actor, association_id)
    association = await get(session, association_id)
    texts = await draft_texts(session, association)
    content = build_regulation(_document(association, texts, version=None))
    return Copy(association.name, "regulation-draft.pdf", content)


@dataclass(frozen=True)
class Offer:
    """What the leader is asked to approve: the draft as `version`."""

    association_id: int
    association: str
    version: int


async def _to_approve(
    session: AsyncSession, association: Association
) -> tuple[RegulationVersion | None, tuple[str, ...]]:
    """The latest version and the draft's texts (NothingToApprove when they are the same)."""
    latest = await latest_version(session, association.id)
    texts = await draft_texts(session, association)
    if latest is not None and not _differs(latest, texts, association.order_ref):
        raise NothingToApprove(version=latest.version)
    return latest, texts


async def approval_offer(session: AsyncSession, actor: Actor, association_id: int) -> Offer:
    """The version the draft would become (NothingToApprove when it is the latest already)."""
    await require_editor(session, actor, association_id)
    association = await get(session, association_id)
    latest, _ = await _to_approve(session, association)
    return Offer(association.id, association.name, (latest.version if latest else 0) + 1)


async def approve(
    session: AsyncSession, actor: Actor, *, association_id: int, version: int
) -> VersionView:
    """Approve the draft as `version` (the number the leader was shown, so two approvals
    at once give one version): its texts and PDF are stored and stay fixed."""
    user = await require_editor(session, actor, association_id)
    await get(session, association_id)  # NotFound before the lock
    association = await lock(session, Association, association_id)
    shown = await latest_version(session, association_id)
    if version != (shown.version if shown else 0) + 1:
        raise VersionMoved(version=shown.version if shown else 0)
    _, texts = await _to_approve(session, association)
    stored = await store_file(
        session,
        filename=f"regulation-v{version}.pdf",
        mime_type="application/pdf",
        content=build_regulation(_document(association, texts, version=version)),
    )
    row = RegulationVersion(
        association_id=association_id,
        version=version,
        sections=list(texts),
        order_ref=association.order_ref,
        file_id=stored.id,
        approved_by_user_id=user.id,
        approved_at=now(),
    )
    session.add(row)
    await session.flush()
    await audit_regulation(session, actor, "regulation.approve", association_id, version=version)
    return VersionView(
        row.id, row.version, approved_on(row, association), short_name(user.full_name or "")
    )
