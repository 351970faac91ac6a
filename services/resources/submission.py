"""Uploading to the bank: an author submits a material for review, corrects one that
needs revision and submits it again, sees their own materials, withdraws one.

Notices recorded here (worded in handlers/uploads/notices.py): `uploads.submitted`, to the
first reviewers of a new or corrected material — the association's leader and experts
(network methodists when it has none but the author), the network's methodists and
experts for a network-wide one, and whoever asked for the revision. Methodists see every
association's materials in their queue and daily digest (services/resources/review.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
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
from models.resources import FileKind, Material, MaterialFile
from models.resources import MaterialStatus as Status
from services.access import (
    Actor,
    membership_of,
    network_roles,
    require_registered,
    user_by_telegram_id,
)
from services.audit import record_activity
from services.clock import now
from services.errors import DomainError, NotFound
from services.locks import lock
from services.notices import Notice, tell
from services.resources.access import REVIEWER_ROLES, pending_count, review_scope
from services.resources.drafts import DraftFile, MaterialDraft, checked
from services.resources.views import MaterialView, decisions_made, files_of, view_of
from services.texts import N_

ACTIVITY_KIND = "material_uploaded"
WITHDRAWABLE = (Status.PENDING, Status.NEEDS_REVISION, Status.APPROVED)


class NoPlaceToShare(DomainError):
    message = N_(
        "Materials are shared within associations: join one in /associations, and then "
        "upload to the bank."
    )


class NotAMemberThere(DomainError):
    message = N_("You are not a member of «{name}» any more: choose another association.")


class NetworkForMethodists(DomainError):
    message = N_("Only network methodists publish materials for the whole network.")


class NotCorrectable(DomainError):
    message = N_("This material does not wait for a correction any more.")


class NotWithdrawable(DomainError):
    message = N_("This material can no longer be withdrawn.")


@dataclass(frozen=True, slots=True)
class Target:
    """Where a material may be published: an association, or the whole network (None)."""

    association_id: int | None
    name: str | None


@dataclass(frozen=True, slots=True)
class Overview:
    """What /upload offers: one's own materials, and the queue for a reviewer."""

    mine: int
    to_review: int | None  # None: not a reviewer


async def overview(session: AsyncSession, actor: Actor) -> Overview:
    user = await require_registered(session, actor)
    mine = await session.scalar(
        select(func.count())
        .select_from(Material)
        .where(Material.author_user_id == user.id, Material.status != Status.WITHDRAWN)
    )
    scope = await review_scope(session, user, platform_admin=actor.is_platform_admin)
    to_review = await pending_count(session, scope) if scope.is_reviewer else None
    return Overview(mine or 0, to_review)


# where one may publish -------------------------------------------------------------------


async def _is_methodist(session: AsyncSession, actor: Actor, user: User) -> bool:
    return actor.is_platform_admin or NetworkRole.METHODIST in await network_roles(session, user.id)


async def targets(session: AsyncSession, actor: Actor) -> list[Target]:
    """The places the actor may publish in: the whole network (methodists) first, then
    their active associations by name. May be empty."""
    user = await require_registered(session, actor)
    rows = await session.execute(
        select(Association.id, Association.name)
        .join(Membership, Membership.association_id == Association.id)
        .where(
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.ACTIVE,
            Association.status == AssociationStatus.ACTIVE,
        )
        .order_by(Association.name)
    )
    found = [Target(association_id, name) for association_id, name in rows.all()]
    if await _is_methodist(session, actor, user):
        found.insert(0, Target(None, None))
    return found


async def require_targets(session: AsyncSession, actor: Actor) -> list[Target]:
    """`targets`, refused when there is none (the form would lead nowhere)."""
    found = await targets(session, actor)
    if not found:
        raise NoPlaceToShare()
    return found


async def _check_target(
    session: AsyncSession, actor: Actor, user: User, draft: MaterialDraft
) -> None:
    if draft.network:
        if not await _is_methodist(session, actor, user):
            raise NetworkForMethodists()
        return
    assert draft.association_id is not None
    association = await session.get(Association, draft.association_id)
    if association is None:
        raise NotFound()
    member = await membership_of(session, user.id, association.id)
    if member is None or association.status is not AssociationStatus.ACTIVE:
        raise NotAMemberThere(name=association.name)


