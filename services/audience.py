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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, cast, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

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


def _contains(haystack: str | None, needle: str | None) -> bool:
    if not needle:
        return True
    return needle.casefold().strip() in (haystack or "").casefold()


def _folded_contains(column: Any, text: str) -> ColumnElement[bool]:
    return column.contains(fold(text.strip()) or "", autoescape=True)


def _selected(audience: Audience) -> Select[tuple[User]]:
    """The people the database can filter on (subject and texts are matched after)."""
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


@dataclass(frozen=True)
class Page:
    """A page of an audience in user id order: the people it takes, and the id to go on
    after (None when this was the last page)."""

    people: list[User]
    next_after: int | None


async def recipient_page(
    session: AsyncSession, audience: Audience, *, after_user_id: int, size: int
) -> Page:
    """The audience's people after `after_user_id`, `size` candidates at a time: a region's
    audience is read a page per transaction, never whole (services.newsletters.fan_out)."""
    page = await session.scalars(_selected(audience).where(User.id > after_user_id).limit(size))
    candidates = page.all()
    return Page(
        people=[
            person
            for person in candidates
            if _matches(audience, person.subjects, person.organisation, person.municipality)
        ],
        next_after=candidates[-1].id if len(candidates) == size else None,
    )


def _matches(
    audience: Audience,
    subjects: list[str] | None,
    organisation: str | None,
    municipality: str | None,
) -> bool:
    """The filters the database does not apply: the subject list and the contained texts."""
    return (
        (not audience.subject or audience.subject in (subjects or []))
        and _contains(organisation, audience.organisation)
        and _contains(municipality, audience.municipality)
    )


def _filtered_after(audience: Audience) -> bool:
    """Whether a filter is checked in Python too: a subject in the teacher's own words. A
    catalogue key (`math`) is exact in SQL: in the stored JSON list it can only appear as a
    whole element, in quotes (a quote inside an element is escaped); the contained texts
    are compared folded (services.users.fold) in SQL."""
    return audience.subject is not None and not _CATALOGUE_KEY.fullmatch(audience.subject)


_CATALOGUE_KEY = re.compile(r"[a-z_]+")


async def recipients(session: AsyncSession, audience: Audience) -> list[tuple[int, int]]:
    """(user id, Telegram chat id) of everyone the audience selects, in user id order
    (columns only: an audience of a whole region loads no entities, and the texts matched
    after the database only when a filter needs them)."""
    if not _filtered_after(audience):
        rows = await session.execute(
            _selected(audience).with_only_columns(User.id, User.telegram_id)
        )
        return [(user_id, chat_id) for user_id, chat_id in rows.all()]
    query = _selected(audience).with_only_columns(
        User.id, User.telegram_id, User.subjects, User.organisation, User.municipality
    )
    rows = (await session.execute(query)).all()
    return [
        (user_id, chat_id)
        for user_id, chat_id, subjects, organisation, municipality in rows
        if _matches(audience, subjects, organisation, municipality)
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
