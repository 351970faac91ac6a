"""Teachers: first contact, registration, profile, language, network roles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import NetworkRole, NetworkRoleGrant, QualificationCategory, User
from services.access import Actor, require_platform_admin, user_by_telegram_id
from services.audit import audit, recent_audit
from services.catalogs import POSITIONS, SUBJECTS
from services.clock import now
from services.errors import (
    AlreadyHasRole,
    DoesNotHaveRole,
    InvalidInput,
    NotRegistered,
    UnknownUser,
)
from services.texts import N_

MAX_SUBJECTS = 8
MAX_EXPERIENCE_YEARS = 60
_NAME_PART = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class BadFullName(InvalidInput):
    message = N_(
        "Please write your surname, first name and patronymic (if you have one) in full, in "
        "letters, for example: Ivanova Anna Petrovna."
    )


class BadOrganisation(InvalidInput):
    message = N_("Please write the name of your school or organisation (3 to 300 characters).")


class BadText(InvalidInput):
    message = N_("Please write between {low} and {high} characters.")


class BadExperience(InvalidInput):
    message = N_("Please send the number of full years of teaching experience, from 0 to 60.")


class BadSubjects(InvalidInput):
    message = N_("Please choose at least one subject (at most {limit}).")


class BadEmail(InvalidInput):
    message = N_(
        "This does not look like an e-mail address. Send an address like ivanova@school.ru."
    )


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def clean_full_name(text: str) -> str:
    """Two to four words of letters (hyphens and apostrophes allowed), 5–200 characters."""
    name = _squeeze(text)
    parts = name.split(" ")
    if not 2 <= len(parts) <= 4 or not 5 <= len(name) <= 200:
        raise BadFullName()
    if not all(_NAME_PART.match(part) for part in parts):
        raise BadFullName()
    return name


def clean_text(text: str, *, low: int, high: int) -> str:
    value = _squeeze(text)
    if not low <= len(value) <= high:
        raise BadText(low=low, high=high)
    return value


def clean_organisation(text: str) -> str:
    value = _squeeze(text)
    if not 3 <= len(value) <= 300 or not any(ch.isalpha() for ch in value):
        raise BadOrganisation()
    return value


def clean_experience(text: str) -> int:
    value = text.strip().split(" ")[0] if text.strip() else ""
    if not value.isdigit() or int(value) > MAX_EXPERIENCE_YEARS:
        raise BadExperience()
    return int(value)


def clean_subjects(subjects: Sequence[str]) -> list[str]:
    unique = list(dict.fromkeys(s for s in subjects if s))
    if not 1 <= len(unique) <= MAX_SUBJECTS:
        raise BadSubjects(limit=MAX_SUBJECTS)
    return unique


def clean_email(text: str) -> str:
    value = text.strip()
    if not _EMAIL.match(value) or len(value) > 200:
        raise BadEmail()
    return value


@dataclass
class Profile:
    """What registration collects. Keys for catalogue choices, free text otherwise."""

    full_name: str
    organisation: str
    position: str
    subjects: list[str] = field(default_factory=list)
    experience_years: int = 0
    category: QualificationCategory = QualificationCategory.NONE
    municipality: str | None = None


async def known_user(
    session: AsyncSession, *, telegram_id: int, username: str | None, language_code: str | None
) -> User | None:
    """The person's row if they have one, with the Telegram username kept current.

    Nobody gets a row just for writing in a group: a row starts with registration
    (or with choosing a language).
    """
    user = await user_by_telegram_id(session, telegram_id)
    if user is None:
        return None
    if user.telegram_username != username:
        user.telegram_username = username
    if language_code and user.telegram_language != language_code:
        user.telegram_language = language_code
    return user


async def register(
    session: AsyncSession,
    *,
    telegram_id: int,
    profile: Profile,
    consent_version: str,
    consent_at: object | None = None,
    language: str | None = None,
) -> User:
    """Save a completed registration together with the consent it was given under."""
    user = await user_by_telegram_id(session, telegram_id)
    if user is None:
        user = User(telegram_id=telegram_id)
        session.add(user)
    _apply_profile(user, profile)
    user.consent_version = consent_version
    user.consent_at = consent_at or now()  # type: ignore[assignment]
    user.registered_at = user.registered_at or now()
    user.forgotten_at = None
    if language:
        user.language = language
    # No flush here: the row is written at the update's commit, so SQLite's write lock is
    # not held while the bot answers. Whoever needs `user.id` next triggers the flush.
    return user


def _apply_profile(user: User, profile: Profile) -> None:
    user.full_name = clean_full_name(profile.full_name)
    user.organisation = clean_organisation(profile.organisation)
    user.position = (
        profile.position
        if profile.position in POSITIONS
        else clean_text(profile.position, low=2, high=100)
    )
    user.subjects = clean_subjects(profile.subjects)
    user.experience_years = profile.experience_years
    user.category = profile.category
    user.municipality = profile.municipality
    refresh_folded(user)


def refresh_folded(user: User) -> None:
    """Keep the folded columns (the search, the newsletter filters) in step with the name,
    the organisation and the municipality."""
    parts = (user.full_name, user.organisation)
    user.search_text = " ".join(p for p in parts if p).casefold() or None
    user.organisation_folded = fold(user.organisation)
    user.municipality_folded = fold(user.municipality)


def fold(text: str | None) -> str | None:
    """What a case-insensitive `contains` compares, Cyrillic too, the same in SQL and here."""
    return text.casefold() if text else None


PROFILE_FIELDS = (
    "full_name",
    "organisation",
    "position",
    "subjects",
    "experience_years",
    "category",
    "municipality",
    "email",
    "phone",
)


async def update_profile(session: AsyncSession, *, telegram_id: int, **changes: object) -> User:
    """Change profile fields of a registered teacher (values already cleaned by `clean_*`)."""
    user = await user_by_telegram_id(session, telegram_id)
    if user is None or not user.is_registered:
        raise NotRegistered()
    for name, value in changes.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"not a profile field: {name}")
        setattr(user, name, value)
    refresh_folded(user)
    return user


async def ensure_user(
    session: AsyncSession, *, telegram_id: int, username: str | None, language_code: str | None
) -> User:
    """The person's row, created when they start a dialog that needs one."""
    user = await known_user(
        session, telegram_id=telegram_id, username=username, language_code=language_code
    )
    if user is None:
        user = User(
            telegram_id=telegram_id, telegram_username=username, telegram_language=language_code
        )
        session.add(user)
        await session.flush()
    return user


