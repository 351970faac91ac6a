"""A member asks for a certificate: issued at once when the rules are met, otherwise a
request to the leader, who approves or declines it with a reason; the member is told.
Authors of approved materials of the bank ask for a certificate of publication the same way
(the approval of the material is what entitles them: it is issued at once).

Notices recorded here (worded in handlers/certificates/notices.py):
`certificates.requested` (to the leader, with Approve / Decline), `certificates.declined`
(to the member, with the reason); an issued certificate is told by services/…/issue.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, MemberRole, MembershipStatus, User
from models.association import Membership
from models.certificates import Certificate, CertificateKind, CertificateStatus
from models.resources import Material, MaterialStatus
from services.access import Actor, membership_of, require_registered, role_holder
from services.audit import audit
from services.certificates.common import (
    AlreadyIssued,
    AlreadyRequested,
    CertificateView,
    Links,
    NotAMember,
    NotPublishable,
    NotRequested,
    clean_reason,
    leader_of,
    loaded,
    period_of,
    view_of,
)
from services.certificates.issue import deliver, mark_issued, snapshot
from services.certificates.rules import Eligibility, eligibility
from services.clock import now
from services.errors import NotFound
from services.locks import lock
from services.notices import Notice, tell

REQUESTED = "certificates.requested"
DECLINED = "certificates.declined"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a request: issued at once, or sent to the leader (and why)."""

    view: CertificateView
    issued: bool
    standing: Eligibility | None = None


async def requestable(session: AsyncSession, actor: Actor) -> list[Association]:
    """The associations where the actor is an active member and has neither a certificate
    for the current period nor a request waiting (a certificate may be asked there)."""
    user = await require_registered(session, actor)
    rows = await session.scalars(
        select(Association)
        .join(Membership, Membership.association_id == Association.id)
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Association.name)
    )
    having = set(
        (
            await session.execute(
                select(Certificate.association_id, Certificate.period_start).where(
                    Certificate.user_id == user.id,
                    Certificate.kind == CertificateKind.PARTICIPATION,
                    Certificate.status.in_([CertificateStatus.ISSUED, CertificateStatus.REQUESTED]),
                )
            )
        ).all()
    )
    return [a for a in rows.all() if (a.id, period_of(a)[0]) not in having]


async def _existing(
    session: AsyncSession, user_id: int, association_id: int, period_start: date
) -> list[Certificate]:
    rows = await session.scalars(
        select(Certificate).where(
            Certificate.user_id == user_id,
            Certificate.association_id == association_id,
            Certificate.kind == CertificateKind.PARTICIPATION,
            Certificate.period_start == period_start,
        )
    )
    return list(rows.all())


async def request_participation(
    session: AsyncSession, actor: Actor, *, association_id: int, links: Links
) -> Outcome:
    """The member's request for the current academic year. A certificate revoked for the
    period is never re-issued on its own: the request goes to the leader."""
    user = await require_registered(session, actor)
    association = await lock(session, Association, association_id)
    if await membership_of(session, user.id, association_id) is None:
        raise NotAMember()
    period = period_of(association)
    earlier = await _existing(session, user.id, association_id, period[0])
    statuses = {cert.status for cert in earlier}
    if CertificateStatus.ISSUED in statuses:
        raise AlreadyIssued()
    if CertificateStatus.REQUESTED in statuses:
        raise AlreadyRequested()
    standing = await eligibility(session, association=association, user_id=user.id, period=period)
    certificate = Certificate(
        kind=CertificateKind.PARTICIPATION,
        user_id=user.id,
        association_id=association_id,
        period_start=period[0],
        period_end=period[1],
        requested_at=now(),
    )
    await snapshot(session, certificate, association, user)
    session.add(certificate)
    if standing.eligible and CertificateStatus.REVOKED not in statuses:
        await mark_issued(session, certificate, association, decided_by=None, links=links)
        await deliver(session, [(certificate, association, user)])
        await _audit(session, actor, "certificates.issue", certificate)
        return Outcome(view_of(certificate, association), issued=True, standing=standing)
    await session.flush()
    await _ask_leader(session, certificate, association, standing)
    await _audit(session, actor, "certificates.request", certificate)
    return Outcome(view_of(certificate, association), issued=False, standing=standing)


async def _ask_leader(
    session: AsyncSession,
    certificate: Certificate,
    association: Association,
    standing: Eligibility | None,
) -> None:
    leader = await role_holder(session, association.id, MemberRole.LEADER)
    if leader is None:
        return  # nobody to ask now: the request waits in the leader's /certificate
    tell(
        session,
        Notice(
            REQUESTED,
            {"view": view_of(certificate, association), "standing": standing},
            user=leader,
            dedupe_key=f"cert:{certificate.id}:requested",
        ),
    )


async def _audit(session: AsyncSession, actor: Actor, action: str, cert: Certificate) -> None:
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action=action,
        target_type="certificate",
        target_id=cert.id,
    )


