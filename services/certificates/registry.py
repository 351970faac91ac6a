"""The registry of issued certificates: the verification lookup (`@verifier`, so /verify,
the `verify_` deep link and the public page answer certificate codes), a member's own
certificates, the leader's list, the export as PDF and CSV, and erasing a person's."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from documents.certificate import RegistryData, RegistryRow, build_registry
from documents.data import AssociationInfo
from models import Association, OutboxMessage, StoredFile, User
from models.certificates import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    CertificateTitle,
    NameCorrection,
)
from services.access import Actor, require_registered
from services.associations import held_in_roles
from services.certificates.common import (
    MANAGERS,
    CertificateView,
    NotIssued,
    leader_of,
    loaded,
    local_today,
    period_of,
    view_of,
)
from services.certificates.rules import RulesView, rules_of
from services.errors import NotFound
from services.offload import offload
from services.verification import Verification, verifier

SHOWN = (CertificateStatus.ISSUED, CertificateStatus.REVOKED)


def title_of(certificate: Certificate) -> str:
    """What the document is, in Russian as printed (the verification answer says it)."""
    if certificate.kind is CertificateKind.PUBLICATION:
        return "Свидетельство о публикации"
    if certificate.title is CertificateTitle.PARTICIPATION:
        return "Документ об участии"
    return "Сертификат участника"


@verifier
async def verify_certificate(session: AsyncSession, code: str) -> Verification | None:
    """A certificate's code (normalised): issued or revoked ones only."""
    row = (
        await session.execute(
            select(Certificate, Association.timezone)
            .join(Association, Association.id == Certificate.association_id)
            .where(Certificate.code == code, Certificate.status.in_(SHOWN))
        )
    ).first()
    if row is None:
        return None
    certificate, timezone = row
    revoked = certificate.revoked_at
    assert certificate.number is not None and certificate.issued_on is not None
    return Verification(
        code=code,
        number=certificate.number,
        kind=certificate.kind.value,
        title=title_of(certificate),
        full_name=certificate.full_name,
        issuer=certificate.association_name,
        issued_on=certificate.issued_on,
        period_start=certificate.period_start,
        period_end=certificate.period_end,
        revoked_on=revoked.astimezone(ZoneInfo(timezone)).date() if revoked else None,
        revoked_reason=certificate.reason if revoked else None,
    )


async def my_certificates(session: AsyncSession, actor: Actor) -> list[CertificateView]:
    """The actor's certificates and requests, newest first."""
    user = await require_registered(session, actor)
    rows = await session.execute(
        select(Certificate, Association)
        .join(Association, Association.id == Certificate.association_id)
        .where(Certificate.user_id == user.id)
        .order_by(Certificate.requested_at.desc(), Certificate.id.desc())
        .limit(30)
    )
    return [view_of(cert, association) for cert, association in rows.all()]


async def _issued(session: AsyncSession, association_id: int) -> list[Certificate]:
    rows = await session.scalars(
        select(Certificate)
        .where(Certificate.association_id == association_id, Certificate.status.in_(SHOWN))
        .order_by(Certificate.kind, Certificate.year, Certificate.sequence)
    )
    return list(rows.all())


async def issued_list(
    session: AsyncSession, actor: Actor, association_id: int
) -> list[CertificateView]:
    """The association's issued and revoked certificates (the leader's list)."""
    await leader_of(session, actor, association_id)
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    return [view_of(cert, association) for cert in await _issued(session, association_id)]


async def registry_data(session: AsyncSession, actor: Actor, association_id: int) -> RegistryData:
    await leader_of(session, actor, association_id)
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    rows = []
    for cert in await _issued(session, association_id):
        view = view_of(cert, association)
        assert view.number and view.code and view.issued_on
        rows.append(
            RegistryRow(
                number=view.number,
                full_name=cert.full_name,
                kind=title_of(cert),
                issued_on=view.issued_on,
                code=view.code,
                revoked_on=view.revoked_on,
                revoked_reason=cert.reason if view.revoked_on else None,
            )
        )
    info = AssociationInfo(
        name=association.name,
        kind=association.kind.value,
        organisation=association.organisation or "",
    )
    return RegistryData(info, rows, local_today(association))


async def registry_pdf(session: AsyncSession, actor: Actor, association_id: int) -> bytes:
    data = await registry_data(session, actor, association_id)
    return await offload(build_registry, data)


CSV_HEADER = [
    "Рег. номер",
    "ФИО",
    "Документ",
    "Дата выдачи",
    "Код проверки",
    "Статус",
    "Дата аннулирования",
    "Причина",
]


async def registry_csv(session: AsyncSession, actor: Actor, association_id: int) -> bytes:
    """The registry as CSV (UTF-8 with a BOM and «;», as spreadsheets here open it)."""
    data = await registry_data(session, actor, association_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(CSV_HEADER)
    for row in data.rows:
        writer.writerow(
            [
                row.number,
                row.full_name,
                row.kind,
                row.issued_on.strftime("%d.%m.%Y"),
                row.code,
                "аннулирован" if row.revoked_on else "действителен",
                row.revoked_on.strftime("%d.%m.%Y") if row.revoked_on else "",
                row.revoked_reason or "",
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


async def erase_of_person(session: AsyncSession, user_id: int) -> None:
    """/forget: the person's certificates (a check of their codes then finds nothing), the
    PDFs kept for sending them (they print the name), and the corrections of their name."""
    telegram_id = await session.scalar(select(User.telegram_id).where(User.id == user_id))
    if telegram_id is not None:
        sent = OutboxMessage.chat_id == telegram_id, OutboxMessage.dedupe_key.like("cert:%")
        files = list((await session.scalars(select(OutboxMessage.file_id).where(*sent))).all())
        await session.execute(update(OutboxMessage).where(*sent).values(file_id=None))
        found = [file_id for file_id in files if file_id is not None]
        if found:
            await session.execute(delete(StoredFile).where(StoredFile.id.in_(found)))
    await session.execute(delete(Certificate).where(Certificate.user_id == user_id))
    await session.execute(delete(NameCorrection).where(NameCorrection.user_id == user_id))


@dataclass(frozen=True, slots=True)
class Overview:
    """The leader's screen of an association's certificates."""

    association_id: int
    association: str
    period_start: date
    period_end: date
    rules: RulesView
    waiting: int
    issued: int


async def overview(session: AsyncSession, actor: Actor, association_id: int) -> Overview:
    await leader_of(session, actor, association_id)
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    counts = dict(
        (
            await session.execute(
                select(Certificate.status, func.count())
                .where(Certificate.association_id == association_id)
                .group_by(Certificate.status)
            )
        ).all()
    )
    return Overview(
        association_id=association_id,
        association=association.name,
        period_start=period_of(association)[0],
        period_end=period_of(association)[1],
        rules=await rules_of(session, association_id),
        waiting=counts.get(CertificateStatus.REQUESTED, 0),
        issued=counts.get(CertificateStatus.ISSUED, 0),
    )


async def led(session: AsyncSession, actor: Actor) -> list[Association]:
    """The associations the actor leads (their certificates are theirs to manage)."""
    user = await require_registered(session, actor)
    return await held_in_roles(session, user.id, MANAGERS)


async def managed_certificate(
    session: AsyncSession, actor: Actor, certificate_id: int
) -> CertificateView:
    """An issued certificate of an association the actor leads (to revoke, to rename)."""
    certificate, association = await loaded(session, certificate_id)
    await leader_of(session, actor, certificate.association_id)
    if certificate.status is not CertificateStatus.ISSUED:
        raise NotIssued()
    return view_of(certificate, association)
