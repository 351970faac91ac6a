"""Who receives a newsletter: filters over registered teachers, combinable (all must hold).

- associations: active members of any of the chosen associations;
- role: an association role (`leader`, `secretary`, …; within the chosen associations when
  some are chosen) or a network role (`methodist`, `approver`, `expert`);
- subject, organisation, municipality: the teacher's profile (organisation and municipality
  match when the text is contained, case-insensitively, also for Cyrillic).

Teachers who switched newsletters off are left out unless the newsletter is an official
notice of their own association (`official`). People the bot cannot reach (they blocked
it) and forgotten profiles are always left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, cast, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from models import (
    Association,
    AssociationStatus,
    MemberRole,
    Membership,
    MembershipStatus,
    NetworkRole,
    NetworkRoleGrant,
    User,
)
from services.clock import now
from services.errors import InvalidInput
from services.texts import N_
from services.users import fold

MEMBER_ROLES = {role.value for role in MemberRole}
NETWORK_ROLES = {role.value for role in NetworkRole}


class UnknownRole(InvalidInput):
    message = N_("This role is not known.")


class BadFilterText(InvalidInput):
    message = N_("Write from 2 to 200 characters.")


def clean_filter_text(text: str) -> str:
    """An organisation or municipality to look for: 2 to 200 characters, spaces squeezed."""
    value = " ".join(text.split())
    if not 2 <= len(value) <= 200:
        raise BadFilterText()
    return value


@dataclass(frozen=True)
class Audience:
    associations: tuple[int, ...] = ()
    role: str | None = None
    subject: str | None = None
    organisation: str | None = None
    municipality: str | None = None
    official: bool = False

    @property
    def is_everyone(self) -> bool:
        return not (
            self.associations or self.role or self.subject or self.organisation or self.municipality
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "associations": list(self.associations),
            "role": self.role,
            "subject": self.subject,
            "organisation": self.organisation,
            "municipality": self.municipality,
            "official": self.official,
        }
        return {key: value for key, value in data.items() if value}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Audience:
        data = data or {}
        return cls(
            associations=tuple(int(a) for a in data.get("associations", ())),
            role=data.get("role"),
            subject=data.get("subject"),
            organisation=data.get("organisation"),
            municipality=data.get("municipality"),
            official=bool(data.get("official")),
        )


def _folded_contains(column: Any, text: str) -> ColumnElement[bool]:
    return column.contains(fold(text.strip()) or "", autoescape=True)


def _selected(audience: Audience) -> Select[tuple[User]]:
    """The people the audience selects (a subject in own words is checked after)."""
    query = select(User).where(
        User.telegram_id.is_not(None),
        User.registered_at.is_not(None),
        User.forgotten_at.is_(None),
        User.unreachable_since.is_(None),
    )
    if not audience.official:
        query = query.where(User.newsletters_enabled.is_(True))
    if audience.subject:  # exact for a catalogue key; `_matches` checks own words
        stored = json.dumps(audience.subject)
        query = query.where(cast(User.subjects, Text).contains(stored, autoescape=True))
    if audience.organisation:
        query = query.where(_folded_contains(User.organisation_folded, audience.organisation))
    if audience.municipality:
        query = query.where(_folded_contains(User.municipality_folded, audience.municipality))
    member = select(Membership.id).where(
        Membership.user_id == User.id, Membership.status == MembershipStatus.ACTIVE
    )
    if audience.associations:
        member = member.where(Membership.association_id.in_(audience.associations))
        query = query.where(exists(member))
    if audience.role:
        if audience.role in MEMBER_ROLES:
            query = query.where(exists(member.where(Membership.role == MemberRole(audience.role))))
        elif audience.role in NETWORK_ROLES:
            query = query.where(
                exists(
                    select(NetworkRoleGrant.id).where(
                        NetworkRoleGrant.user_id == User.id,
                        NetworkRoleGrant.role == NetworkRole(audience.role),
                    )
                )
            )
        else:
            raise UnknownRole()
    return query.order_by(User.id)


async def candidates_after(
    session: AsyncSession, audience: Audience, *, after_user_id: int, size: int
) -> Sequence[User]:
    """The next `size` people SQL selects after `after_user_id`, in user id order."""
    query = _selected(audience).where(User.id > after_user_id).limit(size)
    return (await session.scalars(query)).all()


async def claim_page(
    session: AsyncSession,
    owner: Any,
    audience: Audience,
    *,
    cursor: InstrumentedAttribute[int],
    finished: InstrumentedAttribute[datetime | None],
    size: int,
    only_while: Sequence[ColumnElement[bool]] = (),
) -> list[User] | None:
    """The next `size` candidates of `audience` for `owner` (a newsletter, a survey),
    whose `cursor` column holds the last user id taken and `finished` when the last page
    was: a region's audience is written a page per transaction, never whole.

    The page is claimed by moving the cursor in one conditional UPDATE (the row stays
    locked until the commit): None when it is over, another took the page first, or
    `only_while` no longer holds (a newsletter stopped, a survey closed). The people
    returned are those of the page the audience takes."""
    if getattr(owner, finished.key) is not None:
        return None
    await session.flush()  # the refresh below must not lose what the caller changed
    after: int = getattr(owner, cursor.key)
    candidates = await candidates_after(session, audience, after_user_id=after, size=size)
    last_page = len(candidates) < size
    model = type(owner)
    claimed = await session.execute(
        update(model)
        .where(model.id == owner.id, finished.is_(None), cursor == after, *only_while)
        .values(
            {
                cursor.key: after if last_page else candidates[-1].id,
                finished.key: now() if last_page else None,
            }
        )
        .execution_options(synchronize_session=False)
    )
    await session.refresh(owner)
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return [person for person in candidates if _has_subject(audience, person.subjects)]


def _has_subject(audience: Audience, subjects: list[str] | None) -> bool:
    """The subject exactly (SQL's cut of the stored list is exact for a catalogue key)."""
    return not audience.subject or audience.subject in (subjects or [])


def _filtered_after(audience: Audience) -> bool:
    """Whether a filter is checked in Python too: a subject in the teacher's own words. A
    catalogue key (`math`) is exact in SQL: in the stored JSON list it can only appear as a
    whole element, in quotes (a quote inside an element is escaped); the contained texts
    are compared folded (services.users.fold) in SQL."""
    return audience.subject is not None and not _CATALOGUE_KEY.fullmatch(audience.subject)


_CATALOGUE_KEY = re.compile(r"[a-z_]+")


async def recipients(session: AsyncSession, audience: Audience) -> list[tuple[int, int]]:
    """(user id, Telegram chat id) of everyone the audience selects, in user id order
    (columns only: an audience of a whole region loads no entities, and the subjects only
    when a subject in own words needs checking)."""
    if not _filtered_after(audience):
        rows = await session.execute(
            _selected(audience).with_only_columns(User.id, User.telegram_id)
        )
        return [(user_id, chat_id) for user_id, chat_id in rows.all()]
    query = _selected(audience).with_only_columns(User.id, User.telegram_id, User.subjects)
    rows = (await session.execute(query)).all()
    return [
        (user_id, chat_id)
        for user_id, chat_id, subjects in rows
        if _has_subject(audience, subjects)
    ]


async def count(session: AsyncSession, audience: Audience) -> int:
    if not _filtered_after(audience):
        counted = _selected(audience).with_only_columns(func.count()).order_by(None)
        return int(await session.scalar(counted) or 0)
    return len(await recipients(session, audience))


async def association_names(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    """The names of these associations, by id (for describing an audience)."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = await session.execute(
        select(Association.id, Association.name).where(Association.id.in_(wanted))
    )
    return {association_id: name for association_id, name in rows.all()}


async def find_associations(session: AsyncSession, query: str = "") -> list[tuple[int, str]]:
    """Active associations whose name contains `query` (any case, Cyrillic too), by name."""
    rows = await session.execute(
        select(Association.id, Association.name)
        .where(Association.status == AssociationStatus.ACTIVE)
        .order_by(Association.name)
    )
    needle = query.casefold()
    return [
        (association_id, name) for association_id, name in rows.all() if needle in name.casefold()
    ]


async def is_active_association(session: AsyncSession, association_id: int) -> bool:
    association = await session.get(Association, association_id)
    return association is not None and association.status is AssociationStatus.ACTIVE
