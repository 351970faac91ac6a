"""Small factories for service and end-to-end tests: registered teachers, associations."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Association,
    AssociationKind,
    AssociationStatus,
    JoinPolicy,
    MemberRole,
    Membership,
    MembershipStatus,
    NetworkRole,
    NetworkRoleGrant,
    QualificationCategory,
    User,
)
from services.clock import now
from services.users import refresh_folded

_ids = itertools.count(1)
SURNAMES = ["Иванова", "Петров", "Сидорова", "Кузнецов", "Смирнова", "Попов", "Васильева"]
NAMES = ["Анна Петровна", "Иван Сергеевич", "Мария Ивановна", "Олег Викторович"]


async def make_teacher(
    session: AsyncSession,
    telegram_id: int | None = None,
    *,
    full_name: str | None = None,
    organisation: str = "МБОУ «СОШ № 5»",
    position: str = "teacher",
    subjects: list[str] | None = None,
    experience_years: int = 10,
    municipality: str | None = "г. Тверь",
    language: str | None = "ru",
    roles: tuple[NetworkRole, ...] = (),
    **extra: Any,
) -> User:
    """A registered teacher with consent, flushed (has an id)."""
    n = next(_ids)
    user = User(
        telegram_id=telegram_id or 800_000 + n,
        full_name=full_name or f"{SURNAMES[n % len(SURNAMES)]} {NAMES[n % len(NAMES)]}",
        organisation=organisation,
        position=position,
        subjects=subjects or ["math"],
        experience_years=experience_years,
        category=QualificationCategory.FIRST,
        municipality=municipality,
        language=language,
        consent_version="2026-09-01",
        consent_at=now(),
        registered_at=now(),
        **extra,
    )
    refresh_folded(user)
    session.add(user)
    await session.flush()
    for role in roles:
        session.add(NetworkRoleGrant(user_id=user.id, role=role))
    await session.flush()
    return user


async def make_association(
    session: AsyncSession,
    *,
    leader: User | None = None,
    name: str = "ВМО учителей математики",
    kind: AssociationKind = AssociationKind.VMO,
    join_policy: JoinPolicy = JoinPolicy.OPEN,
    member_cap: int | None = None,
    timezone: str = "Europe/Moscow",
    period: tuple[date, date] = (date(2026, 9, 1), date(2027, 8, 31)),
    chat_id: int | None = None,
    **extra: Any,
) -> Association:
    """An active association, with `leader` as its leader when given."""
    n = next(_ids)
    association = Association(
        kind=kind,
        name=name,
        topic="Формирование функциональной грамотности обучающихся",
        period_start=period[0],
        period_end=period[1],
        status=AssociationStatus.ACTIVE,
        join_policy=join_policy,
        member_cap=member_cap,
        join_code=f"T{n:05d}",
        timezone=timezone,
        chat_id=chat_id,
        organisation="МБОУ «СОШ № 5»",
        **extra,
    )
    session.add(association)
    await session.flush()
    if leader is not None:
        await add_member(session, association, leader, role=MemberRole.LEADER)
    return association


async def add_member(
    session: AsyncSession,
    association: Association,
    user: User,
    *,
    role: MemberRole = MemberRole.MEMBER,
) -> Membership:
    membership = Membership(
        association_id=association.id,
        user_id=user.id,
        role=role,
        status=MembershipStatus.ACTIVE,
        joined_at=now(),
        joined_via="test",
    )
    session.add(membership)
    await session.flush()
    return membership


async def make_material(
    session: AsyncSession,
    *,
    title: str,
    association: Association | None = None,
    author: User | None = None,
    kind: str = "lesson_plan",
    status: str = "approved",
    description: str = "",
    tags: str = "",
    subject: str | None = "math",
    grades: tuple[int | None, int | None] = (None, None),
    url: str | None = None,
    files: int = 1,
    file_ids: list[str] | None = None,
    **extra: Any,
) -> Any:
    """A material of the bank (approved unless told), with `files` document files (or
    photos for a gallery work); `file_ids` gives their Telegram ids (e.g. the fake's)."""
    from models.resources import FileKind, Material, MaterialFile, MaterialKind, MaterialStatus

    moment = now()
    material = Material(
        association_id=association.id if association else None,
        author_user_id=author.id if author else None,
        kind=MaterialKind(kind),
        title=title,
        description=description,
        tags=tags,
        subject=subject,
        grade_from=grades[0],
        grade_to=grades[1],
        url=url,
        status=MaterialStatus(status),
        submitted_at=moment,
        approved_at=moment if status == "approved" else None,
        **extra,
    )
    session.add(material)
    await session.flush()
    count = len(file_ids) if file_ids else (files if url is None else 0)
    for position in range(count):
        n = next(_ids)
        session.add(
            MaterialFile(
                material_id=material.id,
                position=position,
                kind=FileKind.PHOTO if kind == "gallery" else FileKind.DOCUMENT,
                telegram_file_id=file_ids[position] if file_ids else f"FILE{n:06d}",
                file_unique_id=f"U{n:06d}",
                file_name=f"{title[:40]}.pdf" if kind != "gallery" else None,
                mime_type="application/pdf" if kind != "gallery" else "image/jpeg",
                size=1000,
            )
        )
    await session.flush()
    return material
