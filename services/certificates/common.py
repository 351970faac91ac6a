"""What the certificate use cases share: errors, the view both sides read, the period, the
verification link, and the data a certificate's PDF is built from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from documents.certificate import CertificateData
from documents.data import AssociationInfo
from models import Association, MemberRole, User
from models.certificates import Certificate, CertificateKind, CertificateStatus, CertificateTitle
from services.access import Actor, require_association_role
from services.clock import now
from services.errors import DomainError, InvalidInput, NotFound
from services.report import academic_year
from services.texts import N_
from services.verification import printed_code, verification_link

MANAGERS = (MemberRole.LEADER,)
PREFIXES = {CertificateKind.PARTICIPATION: "ВМО", CertificateKind.PUBLICATION: "СП"}
MAX_REASON = 500


class NotAMember(DomainError):
    message = N_("Certificates of an association are for its members.")


class AlreadyIssued(DomainError):
    message = N_("You already have this certificate: it is in /certificate.")


class AlreadyRequested(DomainError):
    message = N_("Your request is already with the leader. You will be told the decision.")


class NotRequested(DomainError):
    message = N_("This request has already been decided.")


class NotIssued(DomainError):
    message = N_("This certificate is not valid (it was revoked or never issued).")


class NotYourCertificate(DomainError):
    message = N_("This certificate is not yours.")


class NotPublishable(DomainError):
    message = N_(
        "A certificate of publication is given for your own material approved into the bank "
        "of an association."
    )


class NobodyEligible(DomainError):
    message = N_("Nobody is eligible for a certificate who does not have one yet.")


class BadReason(InvalidInput):
    message = N_("The reason should be 3 to {limit} characters long.")


def clean_reason(text: str) -> str:
    value = " ".join(text.split())
    if not 3 <= len(value) <= MAX_REASON:
        raise BadReason(limit=MAX_REASON)
    return value


@dataclass(frozen=True, slots=True)
class Links:
    """Where the QR codes point: the public page when WEB_BASE_URL is set, else the bot."""

    bot_username: str | None
    web_base_url: str | None = None

    def link(self, code: str) -> str:
        return verification_link(
            code, bot_username=self.bot_username, web_base_url=self.web_base_url
        )


@dataclass(frozen=True, slots=True)
class CertificateView:
    """A certificate as the member and the leader read it in the bot."""

    certificate_id: int
    kind: CertificateKind
    status: CertificateStatus
    number: str | None
    code: str | None  # printed, «K7MXQ-RT4WC»
    full_name: str
    full_name_dative: str
    association: str
    association_id: int
    material_title: str | None
    period_start: date
    period_end: date
    issued_on: date | None
    reason: str | None
    revoked_on: date | None


def local_today(association: Association) -> date:
    return now().astimezone(ZoneInfo(association.timezone)).date()


def period_of(association: Association) -> tuple[date, date]:
    """The current academic year, within the association's own period of work."""
    start, end = academic_year(local_today(association))
    return max(start, association.period_start), min(end, association.period_end)


def view_of(certificate: Certificate, association: Association) -> CertificateView:
    revoked = certificate.revoked_at
    zone = ZoneInfo(association.timezone)
    return CertificateView(
        certificate_id=certificate.id,
        kind=certificate.kind,
        status=certificate.status,
        number=certificate.number,
        code=printed_code(certificate.code) if certificate.code else None,
        full_name=certificate.full_name,
        full_name_dative=certificate.full_name_dative,
        association=certificate.association_name,
        association_id=certificate.association_id,
        material_title=certificate.material_title,
        period_start=certificate.period_start,
        period_end=certificate.period_end,
        issued_on=certificate.issued_on,
        reason=certificate.reason,
        revoked_on=revoked.astimezone(zone).date() if revoked else None,
    )


def document_of(certificate: Certificate, association: Association) -> CertificateData:
    """The PDF's data of an issued certificate (the QR code holds its verification URL)."""
    assert certificate.code and certificate.number and certificate.issued_on
    assert certificate.verification_url
    if certificate.kind is CertificateKind.PUBLICATION:
        title = "publication"
    elif certificate.title is CertificateTitle.PARTICIPATION:
        title = "participation"
    else:
        title = "certificate"
    return CertificateData(
        title=title,
        recipient_dative=certificate.full_name_dative,
        association=AssociationInfo(
            name=certificate.association_name,
            kind=association.kind.value,
            organisation=certificate.organisation or "",
        ),
        period_start=certificate.period_start,
        period_end=certificate.period_end,
        issued_on=certificate.issued_on,
        number=certificate.number,
        printed_code=printed_code(certificate.code),
        link=certificate.verification_url,
        topic=certificate.topic,
        material_title=certificate.material_title,
        hours=certificate.hours,
        leader_name=certificate.leader_name or "",
    )


def file_name(certificate: Certificate) -> str:
    return f"sertifikat-{(certificate.number or str(certificate.id)).split('-', 1)[-1]}.pdf"


async def leader_of(session: AsyncSession, actor: Actor, association_id: int) -> User:
    """The actor, if they lead the association (methodists and admins pass too)."""
    return await require_association_role(session, actor, association_id, *MANAGERS)


async def loaded(session: AsyncSession, certificate_id: int) -> tuple[Certificate, Association]:
    certificate = await session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound()
    association = await session.get(Association, certificate.association_id)
    if association is None:
        raise NotFound()
    return certificate, association
