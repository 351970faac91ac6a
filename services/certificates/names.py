"""The recipient's name as printed: declined by services/declension.py, unless the leader
corrected it once; the correction is kept (per person and case) and reused for every later
certificate while the person's name stays the same."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import User
from models.certificates import Certificate, CertificateStatus, GrammaticalCase, NameCorrection
from services.access import Actor
from services.audit import audit
from services.certificates.common import leader_of, loaded
from services.clock import now
from services.declension import decline_full_name
from services.errors import InvalidInput
from services.names import clean_name
from services.texts import N_

MAX_NAME = 200


class BadDeclinedName(InvalidInput):
    message = N_(
        "Write the full name in the dative as it should be printed, e.g. "
        "<i>Ивановой Марии Петровне</i> (2 to {limit} characters)."
    )


def clean_declined(text: str) -> str:
    value = clean_name(text)
    if not 2 <= len(value) <= MAX_NAME or not any(char.isalpha() for char in value):
        raise BadDeclinedName(limit=MAX_NAME)
    return value


async def printed_names(
    session: AsyncSession, user: User, case: GrammaticalCase = GrammaticalCase.DATIVE
) -> tuple[str, str]:
    """(the nominative, the declined form) of the person's name as it is to be printed."""
    nominative = clean_name(user.full_name)
    corrected = await session.scalar(
        select(NameCorrection.corrected).where(
            NameCorrection.user_id == user.id,
            NameCorrection.grammatical_case == case,
            NameCorrection.full_name == nominative,
        )
    )
    return nominative, corrected or decline_full_name(nominative, case)


async def correct_name(
    session: AsyncSession, actor: Actor, *, certificate_id: int, corrected: str
) -> list[Certificate]:
    """The leader corrects the declined name on a certificate of their association: kept for
    the person and applied to their certificates with that name. Returns the issued ones
    changed (the member gets each PDF again)."""
    certificate, _ = await loaded(session, certificate_id)
    leader = await leader_of(session, actor, certificate.association_id)
    value = clean_declined(corrected)
    row = await session.scalar(
        select(NameCorrection).where(
            NameCorrection.user_id == certificate.user_id,
            NameCorrection.grammatical_case == GrammaticalCase.DATIVE,
        )
    )
    if row is None:
        row = NameCorrection(user_id=certificate.user_id, grammatical_case=GrammaticalCase.DATIVE)
        session.add(row)
    row.full_name, row.corrected = certificate.full_name, value
    row.corrected_by, row.corrected_at = leader.id, now()
    rows = await session.scalars(
        select(Certificate).where(
            Certificate.user_id == certificate.user_id,
            Certificate.full_name == certificate.full_name,
            Certificate.status.in_([CertificateStatus.REQUESTED, CertificateStatus.ISSUED]),
        )
    )
    changed = []
    for each in rows.all():
        if each.full_name_dative != value:
            each.full_name_dative = value
            if each.status is CertificateStatus.ISSUED:
                changed.append(each)
    await session.flush()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="certificates.name_corrected",
        target_type="user",
        target_id=certificate.user_id,
    )
    return changed
