"""The rules of an association's certificates, and who meets them.

Set by the leader: the share of the held meetings a member attended (default 50 %), an
optional minimum of contributions (acts of every form of activity, counted by
services/activity.py, the one query layer the ranking and the report share), manual
approval only, the hours printed, and the title («СЕРТИФИКАТ» or «ДОКУМЕНТ ОБ УЧАСТИИ»).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, Membership, MembershipStatus
from models.certificates import CertificateRules, CertificateTitle
from services.access import Actor
from services.activity import Counts, Form, Period, held_meetings, tally
from services.audit import audit
from services.certificates.common import leader_of
from services.clock import now
from services.errors import InvalidInput
from services.texts import N_

DEFAULT_PERCENT = 50
MAX_CONTRIBUTIONS = 1000
MAX_HOURS = 500


class BadPercent(InvalidInput):
    message = N_("Write a whole number of per cent from 0 to 100, for example 50.")


class BadContributions(InvalidInput):
    message = N_("Write a whole number from 0 to {limit}; 0 means no minimum.")


class BadHours(InvalidInput):
    message = N_("Write a whole number of hours from 0 to {limit}; 0 means none are printed.")


def _number(text: str, low: int, high: int) -> int | None:
    value = text.strip().rstrip("%").strip()
    if not value.isdigit():
        return None
    number = int(value)
    return number if low <= number <= high else None


def parse_percent(text: str) -> int:
    number = _number(text, 0, 100)
    if number is None:
        raise BadPercent()
    return number


def parse_contributions(text: str) -> int | None:
    """A minimum of contributions; 0 is none."""
    number = _number(text, 0, MAX_CONTRIBUTIONS)
    if number is None:
        raise BadContributions(limit=MAX_CONTRIBUTIONS)
    return number or None


def parse_hours(text: str) -> int | None:
    number = _number(text, 0, MAX_HOURS)
    if number is None:
        raise BadHours(limit=MAX_HOURS)
    return number or None


@dataclass(frozen=True, slots=True)
class RulesView:
    association_id: int
    min_attendance_percent: int = DEFAULT_PERCENT
    min_contributions: int | None = None
    manual_only: bool = False
    hours: int | None = None
    title: CertificateTitle = CertificateTitle.CERTIFICATE


async def rules_of(session: AsyncSession, association_id: int) -> RulesView:
    """The association's rules, or the defaults when the leader has set none."""
    row = await session.scalar(
        select(CertificateRules).where(CertificateRules.association_id == association_id)
    )
    if row is None:
        return RulesView(association_id)
    return RulesView(
        association_id=association_id,
        min_attendance_percent=row.min_attendance_percent,
        min_contributions=row.min_contributions,
        manual_only=row.manual_only,
        hours=row.hours,
        title=row.title,
    )


async def rules_for_leader(session: AsyncSession, actor: Actor, association_id: int) -> RulesView:
    await leader_of(session, actor, association_id)
    return await rules_of(session, association_id)


async def set_rules(
    session: AsyncSession,
    actor: Actor,
    *,
    association_id: int,
    min_attendance_percent: int,
    min_contributions: int | None,
    manual_only: bool,
    hours: int | None,
    title: CertificateTitle,
) -> RulesView:
    """The leader sets the rules (the values already checked by the parse_* functions)."""
    await leader_of(session, actor, association_id)
    if not 0 <= min_attendance_percent <= 100:
        raise BadPercent()
    row = await session.scalar(
        select(CertificateRules).where(CertificateRules.association_id == association_id)
    )
    if row is None:
        row = CertificateRules(association_id=association_id)
        session.add(row)
    row.min_attendance_percent = min_attendance_percent
    row.min_contributions = min_contributions or None
    row.manual_only = manual_only
    row.hours = hours or None
    row.title = title
    row.updated_at = now()
    await session.flush()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="certificates.rules",
        target_type="association",
        target_id=association_id,
        percent=min_attendance_percent,
        contributions=min_contributions,
        manual_only=manual_only,
        hours=hours,
    )
    return await rules_of(session, association_id)


@dataclass(frozen=True, slots=True)
class Eligibility:
    """A member's standing against the rules, with what is missing."""

    attended: int
    held: int
    percent_needed: int
    contributions: int
    contributions_needed: int | None
    manual_only: bool

    @property
    def attendance_ok(self) -> bool:
        if self.percent_needed == 0:
            return True
        return self.held > 0 and self.attended * 100 >= self.percent_needed * self.held

    @property
    def contributions_ok(self) -> bool:
        return self.contributions_needed is None or self.contributions >= self.contributions_needed

    @property
    def meets_rules(self) -> bool:
        """The thresholds are met (what the leader's «issue to all eligible» asks)."""
        return self.attendance_ok and self.contributions_ok

    @property
    def eligible(self) -> bool:
        """Issued at once on request: the thresholds met and no manual approval asked."""
        return self.meets_rules and not self.manual_only


def _standing(rules: RulesView, held: int, counts: Counts | None) -> Eligibility:
    counts = counts or Counts()
    return Eligibility(
        attended=counts.by_form[Form.MEETINGS],
        held=held,
        percent_needed=rules.min_attendance_percent,
        contributions=counts.total,
        contributions_needed=rules.min_contributions,
        manual_only=rules.manual_only,
    )


async def standings(
    session: AsyncSession,
    *,
    association: Association,
    period: tuple[date, date],
    user_ids: Iterable[int] | None = None,
) -> dict[int, Eligibility]:
    """Each active member's eligibility (or only `user_ids`'), from one tally."""
    rules = await rules_of(session, association.id)
    start, end = Period(period[0], period[1], association.timezone).bounds()
    held = (await held_meetings(session, start=start, end=end, association_ids=[association.id]))[
        association.id
    ]
    query = select(Membership.user_id).where(
        Membership.association_id == association.id,
        Membership.status == MembershipStatus.ACTIVE,
    )
    if user_ids is not None:
        query = query.where(Membership.user_id.in_(sorted(set(user_ids))))
    members = list((await session.scalars(query.order_by(Membership.user_id))).all())
    if not members:
        return {}
    user_id = members[0] if len(members) == 1 else None
    activity = await tally(
        session, start=start, end=end, association_ids=[association.id], user_id=user_id
    )
    counts = activity.of_association(association.id)
    return {uid: _standing(rules, held, counts.get(uid)) for uid in members}


async def eligibility(
    session: AsyncSession, *, association: Association, user_id: int, period: tuple[date, date]
) -> Eligibility:
    found = await standings(session, association=association, period=period, user_ids=[user_id])
    if user_id in found:
        return found[user_id]
    rules = await rules_of(session, association.id)
    return _standing(rules, 0, None)
