"""Expert review of submitted materials: the queue, a decision taken once, the daily digest.

A reviewer (services/resources/access.py says who reviews what) approves a material, sends
it back for revision with a comment, or rejects it with a reason. Two reviewers deciding at
once: the first wins (a row lock), the second is told it is decided. Every decision is a
`MaterialReview` row and an audit entry.

Notices recorded here (worded in handlers/uploads/notices.py): `uploads.approved`,
`uploads.needs_revision`, `uploads.rejected` (to the author), `uploads.queue_digest` (to
each reviewer with something waiting, once a day from DIGEST_HOUR in their time zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Membership, MembershipStatus, NetworkRole, NetworkRoleGrant, User
from models.resources import Material, MaterialReview
from models.resources import MaterialStatus as Status
from services.access import Actor, require_registered
from services.audit import audit
from services.clock import now
from services.errors import DomainError, InvalidInput, NotFound
from services.locks import lock
from services.notices import Notice, tell
from services.resources.access import REVIEWER_ROLES, ReviewScope, review_scope
from services.resources.views import MaterialView, decisions_made, view_of
from services.texts import N_, T_, LazyText

DECISIONS = (Status.APPROVED, Status.NEEDS_REVISION, Status.REJECTED)
MIN_COMMENT, MAX_COMMENT = 3, 1000
DIGEST_HOUR, DIGEST_UNTIL = 9, 20  # the digest goes out between 09:00 and 20:00 local time
QUEUE_PAGE = 10

OUTCOMES: dict[Status, LazyText] = {
    Status.APPROVED: T_("it is approved"),
    Status.NEEDS_REVISION: T_("it is sent back for revision"),
    Status.REJECTED: T_("it is rejected"),
    Status.WITHDRAWN: T_("the author has withdrawn it"),
}


class NotAReviewer(DomainError):
    message = N_(
        "Materials are reviewed by the association's leader and experts and by the network's "
        "methodists."
    )


class OwnMaterial(DomainError):
    message = N_("Your own material is reviewed by somebody else.")


class AlreadyDecided(DomainError):
    message = N_("This material has already been decided on: {outcome}.")


class BadComment(InvalidInput):
    message = N_("Please write {low} to {limit} characters: the author will read them.")


@dataclass(frozen=True, slots=True)
class Queue:
    """What waits for a reviewer: the oldest first, and how many in all."""

    total: int
    items: tuple[MaterialView, ...]


def clean_comment(text: str) -> str:
    comment = text.strip()
    if not MIN_COMMENT <= len(comment) <= MAX_COMMENT:
        raise BadComment(low=MIN_COMMENT, limit=MAX_COMMENT)
    return comment


async def reviewer_scope(session: AsyncSession, actor: Actor) -> ReviewScope:
    """The actor's scope, refused when they review nothing."""
    user = await require_registered(session, actor)
    scope = await review_scope(session, user, platform_admin=actor.is_platform_admin)
    if not scope.is_reviewer:
        raise NotAReviewer()
    return scope


async def queue(session: AsyncSession, actor: Actor, *, limit: int = QUEUE_PAGE) -> Queue:
    """The pending materials the actor may review, the longest waiting first."""
    scope = await reviewer_scope(session, actor)
    waiting = select(Material).where(Material.status == Status.PENDING, scope.condition())
    total = await session.scalar(select(func.count()).select_from(waiting.subquery()))
    rows = await session.scalars(waiting.order_by(Material.submitted_at, Material.id).limit(limit))
    return Queue(total or 0, tuple([await view_of(session, m) for m in rows.all()]))


async def _reviewable(session: AsyncSession, actor: Actor, material: Material | None) -> Material:
    """`material`, if the actor may decide on it now."""
    scope = await reviewer_scope(session, actor)
    if material is None:
        raise NotFound()
    if material.author_user_id is not None and material.author_user_id == scope.user_id:
        raise OwnMaterial()
    if not scope.covers(material):
        raise NotAReviewer()
    if material.status is not Status.PENDING:
        raise AlreadyDecided(outcome=OUTCOMES[material.status])
    return material


async def for_review(session: AsyncSession, actor: Actor, material_id: int) -> MaterialView:
    """A pending material the actor may review, with its files."""
    material = await _reviewable(session, actor, await session.get(Material, material_id))
    return await view_of(session, material)


