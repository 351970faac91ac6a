"""The activity ranking: the order and breakdown from known data, the pages, the least
active never among the top, the periods, and who may see it."""

from __future__ import annotations

from datetime import date

import pytest

from models import NetworkRole
from models.plans import PlanRoute, RouteStep
from services import ranking
from services.access import Actor
from services.activity import Form, parse_weights
from services.errors import PermissionDenied
from services.ranking import Span, breakdown, period_of
from tests.activity_world import CHATTY, SECOND, STAR, ZEROES, build_world
from tests.factories import make_teacher


def _names(places) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.user.full_name for p in places]


async def test_the_order_scores_and_breakdown_follow_the_year(session) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(session)
    found = await ranking.ranking(
        session, actor=Actor(world.leader.telegram_id), association_id=world.association.id
    )
    assert found.leads and found.held == 6 and found.members == 14
    assert found.span is Span.YEAR and found.period.start == date(2026, 9, 1)
    top = found.shown
    assert _names(top)[:3] == [STAR, SECOND, "Иванова Анна Петровна"]
    assert [p.score for p in top[:3]] == [33, 18, 5]
    assert _names(top)[3:] == list(reversed(CHATTY))[:7]
    assert len(top) == 10 and found.pages == 2
    assert breakdown(top[0].counts) == [("meetings", 5), ("materials", 1), ("tasks", 1)]
    assert top[1].counts.by_form[Form.GROUP_MESSAGES] == 10
    assert top[1].counts.by_form[Form.QUESTIONS] == 1
    # The second page: the two members with one and two messages.
    second = await ranking.ranking(
        session,
        actor=Actor(world.leader.telegram_id),
        association_id=world.association.id,
        page=1,
    )
    assert _names(second.shown) == [CHATTY[1], CHATTY[0]]
    # A forged page beyond the end shows the last one.
    beyond = await ranking.ranking(
        session,
        actor=Actor(world.leader.telegram_id),
        association_id=world.association.id,
        page=9,
    )
    assert beyond.page == 1


async def test_the_least_active_are_never_in_the_top(session) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(session)
    found = await ranking.ranking(
        session, actor=Actor(world.leader.telegram_id), association_id=world.association.id
    )
    least = _names(found.least)
    assert set(least[:2]) == set(ZEROES) and least[2:] == [CHATTY[0], CHATTY[1]]
    assert not set(least) & set(_names(found.shown))
    assert [p.score for p in found.least[:2]] == [0, 0]


async def test_a_small_association_has_no_least_repeating_the_top(session) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(session)
    month = await ranking.ranking(
        session,
        actor=Actor(world.leader.telegram_id),
        association_id=world.association.id,
        span=Span.LAST_YEAR,
    )
    # Last year only Петров attended (one meeting): he is the top, everyone else the least.
    assert _names(month.shown) == [STAR] and month.held == 1
    assert STAR not in _names(month.least) and len(month.least) == 5


async def test_periods_and_weights(session) -> None:  # type: ignore[no-untyped-def]
    assert period_of(Span.MONTH, date(2027, 3, 1), "Europe/Moscow").start == date(2027, 3, 1)
    last = period_of(Span.LAST_YEAR, date(2026, 10, 5), "Europe/Moscow")
    assert (last.start, last.end) == (date(2025, 9, 1), date(2026, 8, 31))
    world = await build_world(session)
    weights = parse_weights("meetings=1, group_messages=3")
    found = await ranking.ranking(
        session,
        actor=Actor(world.leader.telegram_id),
        association_id=world.association.id,
        weights=weights,
    )
    assert _names(found.shown)[0] == SECOND  # 3 + 30 + 1 beats 5 + 5 + 3
    month = await ranking.ranking(
        session,
        actor=Actor(world.leader.telegram_id),
        association_id=world.association.id,
        span=Span.MONTH,
    )
    assert month.held == 0 and not month.shown


async def test_who_may_see_the_ranking(session) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(session)
    with pytest.raises(PermissionDenied):
        await ranking.ranking(
            session, actor=Actor(world.star.telegram_id), association_id=world.association.id
        )
    approver = await make_teacher(session, 791_001, roles=(NetworkRole.APPROVER,))
    seen = await ranking.ranking(
        session, actor=Actor(approver.telegram_id), association_id=world.association.id
    )
    assert not seen.leads and seen.shown
    with pytest.raises(PermissionDenied):
        await ranking.require_leader(
            session, actor=Actor(approver.telegram_id), association_id=world.association.id
        )
    # Once the plan's route names its own approver, the network's approvers are not it.
    routed = await make_teacher(session, 791_002)
    session.add(
        PlanRoute(
            association_id=world.association.id,
            step=RouteStep.APPROVAL,
            user_id=routed.id,
            position="Директор",
        )
    )
    await session.flush()
    assert [p.id for p in await ranking.approvers(session, world.association.id)] == [routed.id]
    with pytest.raises(PermissionDenied):
        await ranking.ranking(
            session, actor=Actor(approver.telegram_id), association_id=world.association.id
        )
