"""Issuing certificates: the registry number and the verification code, the PDF built off
the event loop (services/offload.py) and sent through the outbox; the leader's batch
«issue to all eligible», revoking with a reason, and a PDF on demand.

Notices recorded here (worded in handlers/certificates/notices.py): `certificates.issued`
(the PDF to its holder), `certificates.revoked` (to the holder, with the reason).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from documents.certificate import build_certificate, build_certificates
from models import Association, MemberRole, User
from models.certificates import Certificate, CertificateKind, CertificateStatus
from services.access import Actor, role_holder
from services.audit import audit
from services.certificates.common import (
    PREFIXES,
    Links,
    NobodyEligible,
    NotIssued,
    NotYourCertificate,
    clean_reason,
    document_of,
    leader_of,
    loaded,
    local_today,
    period_of,
    view_of,
)
from services.certificates.names import correct_name, printed_names
from services.certificates.rules import RulesView, rules_of, standings
from services.clock import now
from services.errors import DomainError
from services.locks import lock
from services.names import initials_first
from services.notices import Notice, tell
from services.offload import offload
from services.outbox import store_file
from services.verification import new_code

ISSUED = "certificates.issued"
REVOKED = "certificates.revoked"
NUMBERING_LOCK = 13_0021  # the advisory lock of the registry's numbering (PostgreSQL)


async def _next_sequence(session: AsyncSession, kind: CertificateKind, year: int) -> int:
    last = await session.scalar(
        select(func.max(Certificate.sequence)).where(
            Certificate.kind == kind, Certificate.year == year
        )
    )
    return (last or 0) + 1


async def _unused_code(session: AsyncSession) -> str:
    while True:  # 26¹⁰ codes: a repeat is all but impossible, and checked anyway
        code = new_code()
        taken = await session.scalar(select(Certificate.id).where(Certificate.code == code))
        if taken is None:
            return code


async def _leader_name(session: AsyncSession, association_id: int) -> str | None:
    leader = await role_holder(session, association_id, MemberRole.LEADER)
    return initials_first(leader.full_name) if leader and leader.full_name else None


@dataclass(frozen=True, slots=True)
class _Common:
    """What every certificate of an association prints alike (read once for a batch)."""

    rules: RulesView
    leader_name: str | None


async def _common(session: AsyncSession, association: Association) -> _Common:
    return _Common(
        await rules_of(session, association.id), await _leader_name(session, association.id)
    )


async def snapshot(
    session: AsyncSession,
    certificate: Certificate,
    association: Association,
    person: User,
    common: _Common | None = None,
) -> None:
    """What the certificate prints, taken from the association and the person now."""
    common = common or await _common(session, association)
    rules = common.rules
    certificate.full_name, certificate.full_name_dative = await printed_names(session, person)
    certificate.association_name = association.name
    certificate.topic = association.topic
    certificate.organisation = association.organisation
    certificate.leader_name = common.leader_name
    if certificate.kind is CertificateKind.PARTICIPATION:
        certificate.hours = rules.hours
        certificate.title = rules.title


async def mark_issued(
    session: AsyncSession,
    certificate: Certificate,
    association: Association,
    *,
    decided_by: int | None,
    links: Links,
    sequence: int | None = None,
) -> None:
    """Give the certificate its number and code; the registry's sequence is per kind and
    year, across associations, so the numbering is serialised (`_serialise_numbering`).
    A batch, holding the lock already, passes the `sequence` it counts itself."""
    today = local_today(association)
    if sequence is None:
        await _serialise_numbering(session, association.id)
        sequence = await _next_sequence(session, certificate.kind, today.year)
    certificate.year = today.year
    certificate.sequence = sequence
    prefix = PREFIXES[certificate.kind]
    certificate.number = f"{prefix}-{today.year}-{certificate.sequence:04d}"
    certificate.code = await _unused_code(session)
    certificate.verification_url = links.link(certificate.code)
    certificate.status = CertificateStatus.ISSUED
    certificate.issued_at, certificate.issued_on = now(), today
    certificate.decided_by = decided_by
    await session.flush()


async def _serialise_numbering(session: AsyncSession, association_id: int) -> None:
    """Numbers are read (the year's last) then written: one issuer at a time. PostgreSQL:
    a transaction-scoped advisory lock shared by every association; SQLite: its one
    writer's lock, taken at once (services/locks.py)."""
    bind = session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": NUMBERING_LOCK})
    else:
        await lock(session, Association, association_id)


def pdf_name(certificate: Certificate) -> str:
    head = "svidetelstvo" if certificate.kind is CertificateKind.PUBLICATION else "sertifikat"
    return f"{head}-{certificate.year}-{certificate.sequence:04d}.pdf"


async def deliver(
    session: AsyncSession,
    issued: Sequence[tuple[Certificate, Association, User]],
    *,
    batch: str | None = None,
    occasion: str = "issued",
) -> int:
    """Build the PDFs (all in one trip to the document process) and tell each holder, the
    PDF attached, through the outbox. Returns how many were told."""
    if not issued:
        return 0
    documents = [document_of(cert, association) for cert, association, _ in issued]
    pdfs = await offload(build_certificates, documents)
    told, moment = 0, now()
    for (cert, association, person), pdf in zip(issued, pdfs, strict=True):
        cert.delivered_at = moment
        stored = await store_file(
            session, filename=pdf_name(cert), mime_type="application/pdf", content=pdf
        )
        if person.telegram_id is None:
            continue
        tell(
            session,
            Notice(
                ISSUED,
                {"view": view_of(cert, association), "occasion": occasion},
                user=person,
                file_id=stored.id,
                dedupe_key=f"cert:{cert.id}:issued"
                if occasion == "issued"
                else f"cert:{cert.id}:{occasion}:{stored.id}",
                batch=batch,
            ),
        )
        told += 1
    return told


# the leader's batch ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchPreview:
    association_id: int
    association: str
    period_start: date
    period_end: date
    eligible: int  # members meeting the rules who have no certificate for the period yet
    members: int


async def _batch_people(
    session: AsyncSession, association: Association
) -> tuple[list[int], int, tuple[date, date]]:
    period = period_of(association)
    found = await standings(session, association=association, period=period)
    having = set(
        (
            await session.scalars(
                select(Certificate.user_id).where(
                    Certificate.association_id == association.id,
                    Certificate.kind == CertificateKind.PARTICIPATION,
                    Certificate.period_start == period[0],
                    Certificate.status.in_([CertificateStatus.ISSUED, CertificateStatus.REVOKED]),
                )
            )
        ).all()
    )
    chosen = sorted(uid for uid, s in found.items() if s.meets_rules and uid not in having)
    return chosen, len(found), period


async def batch_preview(session: AsyncSession, actor: Actor, association_id: int) -> BatchPreview:
    """How many certificates «issue to all eligible» would give (shown before confirming)."""
    await leader_of(session, actor, association_id)
    association = await session.get(Association, association_id)
    assert association is not None
    chosen, members, period = await _batch_people(session, association)
    return BatchPreview(association_id, association.name, *period, len(chosen), members)


async def issue_to_all_eligible(
    session: AsyncSession, actor: Actor, *, association_id: int, links: Links
) -> int:
    """Issue a certificate to every member meeting the rules who has none for the period
    (a pending request of theirs is issued too). Only rows are written here, in a moment;
    the PDFs are built and sent by the delivery sweep (`deliver_pending`), off the update."""
    leader = await leader_of(session, actor, association_id)
    association = await lock(session, Association, association_id)
    chosen, _, period = await _batch_people(session, association)
    if not chosen:
        raise NobodyEligible()
    pending = {
        cert.user_id: cert
        for cert in (
            await session.scalars(
                select(Certificate).where(
                    Certificate.association_id == association_id,
                    Certificate.kind == CertificateKind.PARTICIPATION,
                    Certificate.period_start == period[0],
                    Certificate.status == CertificateStatus.REQUESTED,
                )
            )
        ).all()
    }
    people = {
        user.id: user
        for user in (await session.scalars(select(User).where(User.id.in_(chosen)))).all()
    }
    issued = []
    common = await _common(session, association)
    await _serialise_numbering(session, association_id)
    year = local_today(association).year
    sequence = await _next_sequence(session, CertificateKind.PARTICIPATION, year)
    for user_id in chosen:
        person = people[user_id]
        cert = pending.get(user_id) or Certificate(
            kind=CertificateKind.PARTICIPATION,
            user_id=user_id,
            association_id=association_id,
            period_start=period[0],
            period_end=period[1],
            requested_at=now(),
        )
        await snapshot(session, cert, association, person, common)
        session.add(cert)
        cert.period_end = period[1]
        await mark_issued(
            session, cert, association, decided_by=leader.id, links=links, sequence=sequence
        )
        sequence += 1
        issued.append(cert)
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="certificates.batch",
        target_type="association",
        target_id=association_id,
        issued=len(issued),
    )
    return len(issued)