async def decide(
    session: AsyncSession,
    actor: Actor,
    *,
    material_id: int,
    decision: Status,
    comment: str | None = None,
) -> MaterialView:
    """Approve, send back for revision (comment required) or reject (reason required);
    the author is told. Decided once: a second reviewer gets AlreadyDecided."""
    if decision not in DECISIONS:
        raise ValueError(f"{decision} is not a decision")
    reviewer = await require_registered(session, actor)
    if await session.get(Material, material_id) is None:
        raise NotFound()
    material = await _reviewable(session, actor, await lock(session, Material, material_id))
    text = None if decision is Status.APPROVED else clean_comment(comment or "")
    round_ = await decisions_made(session, material.id)
    moment = now()
    material.status = decision
    material.reviewer_user_id = reviewer.id
    material.review_comment = text
    material.decided_at = material.updated_at = moment
    if decision is Status.APPROVED:
        material.approved_at = moment
    session.add(
        MaterialReview(
            material_id=material.id,
            reviewer_user_id=reviewer.id,
            decision=decision,
            comment=text,
            at=moment,
        )
    )
    await session.flush()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action=f"material.{decision.value}",
        target_type="material",
        target_id=material.id,
    )
    view = await view_of(session, material)
    await _tell_author(session, material, view, round_)
    return view


async def _tell_author(
    session: AsyncSession, material: Material, view: MaterialView, round_: int
) -> None:
    author = await session.get(User, material.author_user_id) if material.author_user_id else None
    if author is None:
        return
    kind = f"uploads.{material.status.value}"
    key = f"mat:{material.id}:r{round_}:decided"
    tell(session, Notice(kind, {"view": view}, user=author, dedupe_key=key))


# the daily digest ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Waiting:
    association_id: int | None
    author_user_id: int | None
    count: int
    since: datetime


def digest_day(moment: datetime, timezone: str) -> str | None:
    """The local day whose digest is due at `moment` (between DIGEST_HOUR and DIGEST_UNTIL)."""
    local = moment.astimezone(ZoneInfo(timezone))
    if not DIGEST_HOUR <= local.hour < DIGEST_UNTIL:
        return None
    return local.date().isoformat()


async def _waiting(session: AsyncSession) -> list[_Waiting]:
    rows = await session.execute(
        select(
            Material.association_id,
            Material.author_user_id,
            func.count(),
            func.min(Material.submitted_at),
        )
        .where(Material.status == Status.PENDING)
        .group_by(Material.association_id, Material.author_user_id)
    )
    return [_Waiting(*row) for row in rows.all()]


async def _candidates(session: AsyncSession, waiting: list[_Waiting]) -> list[User]:
    """Everyone who may have something to review: the leaders and experts of associations
    with pending materials, the network's methodists and experts."""
    associations = {w.association_id for w in waiting if w.association_id is not None}
    members = select(Membership.user_id).where(
        Membership.association_id.in_(sorted(associations)),
        Membership.status == MembershipStatus.ACTIVE,
        Membership.role.in_(REVIEWER_ROLES),
    )
    network = select(NetworkRoleGrant.user_id).where(
        NetworkRoleGrant.role.in_((NetworkRole.METHODIST, NetworkRole.EXPERT))
    )
    rows = await session.scalars(
        select(User)
        .where(
            User.id.in_(members.union(network)),
            User.telegram_id.is_not(None),
            User.unreachable_since.is_(None),
        )
        .order_by(User.id)
    )
    return list(rows.all())


async def tell_queue_digests(session: AsyncSession, *, default_timezone: str) -> int:
    """Each reviewer with pending materials in their scope is told how many wait, once a
    local day (from DIGEST_HOUR in their time zone, else the network's); returns how many."""
    waiting = await _waiting(session)
    if not waiting:
        return 0
    moment, told = now(), 0
    for user in await _candidates(session, waiting):
        day = digest_day(moment, user.timezone or default_timezone)
        if day is None:
            continue
        scope = await review_scope(session, user)
        mine = [w for w in waiting if scope.covers_place(w.association_id, w.author_user_id)]
        if not mine:
            continue
        params = {"count": sum(w.count for w in mine), "since": min(w.since for w in mine)}
        key = f"matq:{user.id}:{day}"
        tell(session, Notice("uploads.queue_digest", params, user=user, dedupe_key=key))
        told += 1
    return told