async def set_language(session: AsyncSession, *, user: User, language: str) -> None:
    user.language = language


async def set_newsletters(session: AsyncSession, *, user: User, enabled: bool) -> None:
    user.newsletters_enabled = enabled


def known_subject_keys() -> list[str]:
    return list(SUBJECTS)


async def grant_role(
    session: AsyncSession, *, actor: Actor, telegram_id: int, role: NetworkRole
) -> User:
    """Give a registered teacher a network role (platform admins only); audited."""
    require_platform_admin(actor)
    user = await _registered_target(session, telegram_id)
    existing = await session.scalar(
        select(NetworkRoleGrant).where(
            NetworkRoleGrant.user_id == user.id, NetworkRoleGrant.role == role
        )
    )
    if existing is not None:
        raise AlreadyHasRole(name=user.full_name or str(telegram_id))
    session.add(
        NetworkRoleGrant(
            user_id=user.id, role=role, granted_by_telegram_id=actor.telegram_id, granted_at=now()
        )
    )
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="role.granted",
        target_type="user",
        target_id=user.id,
        role=role.value,
    )
    return user


async def revoke_role(
    session: AsyncSession, *, actor: Actor, telegram_id: int, role: NetworkRole
) -> User:
    """Take a network role away (platform admins only); audited."""
    require_platform_admin(actor)
    user = await _registered_target(session, telegram_id)
    result = await session.execute(
        delete(NetworkRoleGrant).where(
            NetworkRoleGrant.user_id == user.id, NetworkRoleGrant.role == role
        )
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise DoesNotHaveRole(name=user.full_name or str(telegram_id))
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="role.revoked",
        target_type="user",
        target_id=user.id,
        role=role.value,
    )
    return user


@dataclass(frozen=True, slots=True)
class LoggedAction:
    """One line of the audit log as an administrator reads it."""

    at: datetime
    action: str
    actor_name: str | None  # None: done by the system, or the person has been forgotten
    actor_telegram_id: int | None


async def recent_actions(session: AsyncSession, *, limit: int = 15) -> list[LoggedAction]:
    """The newest audit entries with the name of whoever acted (platform admins only)."""
    entries = await recent_audit(session, limit=limit)
    ids = {e.actor_telegram_id for e in entries if e.actor_telegram_id is not None}
    rows = (
        await session.execute(
            select(User.telegram_id, User.full_name).where(User.telegram_id.in_(ids))
        )
        if ids
        else []
    )
    names = {telegram_id: name for telegram_id, name in rows}
    return [
        LoggedAction(e.at, e.action, names.get(e.actor_telegram_id), e.actor_telegram_id)
        for e in entries
    ]


async def _registered_target(session: AsyncSession, telegram_id: int) -> User:
    user = await user_by_telegram_id(session, telegram_id)
    if user is None or not user.is_registered:
        raise UnknownUser(telegram_id=telegram_id)
    return user


async def role_holders(session: AsyncSession) -> list[tuple[User, NetworkRole]]:
    """Everyone with a network role, for the admin panel."""
    rows = await session.execute(
        select(User, NetworkRoleGrant.role)
        .join(NetworkRoleGrant, NetworkRoleGrant.user_id == User.id)
        .order_by(NetworkRoleGrant.role, User.full_name)
    )
    return [(user, role) for user, role in rows.all()]


async def search_users(session: AsyncSession, text: str, *, limit: int = 10) -> list[User]:
    """Registered teachers whose name or organisation contains `text` (case-insensitive)."""
    folded = text.strip().casefold()
    rows = await session.scalars(
        select(User)
        .where(User.registered_at.is_not(None), User.forgotten_at.is_(None))
        .where(User.search_text.contains(folded, autoescape=True))
        .order_by(User.full_name)
        .limit(limit)
    )
    return list(rows.all())