# revoking, and a PDF on demand -------------------------------------------------------------


async def revoke(
    session: AsyncSession, actor: Actor, *, certificate_id: int, reason: str
) -> Certificate:
    """The leader revokes an issued certificate; its holder is told why. A check of its
    code says «revoked» with the date and the reason from now on."""
    certificate, association = await loaded(session, certificate_id)
    await leader_of(session, actor, certificate.association_id)
    cleaned = clean_reason(reason)
    certificate = await lock(session, Certificate, certificate_id)
    if certificate.status is not CertificateStatus.ISSUED:
        raise NotIssued()
    certificate.status = CertificateStatus.REVOKED
    certificate.reason = cleaned
    certificate.revoked_at = now()
    await session.flush()
    holder = await session.get(User, certificate.user_id)
    if holder is not None and holder.telegram_id is not None:
        tell(
            session,
            Notice(
                REVOKED,
                {"view": view_of(certificate, association)},
                user=holder,
                dedupe_key=f"cert:{certificate.id}:revoked",
            ),
        )
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="certificates.revoke",
        target_type="certificate",
        target_id=certificate.id,
    )
    return certificate


async def certificate_pdf(
    session: AsyncSession, actor: Actor, *, certificate_id: int
) -> tuple[str, bytes]:
    """An issued certificate's PDF, for its holder or the association's leader."""
    certificate, association = await loaded(session, certificate_id)
    holder = await session.get(User, certificate.user_id)
    if holder is None or holder.telegram_id != actor.telegram_id:
        try:
            await leader_of(session, actor, certificate.association_id)
        except DomainError as error:  # a stranger: told it is not theirs
            raise NotYourCertificate() from error
    if certificate.status is not CertificateStatus.ISSUED:
        raise NotIssued()
    pdf = await offload(build_certificate, document_of(certificate, association))
    return pdf_name(certificate), pdf


