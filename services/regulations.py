"""The association's regulation (положение): drafted from its kind and settings, edited by
the leader section by section (replace a section's text, or restore the drafted one),
previewed as a PDF and approved as numbered versions that stay fixed while a new draft is
edited. A section the leader has not rewritten follows the settings (a renamed association
has a renamed draft).

Members read the latest approved version; newcomers receive it on joining (services/guide.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from documents.regulation import RegulationData, build_regulation
from documents.regulation_text import SECTION_TITLES, RegulationFacts, draft_sections
from documents.regulation_words import clauses_text, parse_clauses
from models import Association, AssociationStatus, MemberRole, StoredFile, User
from models.regulations import RegulationSection, RegulationVersion
from services.access import Actor, require_association_role
from services.associations import get
from services.audit import audit
from services.clock import now
from services.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from services.locks import lock
from services.meetings import NORM
from services.names import short_name
from services.outbox import store_file
from services.texts import N_

SECTIONS = len(SECTION_TITLES)
MIN_SECTION = 10
# A section is shown whole in one message, numbered and under its heading, and offered for
# copying in the question asking for its new text: both within Telegram's 4096 characters.
MAX_SECTION = 3000
SHOWN_VERSIONS = 3


class BadSectionText(InvalidInput):
    message = N_(
        "The text of a section should be {low} to {high} characters long. Write a clause "
        "per line; start a line with «–» for an item of a list."
    )


class NoSuchSection(DomainError):
    message = N_("The regulation has no such section.")


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
class SectionView:
    association_id: int
    association: str
    number: int
    text: str
    edited_at: datetime | None = None  # None: the drafted text
    edited_by: str = ""


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


def clean_section_text(text: str) -> str:
    """A section as stored: a clause per line, «– » before list items, no typed numbers."""
    value = clauses_text(parse_clauses(text))
    if not MIN_SECTION <= len(value) <= MAX_SECTION:
        raise BadSectionText(low=MIN_SECTION, high=MAX_SECTION)
    return value


def _check_number(number: int) -> None:
    if not 1 <= number <= SECTIONS:
        raise NoSuchSection()


# reading -----------------------------------------------------------------------------------


async def family(session: AsyncSession, association: Association) -> tuple[str, tuple[str, ...]]:
    """The names of the association's parent ("" without one) and its active children."""
    parent = (
        await session.get(Association, association.parent_id) if association.parent_id else None
    )
    children = await session.scalars(
        select(Association.name)
        .where(
            Association.parent_id == association.id,
            Association.status == AssociationStatus.ACTIVE,
        )
        .order_by(Association.name)
    )
    return (parent.name if parent else ""), tuple(children.all())


async def facts_of(session: AsyncSession, association: Association) -> RegulationFacts:
    """What the draft is drafted from: the association's kind and settings."""
    parent, children = await family(session, association)
    return RegulationFacts(
        kind=association.kind.value,
        name=association.name,
        period_start=association.period_start,
        period_end=association.period_end,
        organisation=association.organisation or "",
        topic=association.topic or "",
        goals=association.goals or "",
        member_cap=association.member_cap,
        join_policy=association.join_policy.value,
        subject_scope=association.subject_scope.value,
        subjects=tuple(association.subjects or ()),
        parent=parent,
        children=children,
        order_ref=association.order_ref or "",
        meetings_per_year=NORM,
    )


async def _own_wording(session: AsyncSession, association_id: int) -> dict[int, RegulationSection]:
    rows = await session.scalars(
        select(RegulationSection).where(RegulationSection.association_id == association_id)
    )
    return {row.number: row for row in rows.all()}


async def draft_texts(session: AsyncSession, association: Association) -> tuple[str, ...]:
    """The draft's seven texts: the leader's wording where there is one, else drafted."""
    drafted = draft_sections(await facts_of(session, association))
    own = await _own_wording(session, association.id)
    return tuple(
        own[number].text if number in own else text for number, text in enumerate(drafted, 1)
    )


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
        edited=tuple(sorted(await _own_wording(session, association_id))),
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