class GroupNotBound(DomainError):
    message = N_(
        "This group is not bound to an association yet, so I cannot tell where its materials "
        "belong."
    )


class NotAMemberHere(DomainError):
    message = N_(
        "Materials from this group are proposed by the members of «{name}». Join it first: "
        "write /join to me in a private chat."
    )


@dataclass(frozen=True, slots=True)
class GroupSource:
    """The association of a group where somebody proposes a message to the bank."""

    association_id: int
    name: str
    registered: bool  # False: the person has to register with the bot first


async def group_source(session: AsyncSession, actor: Actor, *, chat_id: int) -> GroupSource:
    """Whether the actor may propose a material from this group: a registered member of
    its association, or somebody not registered yet (who is offered the form after
    registration); a registered non-member is refused."""
    association = await session.scalar(select(Association).where(Association.chat_id == chat_id))
    if association is None:
        raise GroupNotBound()
    user = await user_by_telegram_id(session, actor.telegram_id)
    if user is None or not user.is_registered:
        return GroupSource(association.id, association.name, registered=False)
    if await membership_of(session, user.id, association.id) is None:
        raise NotAMemberHere(name=association.name)
    return GroupSource(association.id, association.name, registered=True)


# reading ---------------------------------------------------------------------------------


async def _own(session: AsyncSession, actor: Actor, material_id: int) -> tuple[User, Material]:
    """The actor's material (someone else's is as good as absent)."""
    user = await require_registered(session, actor)
    material = await session.get(Material, material_id)
    if material is None or material.author_user_id != user.id:
        raise NotFound()
    return user, material


async def my_materials(
    session: AsyncSession, actor: Actor, *, limit: int = 20
) -> list[MaterialView]:
    """The actor's materials (not the withdrawn ones), newest first."""
    user = await require_registered(session, actor)
    rows = await session.scalars(
        select(Material)
        .where(Material.author_user_id == user.id, Material.status != Status.WITHDRAWN)
        .order_by(Material.submitted_at.desc(), Material.id.desc())
        .limit(limit)
    )
    return [await view_of(session, material) for material in rows.all()]


async def my_material(session: AsyncSession, actor: Actor, material_id: int) -> MaterialView:
    _, material = await _own(session, actor, material_id)
    return await view_of(session, material)


async def correction_of(session: AsyncSession, actor: Actor, material_id: int) -> MaterialView:
    """The actor's material that waits for a correction (refused otherwise)."""
    view = await my_material(session, actor, material_id)
    if view.status is not Status.NEEDS_REVISION:
        raise NotCorrectable()
    return view


# submitting ------------------------------------------------------------------------------


def _fill(material: Material, draft: MaterialDraft) -> None:
    material.kind = draft.kind  # type: ignore[assignment]  (checked: never None)
    material.title = draft.title
    material.description = draft.description
    material.subject = draft.subject
    material.grade_from, material.grade_to = draft.grades or (None, None)
    material.tags = ", ".join(draft.tags)
    material.url = draft.url
    material.association_id = None if draft.network else draft.association_id


async def _keep_files(session: AsyncSession, material_id: int, files: Sequence[DraftFile]) -> None:
    """The material's files become `files`: a file kept (same unique id) keeps its row and
    its archived copy; the others are added or dropped."""
    current = {file.file_unique_id: file for file in await files_of(session, material_id)}
    wanted = {file.file_unique_id for file in files}
    for unique_id, row in current.items():
        if unique_id not in wanted:
            await session.delete(row)
    for position, file in enumerate(files):
        row = current.get(file.file_unique_id)
        if row is None:
            row = MaterialFile(material_id=material_id, file_unique_id=file.file_unique_id)
            session.add(row)
        row.position = position
        row.kind = FileKind(file.kind)
        row.telegram_file_id = file.telegram_file_id
        row.file_name = (file.file_name or "")[:255] or None
        row.mime_type = (file.mime_type or "")[:100] or None
        row.size = file.size
    await session.flush()