async def correct_and_resend(
    session: AsyncSession, actor: Actor, *, certificate_id: int, corrected: str
) -> int:
    """The leader's correction of a declined name (services/certificates/names.py); each
    issued certificate it changes goes to its holder again. Returns how many were re-sent."""
    changed = await correct_name(session, actor, certificate_id=certificate_id, corrected=corrected)
    issued = []
    for certificate in changed:
        association = await session.get(Association, certificate.association_id)
        holder = await session.get(User, certificate.user_id)
        if association is not None and holder is not None:
            issued.append((certificate, association, holder))
    return await deliver(session, issued, occasion="corrected")


DELIVERY_BATCH = 20  # PDFs per run of the sweep: a few seconds of the document process


async def deliver_pending(session: AsyncSession, *, limit: int = DELIVERY_BATCH) -> int:
    """The sweep «certificate-delivery»: PDFs of issued certificates not yet sent (the
    batch's), oldest first. The PDFs are built before anything is written, so the unit of
    work holds no write lock while ReportLab runs; a run told twice sends nothing twice
    (each certificate is marked delivered in the transaction that enqueues it)."""
    rows = (
        await session.execute(
            select(Certificate, Association, User)
            .join(Association, Association.id == Certificate.association_id)
            .join(User, User.id == Certificate.user_id)
            .where(
                Certificate.status == CertificateStatus.ISSUED,
                Certificate.delivered_at.is_(None),
            )
            .order_by(Certificate.id)
            .limit(limit)
        )
    ).all()
    by_association: dict[int, list[tuple[Certificate, Association, User]]] = {}
    for cert, association, person in rows:
        by_association.setdefault(association.id, []).append((cert, association, person))
    told = 0
    for association_id, issued in by_association.items():
        told += await deliver(session, issued, batch=f"cert:batch:{association_id}")
    return told