# the leader's work -------------------------------------------------------------------------


async def _editing(session: AsyncSession, actor: Actor, association_id: int) -> User:
    return await require_association_role(session, actor, association_id, MemberRole.LEADER)


async def section(
    session: AsyncSession, actor: Actor, association_id: int, number: int
) -> SectionView:
    """One section of the draft as the leader sees it."""
    await _editing(session, actor, association_id)
    _check_number(number)
    association = await get(session, association_id)
    own = (await _own_wording(session, association_id)).get(number)
    if own is None:
        text = draft_sections(await facts_of(session, association))[number - 1]
        return SectionView(association.id, association.name, number, text)
    editor = await session.get(User, own.edited_by_user_id) if own.edited_by_user_id else None
    return SectionView(
        association.id,
        association.name,
        number,
        own.text,
        edited_at=own.edited_at,
        edited_by=short_name(editor.full_name) if editor and editor.full_name else "",
    )


async def replace_section(
    session: AsyncSession, actor: Actor, *, association_id: int, number: int, text: str
) -> SectionView:
    """The leader's own wording of a section (InvalidInput explains a text that does not fit)."""
    user = await _editing(session, actor, association_id)
    _check_number(number)
    value = clean_section_text(text)
    await lock(session, Association, association_id)  # one writer of a section at a time
    own = (await _own_wording(session, association_id)).get(number)
    if own is None:
        own = RegulationSection(association_id=association_id, number=number, text=value)
        session.add(own)
    own.text, own.edited_by_user_id, own.edited_at = value, user.id, now()
    await session.flush()
    await _audit(session, actor, "regulation.section", association_id, section=number)
    return await section(session, actor, association_id, number)


async def restore_section(
    session: AsyncSession, actor: Actor, *, association_id: int, number: int
) -> SectionView:
    """Back to the drafted text of a section (nothing happens to a section not rewritten)."""
    await _editing(session, actor, association_id)
    _check_number(number)
    await lock(session, Association, association_id)
    removed = await session.execute(
        delete(RegulationSection).where(
            RegulationSection.association_id == association_id, RegulationSection.number == number
        )
    )
    if removed.rowcount:  # type: ignore[attr-defined]
        await _audit(session, actor, "regulation.restore", association_id, section=number)
    return await section(session, actor, association_id, number)


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
    await _editing(session, actor, association_id)
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


async def approval_offer(session: AsyncSession, actor: Actor, association_id: int) -> Offer:
    """The version the draft would become (NothingToApprove when it is the latest already)."""
    await _editing(session, actor, association_id)
    association = await get(session, association_id)
    latest = await latest_version(session, association_id)
    texts = await draft_texts(session, association)
    if latest is not None and not _differs(latest, texts, association.order_ref):
        raise NothingToApprove(version=latest.version)
    return Offer(association.id, association.name, (latest.version if latest else 0) + 1)


async def approve(
    session: AsyncSession, actor: Actor, *, association_id: int, version: int
) -> VersionView:
    """Approve the draft as `version` (the number the leader was shown, so two approvals
    at once give one version): its texts and PDF are stored and stay fixed."""
    user = await _editing(session, actor, association_id)
    if await session.get(Association, association_id) is None:
        raise NotFound()
    association = await lock(session, Association, association_id)
    latest = await latest_version(session, association_id)
    expected = (latest.version if latest else 0) + 1
    if version != expected:
        raise VersionMoved(version=expected - 1)
    texts = await draft_texts(session, association)
    if latest is not None and not _differs(latest, texts, association.order_ref):
        raise NothingToApprove(version=latest.version)
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
    await _audit(session, actor, "regulation.approve", association_id, version=version)
    return VersionView(
        row.id, row.version, approved_on(row, association), short_name(user.full_name or "")
    )


async def _audit(
    session: AsyncSession, actor: Actor, action: str, association_id: int, **details: object
) -> None:
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action=action,
        target_type="association",
        target_id=association_id,
        **details,
    )