# publication -------------------------------------------------------------------------------


async def publishable(session: AsyncSession, actor: Actor) -> list[tuple[Material, bool]]:
    """The actor's approved materials of an association's bank, each with whether a
    certificate of publication is already issued for it."""
    user = await require_registered(session, actor)
    rows = await session.scalars(
        select(Material)
        .where(
            Material.author_user_id == user.id,
            Material.status == MaterialStatus.APPROVED,
            Material.association_id.is_not(None),
        )
        .order_by(Material.approved_at.desc(), Material.id.desc())
        .limit(30)
    )
    materials = list(rows.all())
    issued = set(
        (
            await session.scalars(
                select(Certificate.material_id).where(
                    Certificate.material_id.in_([m.id for m in materials]),
                    Certificate.status == CertificateStatus.ISSUED,
                )
            )
        ).all()
    )
    return [(material, material.id in issued) for material in materials]


async def request_publication(
    session: AsyncSession, actor: Actor, *, material_id: int, links: Links
) -> Outcome:
    """A certificate of publication of the actor's approved material: issued at once."""
    user = await require_registered(session, actor)
    material = await session.get(Material, material_id)
    if (
        material is None
        or material.author_user_id != user.id
        or material.status is not MaterialStatus.APPROVED
        or material.association_id is None
    ):
        raise NotPublishable()
    association = await lock(session, Association, material.association_id)
    done = await session.scalar(
        select(Certificate.id).where(
            Certificate.material_id == material.id,
            Certificate.status.in_([CertificateStatus.ISSUED, CertificateStatus.REVOKED]),
        )
    )
    if done is not None:
        raise AlreadyIssued()
    moment = (material.approved_at or now()).astimezone(ZoneInfo(association.timezone)).date()
    certificate = Certificate(
        kind=CertificateKind.PUBLICATION,
        user_id=user.id,
        association_id=association.id,
        material_id=material.id,
        material_title=material.title,
        period_start=moment,
        period_end=moment,
        requested_at=now(),
    )
    await snapshot(session, certificate, association, user)
    session.add(certificate)
    await mark_issued(
        session, certificate, association, decided_by=material.reviewer_user_id, links=links
    )
    await deliver(session, [(certificate, association, user)])
    await _audit(session, actor, "certificates.issue_publication", certificate)
    return Outcome(view_of(certificate, association), issued=True)


# the leader's decision ---------------------------------------------------------------------


async def pending(
    session: AsyncSession, actor: Actor, association_id: int
) -> list[CertificateView]:
    """Requests waiting for the leader's decision, oldest first."""
    await leader_of(session, actor, association_id)
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    rows = await session.scalars(
        select(Certificate)
        .where(
            Certificate.association_id == association_id,
            Certificate.status == CertificateStatus.REQUESTED,
        )
        .order_by(Certificate.requested_at, Certificate.id)
        .limit(50)
    )
    return [view_of(cert, association) for cert in rows.all()]


async def standing_of(
    session: AsyncSession, actor: Actor, certificate_id: int
) -> tuple[CertificateView, Eligibility]:
    """A request with the member's standing now (for the leader deciding it)."""
    certificate, association = await loaded(session, certificate_id)
    await leader_of(session, actor, certificate.association_id)
    if certificate.status is not CertificateStatus.REQUESTED:
        raise NotRequested()
    standing = await eligibility(
        session,
        association=association,
        user_id=certificate.user_id,
        period=(certificate.period_start, certificate.period_end),
    )
    return view_of(certificate, association), standing


async def decide(
    session: AsyncSession,
    actor: Actor,
    *,
    certificate_id: int,
    approve: bool,
    links: Links,
    reason: str | None = None,
) -> CertificateView:
    """Approve (the certificate is issued and sent) or decline with a reason (the member is
    told). A second decision is refused with NotRequested."""
    certificate, association = await loaded(session, certificate_id)
    leader = await leader_of(session, actor, certificate.association_id)
    cleaned = None if approve else clean_reason(reason or "")
    certificate = await lock(session, Certificate, certificate_id)
    if certificate.status is not CertificateStatus.REQUESTED:
        raise NotRequested()
    person = await session.get(User, certificate.user_id)
    if person is None:
        raise NotFound()
    if approve:
        await snapshot(session, certificate, association, person)
        await mark_issued(session, certificate, association, decided_by=leader.id, links=links)
        await deliver(session, [(certificate, association, person)])
        await _audit(session, actor, "certificates.approve", certificate)
        return view_of(certificate, association)
    certificate.status = CertificateStatus.DECLINED
    certificate.reason = cleaned
    certificate.decided_by = leader.id
    await session.flush()
    if person.telegram_id is not None:
        tell(
            session,
            Notice(
                DECLINED,
                {"view": view_of(certificate, association)},
                user=person,
                dedupe_key=f"cert:{certificate.id}:declined",
            ),
        )
    await _audit(session, actor, "certificates.decline", certificate)
    return view_of(certificate, association)
