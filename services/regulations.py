"""The association's draft regulation (положение): drafted from its kind and settings,
edited by the leader section by section (replace a section's text, or restore the drafted
one). A section the leader has not rewritten follows the settings (a renamed association has
a renamed draft). Its approved versions are in services/regulation_versions.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from documents.regulation_text import SECTION_TITLES, RegulationFacts, draft_sections
from documents.regulation_words import clauses_text, parse_clauses
from models import Association, AssociationStatus, MemberRole, User
from models.regulations import RegulationSection
from services.access import Actor, require_association_role
from services.associations import get
from services.audit import audit
from services.clock import now
from services.errors import DomainError, InvalidInput
from services.locks import lock
from services.meetings import NORM
from services.names import short_name
from services.texts import N_

SECTIONS = len(SECTION_TITLES)
MIN_SECTION = 10
# A section is shown whole in one message, numbered and under its heading, and offered for
# copying in the question asking for its new text: both within Telegram's 4096 characters.
MAX_SECTION = 3000


class BadSectionText(InvalidInput):
    message = N_(
        "The text of a section should be {low} to {high} characters long. Write a clause "
        "per line; start a line with «–» for an item of a list."
    )


class NoSuchSection(DomainError):
    message = N_("The regulation has no such section.")


@dataclass(frozen=True)
class SectionView:
    association_id: int
    association: str
    number: int
    text: str
    edited_at: datetime | None = None  # None: the drafted text
    edited_by: str = ""


def clean_section_text(text: str) -> str:
    """A section as stored: a clause per line, «– » before list items, no typed numbers."""
    value = clauses_text(parse_clauses(text))
    if not MIN_SECTION <= len(value) <= MAX_SECTION:
        raise BadSectionText(low=MIN_SECTION, high=MAX_SECTION)
    return value


def _check_number(number: int) -> None:
    if not 1 <= number <= SECTIONS:
        raise NoSuchSection()


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


async def own_wording(session: AsyncSession, association_id: int) -> dict[int, RegulationSection]:
    rows = await session.scalars(
        select(RegulationSection).where(RegulationSection.association_id == association_id)
    )
    return {row.number: row for row in rows.all()}


async def draft_texts(session: AsyncSession, association: Association) -> tuple[str, ...]:
    """The draft's seven texts: the leader's wording where there is one, else drafted."""
    drafted = draft_sections(await facts_of(session, association))
    own = await own_wording(session, association.id)
    return tuple(
        own[number].text if number in own else text for number, text in enumerate(drafted, 1)
    )


async def require_editor(session: AsyncSession, actor: Actor, association_id: int) -> User:
    return await require_association_role(session, actor, association_id, MemberRole.LEADER)


async def section(
    session: AsyncSession, actor: Actor, association_id: int, number: int
) -> SectionView:
    """One section of the draft as the leader sees it."""
    await require_editor(session, actor, association_id)
    _check_number(number)
    association = await get(session, association_id)
    own = (await own_wording(session, association_id)).get(number)
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
    user = await require_editor(session, actor, association_id)
    _check_number(number)
    value = clean_section_text(text)
    await lock(session, Association, association_id)  # one writer of a section at a time
    own = (await own_wording(session, association_id)).get(number)
    if own is None:
        own = RegulationSection(association_id=association_id, number=number, text=value)
        session.add(own)
    own.text, own.edited_by_user_id, own.edited_at = value, user.id, now()
    await session.flush()
    await audit_regulation(session, actor, "regulation.section", association_id, section=number)
    return await section(session, actor, association_id, number)


async def restore_section(
    session: AsyncSession, actor: Actor, *, association_id: int, number: int
) -> SectionView:
    """Back to the drafted text of a section (nothing happens to a section not rewritten)."""
    await require_editor(session, actor, association_id)
    _check_number(number)
    await lock(session, Association, association_id)
    removed = await session.execute(
        delete(RegulationSection).where(
            RegulationSection.association_id == association_id, RegulationSection.number == number
        )
    )
    if removed.rowcount:  # type: ignore[attr-defined]
        await audit_regulation(session, actor, "regulation.restore", association_id, section=number)
    return await section(session, actor, association_id, number)


async def audit_regulation(
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
