"""Sections 3 and 6: the members' composition and how evenly they take part."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.association import MemberRole, Membership, MembershipStatus
from models.user import User
from services import activity
from services.activity import Form, Period
from services.report.data import Share

ACTIVE_IN_MANY_FORMS = 3

EXPERIENCE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 3, "до 3 лет"),
    (3, 10, "от 3 до 10 лет"),
    (10, 20, "от 10 до 20 лет"),
    (20, None, "20 лет и более"),
)


def shares(values: Sequence[str], whole: int, order: Sequence[str] = ()) -> tuple[Share, ...]:
    """Most frequent first, or in the given order of labels (experience: by years)."""
    counted = Counter(values)
    if order:
        rank = {label: i for i, label in enumerate(order)}
        ordered = sorted(counted.items(), key=lambda pair: rank.get(pair[0], len(rank)))
    else:
        ordered = sorted(counted.items(), key=lambda pair: (-pair[1], pair[0]))
    return tuple(Share(label, count, whole) for label, count in ordered)


def experience_band(years: int | None) -> str:
    if years is None:
        return "не указан"
    for low, high, label in EXPERIENCE_BANDS:
        if years >= low and (high is None or years < high):
            return label
    return EXPERIENCE_BANDS[-1][2]


CATEGORY_WORDS = {
    "none": "без категории",
    "compliance": "соответствие занимаемой должности",
    "first": "первая",
    "highest": "высшая",
    "methodist": "педагог-методист",
    "mentor": "педагог-наставник",
}


async def active_members(
    session: AsyncSession, association_id: int
) -> list[tuple[User, MemberRole]]:
    rows = await session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
        .order_by(User.id)
    )
    return [(user, role) for user, role in rows.all()]


async def participation(
    session: AsyncSession, association_id: int, period: Period, people: dict[int, str]
) -> tuple[tuple[Share, ...], Share, tuple[str, ...], tuple[str, ...]]:
    start, end = period.bounds()
    counts = await activity.tally(session, start=start, end=end, association_ids=[association_id])
    mine = {user: c for user, c in counts.of_association(association_id).items() if user in people}
    whole = len(people)
    forms = tuple(
        Share(form.value, sum(1 for c in mine.values() if c.by_form[form]), whole)
        for form in Form
        if any(c.by_form[form] for c in mine.values())
    )
    many = Share("", sum(1 for c in mine.values() if c.forms_used >= ACTIVE_IN_MANY_FORMS), whole)
    order = [user for user, score in activity.ranked(mine) if score > 0]
    idle = [user for user in people if user not in order]
    most = order[:3]
    # The least active are never also named among the most active (a small association).
    least = [user for user in (idle + order[::-1]) if user not in most][:3] if order else []
    return forms, many, tuple(people[u] for u in most), tuple(people[u] for u in least)