async def submit(
    session: AsyncSession, actor: Actor, *, draft: MaterialDraft, limit_mb: int
) -> MaterialView:
    """A new material goes into the review queue; its first reviewers are told."""
    user = await require_registered(session, actor)
    draft = checked(draft, limit_mb=limit_mb)
    await _check_target(session, actor, user, draft)
    moment = now()
    material = Material(
        author_user_id=user.id,
        status=Status.PENDING,
        submitted_at=moment,
        created_at=moment,
        updated_at=moment,
    )
    _fill(material, draft)
    session.add(material)
    await session.flush()
    await _keep_files(session, material.id, draft.files)
    await record_activity(
        session,
        kind=ACTIVITY_KIND,
        user_id=user.id,
        association_id=material.association_id,
        ref_id=material.id,
    )
    view = await view_of(session, material)
    await _tell_reviewers(session, material, view, also=())
    return view


async def resubmit(
    session: AsyncSession, actor: Actor, *, material_id: int, draft: MaterialDraft, limit_mb: int
) -> MaterialView:
    """A corrected material goes back into the queue; the reviewers are told again."""
    user, _ = await _own(session, actor, material_id)
    material = await lock(session, Material, material_id)
    if material.status is not Status.NEEDS_REVISION:
        raise NotCorrectable()
    draft = checked(draft, limit_mb=limit_mb)
    await _check_target(session, actor, user, draft)
    asked_by = material.reviewer_user_id
    _fill(material, draft)
    material.status = Status.PENDING
    material.review_comment = None
    material.reviewer_user_id = None
    material.submitted_at = material.updated_at = now()
    await session.flush()
    await _keep_files(session, material.id, draft.files)
    view = await view_of(session, material)
    asker = await session.get(User, asked_by) if asked_by is not None else None
    await _tell_reviewers(session, material, view, also=(asker,) if asker else ())
    return view


async def withdrawable(session: AsyncSession, actor: Actor, material_id: int) -> MaterialView:
    """The actor's material, if it may still be withdrawn."""
    view = await my_material(session, actor, material_id)
    if view.status not in WITHDRAWABLE:
        raise NotWithdrawable()
    return view


async def withdraw(session: AsyncSession, actor: Actor, material_id: int) -> MaterialView:
    """The author takes the material back: out of the queue, or out of the bank."""
    await _own(session, actor, material_id)
    material = await lock(session, Material, material_id)
    if material.status not in WITHDRAWABLE:
        raise NotWithdrawable()
    material.status = Status.WITHDRAWN
    material.updated_at = now()
    await session.flush()
    return await view_of(session, material)


# who is told of a submission -------------------------------------------------------------


async def _network_reviewers(session: AsyncSession, *roles: NetworkRole) -> list[User]:
    rows = await session.scalars(
        select(User)
        .join(NetworkRoleGrant, NetworkRoleGrant.user_id == User.id)
        .where(NetworkRoleGrant.role.in_(roles), User.telegram_id.is_not(None))
        .order_by(User.id)
    )
    return list(rows.unique().all())


async def first_reviewers(session: AsyncSession, material: Material) -> list[User]:
    """Who is told at once of a submission (the author never)."""
    if material.association_id is None:
        found = await _network_reviewers(session, NetworkRole.METHODIST, NetworkRole.EXPERT)
    else:
        rows = await session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.association_id == material.association_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role.in_(REVIEWER_ROLES),
                User.telegram_id.is_not(None),
            )
            .order_by(Membership.role != MemberRole.LEADER, User.id)
        )
        found = [user for user in rows.all() if user.id != material.author_user_id]
        if not found:
            found = await _network_reviewers(session, NetworkRole.METHODIST)
    return [user for user in found if user.id != material.author_user_id]


async def _tell_reviewers(
    session: AsyncSession, material: Material, view: MaterialView, *, also: Sequence[User]
) -> None:
    """One notice per reviewer and round, however many roles they hold."""
    round_ = await decisions_made(session, material.id)
    people = {user.id: user for user in [*await first_reviewers(session, material), *also]}
    people.pop(material.author_user_id or 0, None)
    tell(
        session,
        *(
            Notice(
                "uploads.submitted",
                {"view": view, "again": round_ > 0},
                user=person,
                dedupe_key=f"mat:{material.id}:r{round_}:rev:{person.id}",
            )
            for person in people.values()
        ),
    )


# erasure ---------------------------------------------------------------------------------


async def erase_unpublished(session: AsyncSession, user_id: int) -> None:
    """/forget: the person's materials that never reached the bank are deleted; approved
    ones stay in the bank, no longer linked to a name (the profile is blanked)."""
    await session.execute(
        delete(Material).where(
            Material.author_user_id == user_id, Material.status != Status.APPROVED
        )
    )
