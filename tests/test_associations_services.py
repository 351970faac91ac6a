"""Service-level rules of associations and memberships."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from models import (
    AssociationKind,
    AssociationStatus,
    JoinPolicy,
    MemberRole,
    Membership,
    MembershipStatus,
    NetworkRole,
    SubjectScope,
)
from models.associations_extra import WaitingStatus
from services import associations, memberships
from services.access import Actor
from services.clock import now, set_clock
from services.errors import PermissionDenied
from tests.factories import add_member, make_association, make_teacher


def _draft(**extra):  # type: ignore[no-untyped-def]
    values = dict(
        kind=AssociationKind.COMMUNITY,
        name="Сообщество учителей физики",
        topic="Цифровая лаборатория на уроках физики",
        subject_scope=SubjectScope.MONO,
        subjects=["physics"],
        join_policy=JoinPolicy.OPEN,
    )
    values.update(extra)
    return associations.Draft(**values)


async def test_methodist_creates_community_with_default_cap_and_code(session):
    methodist = await make_teacher(session, roles=(NetworkRole.METHODIST,))
    leader = await make_teacher(session)
    created = await associations.create_association(
        session,
        actor=Actor(methodist.telegram_id),
        draft=_draft(leader_user_id=leader.id),
    )
    assert created.member_cap == 150
    assert created.status == AssociationStatus.ACTIVE
    assert len(created.join_code) == 6
    assert (await associations.leader_of(session, created.id)).id == leader.id
    assert created.period_start.month == 9 and created.period_end.month == 8


async def test_teacher_cannot_create_but_may_propose(session):
    teacher = await make_teacher(session)
    with pytest.raises(PermissionDenied):
        await associations.create_association(
            session, actor=Actor(teacher.telegram_id), draft=_draft(leader_user_id=teacher.id)
        )
    proposal = await associations.propose_association(
        session, actor=Actor(teacher.telegram_id), draft=_draft()
    )
    assert proposal.status == AssociationStatus.PROPOSED
    approver = await make_teacher(session, roles=(NetworkRole.APPROVER,))
    decision = await associations.decide_proposal(
        session, actor=Actor(approver.telegram_id), association_id=proposal.id, approve=True
    )
    assert decision.initiator.id == teacher.id
    assert proposal.status == AssociationStatus.ACTIVE
    assert (await associations.leader_of(session, proposal.id)).id == teacher.id
    with pytest.raises(associations.NotProposal):
        await associations.decide_proposal(
            session, actor=Actor(approver.telegram_id), association_id=proposal.id, approve=False
        )


def test_order_and_cap_validation():
    assert associations.clean_order("15 от 01.09.2026") == "№ 15 от 01.09.2026"
    with pytest.raises(associations.BadOrder):
        associations.clean_order("15 от 31.02.2026")
    with pytest.raises(associations.BadCap):
        associations.clean_cap("1")
    assert associations.clean_cap(" 25 ") == 25


def test_period_parsing_and_rules():
    set_clock(lambda: datetime(2026, 11, 26, 10, 0, tzinfo=UTC))
    expected = (date(2026, 9, 1), date(2027, 5, 31))
    for text in ("01.09.2026 – 31.05.2027", "1.9.2026-31.5.2027", " 01.09.2026 —31.05.2027 "):
        assert associations.parse_period(text) == expected
    for text in ("01.09.2026", "с 1 сентября по 31 мая", "31.02.2027 – 31.05.2027"):
        with pytest.raises(associations.BadPeriodFormat):
            associations.parse_period(text)
    community, vpo = AssociationKind.COMMUNITY, AssociationKind.VPO
    assert associations.check_period(community, *expected) == expected
    with pytest.raises(associations.PeriodReversed):
        associations.check_period(community, date(2027, 5, 31), date(2026, 9, 1))
    # exactly two years is allowed, a day more is not
    assert associations.check_period(community, date(2026, 9, 1), date(2028, 8, 31))
    with pytest.raises(associations.PeriodTooLong):
        associations.check_period(community, date(2026, 9, 1), date(2028, 9, 1))
    with pytest.raises(associations.PeriodInPast):
        associations.check_period(community, date(2025, 9, 1), date(2026, 5, 31))
    # a VPO lasts at most one academic year
    assert associations.check_period(vpo, date(2026, 9, 1), date(2027, 8, 31))
    with pytest.raises(associations.PeriodTooLongForVpo):
        associations.check_period(vpo, date(2026, 9, 1), date(2027, 12, 31))
    assert associations.default_period() == (date(2026, 9, 1), date(2027, 8, 31))


def test_goals_validation():
    assert associations.clean_goals("  Цель:   развитие\n  Задачи: семинары ") == (
        "Цель: развитие\nЗадачи: семинары"
    )
    for text in ("ab", "   ", "я" * 1001):
        with pytest.raises(associations.BadGoals):
            associations.clean_goals(text)


async def test_services_refuse_a_forged_period_or_goals(session):
    set_clock(lambda: datetime(2026, 11, 26, 10, 0, tzinfo=UTC))
    methodist = await make_teacher(session, roles=(NetworkRole.METHODIST,))
    teacher = await make_teacher(session)
    actor = Actor(methodist.telegram_id)
    with pytest.raises(associations.PeriodTooLongForVpo):
        await associations.create_association(
            session,
            actor=actor,
            draft=_draft(
                kind=AssociationKind.VPO,
                leader_user_id=teacher.id,
                period=(date(2026, 9, 1), date(2028, 5, 31)),
            ),
        )
    with pytest.raises(associations.PeriodInPast):
        await associations.propose_association(
            session,
            actor=Actor(teacher.telegram_id),
            draft=_draft(period=(date(2025, 9, 1), date(2026, 8, 31))),
        )
    with pytest.raises(associations.BadGoals):
        await associations.propose_association(
            session, actor=Actor(teacher.telegram_id), draft=_draft(goals="x")
        )
    created = await associations.create_association(
        session,
        actor=actor,
        draft=_draft(
            kind=AssociationKind.VPO,
            leader_user_id=teacher.id,
            period=(date(2027, 1, 10), date(2027, 12, 20)),
            goals="Цель: обмен опытом.",
        ),
    )
    assert (created.period_start, created.period_end) == (date(2027, 1, 10), date(2027, 12, 20))
    assert created.goals == "Цель: обмен опытом."


async def test_cap_waiting_list_and_offer_on_leave(session):
    leader = await make_teacher(session)
    club = await make_association(session, leader=leader, member_cap=2)
    first, second = await make_teacher(session), await make_teacher(session)
    joined = await memberships.join(
        session, actor=Actor(first.telegram_id), association_id=club.id, via="code"
    )
    assert joined.outcome == memberships.Outcome.JOINED
    full = await memberships.join(
        session, actor=Actor(second.telegram_id), association_id=club.id, via="code"
    )
    assert full.outcome == memberships.Outcome.FULL
    entry = await memberships.wait_for_place(
        session, actor=Actor(second.telegram_id), association_id=club.id
    )
    assert await memberships.waiting_position(session, entry) == 1
    departure = await memberships.leave(
        session, actor=Actor(first.telegram_id), association_id=club.id
    )
    assert [o.user.id for o in departure.offers] == [second.id]
    assert entry.status == WaitingStatus.OFFERED
    result = await memberships.accept_offer(
        session, actor=Actor(second.telegram_id), entry_id=entry.id
    )
    assert result.outcome == memberships.Outcome.JOINED


async def test_offer_expires_and_passes_on(session):
    leader = await make_teacher(session)
    club = await make_association(session, leader=leader, member_cap=2)
    one, two, three = [await make_teacher(session) for _ in range(3)]
    await add_member(session, club, one)
    e2 = await memberships.wait_for_place(
        session, actor=Actor(two.telegram_id), association_id=club.id
    )
    e3 = await memberships.wait_for_place(
        session, actor=Actor(three.telegram_id), association_id=club.id
    )
    await memberships.leave(session, actor=Actor(one.telegram_id), association_id=club.id)
    assert e2.status == WaitingStatus.OFFERED and e3.status == WaitingStatus.WAITING
    later = now() + timedelta(hours=49)
    set_clock(lambda: later)
    offers = await memberships.expire_offers(session)
    assert [o.user.id for o in offers] == [three.id]
    with pytest.raises(memberships.OfferGone):
        await memberships.accept_offer(session, actor=Actor(two.telegram_id), entry_id=e2.id)


async def test_approval_policy_and_decisions(session):
    leader = await make_teacher(session)
    club = await make_association(session, leader=leader, join_policy=JoinPolicy.APPROVAL)
    applicant = await make_teacher(session)
    result = await memberships.join(
        session, actor=Actor(applicant.telegram_id), association_id=club.id, via="code"
    )
    assert result.outcome == memberships.Outcome.REQUESTED
    assert [m.id for m in result.managers] == [leader.id]
    outsider = await make_teacher(session)
    with pytest.raises(PermissionDenied):
        await memberships.decide_request(
            session,
            actor=Actor(outsider.telegram_id),
            membership_id=result.membership.id,
            approve=True,
        )
    decision = await memberships.decide_request(
        session, actor=Actor(leader.telegram_id), membership_id=result.membership.id, approve=True
    )
    assert decision.membership.status == MembershipStatus.ACTIVE
    with pytest.raises(memberships.RequestDecided):
        await memberships.decide_request(
            session,
            actor=Actor(leader.telegram_id),
            membership_id=result.membership.id,
            approve=False,
        )


async def test_invitation_policy_needs_a_link(session):
    leader = await make_teacher(session)
    club = await make_association(session, leader=leader, join_policy=JoinPolicy.INVITATION)
    guest = await make_teacher(session)
    with pytest.raises(memberships.InvitationOnly):
        await memberships.join(
            session, actor=Actor(guest.telegram_id), association_id=club.id, via="code"
        )
    invitation = await memberships.create_invitation(
        session, actor=Actor(leader.telegram_id), association_id=club.id
    )
    result = await memberships.join(
        session,
        actor=Actor(guest.telegram_id),
        association_id=club.id,
        via="link",
        token=invitation.token,
    )
    assert result.outcome == memberships.Outcome.JOINED and invitation.uses == 1


async def test_roles_hand_over_and_removal(session):
    leader = await make_teacher(session)
    club = await make_association(session, leader=leader)
    member = await make_teacher(session)
    await add_member(session, club, member)
    await memberships.set_role(
        session,
        actor=Actor(leader.telegram_id),
        association_id=club.id,
        user_id=member.id,
        role=MemberRole.SECRETARY,
    )
    with pytest.raises(memberships.LeaderCannotLeave):
        await memberships.leave(session, actor=Actor(leader.telegram_id), association_id=club.id)
    await memberships.hand_over(
        session, actor=Actor(leader.telegram_id), association_id=club.id, user_id=member.id
    )
    assert (await associations.leader_of(session, club.id)).id == member.id
    with pytest.raises(memberships.BadReason):
        await memberships.remove_member(
            session,
            actor=Actor(member.telegram_id),
            association_id=club.id,
            user_id=leader.id,
            reason="x",
        )
    departure = await memberships.remove_member(
        session,
        actor=Actor(member.telegram_id),
        association_id=club.id,
        user_id=leader.id,
        reason="Не участвует в работе",
    )
    assert departure.user.id == leader.id
    row = await session.scalar(
        select(Membership).where(
            Membership.user_id == leader.id, Membership.association_id == club.id
        )
    )
    assert row.status == MembershipStatus.REMOVED


async def test_chat_join_decisions(session):
    leader = await make_teacher(session)
    club = await make_association(session, leader=leader, chat_id=-100500)
    stranger = await make_teacher(session)
    ok = await memberships.decide_chat_join(
        session, chat_id=-100500, telegram_id=leader.telegram_id
    )
    assert ok.verdict == memberships.ChatVerdict.APPROVE
    no = await memberships.decide_chat_join(
        session, chat_id=-100500, telegram_id=stranger.telegram_id
    )
    assert no.verdict == memberships.ChatVerdict.NOT_MEMBER
    unknown = await memberships.decide_chat_join(session, chat_id=-100500, telegram_id=5)
    assert unknown.verdict == memberships.ChatVerdict.UNREGISTERED
    assert club.id == ok.association.id


async def test_catalogue_filters_and_pages(session):
    leader = await make_teacher(session)
    for n in range(7):
        await make_association(
            session, leader=leader, name=f"ВМО {n}", subjects=["math"] if n % 2 else ["physics"]
        )
    page = await associations.catalogue(session, subject="math", per_page=2)
    assert page.total == 3 and page.pages == 2 and all(c == 1 for _, c in page.items)
    kinds = await associations.catalogue(session, kind=AssociationKind.COMMUNITY)
    assert kinds.total == 0


async def test_a_removed_member_comes_back_only_with_approval(session):
    leader = await make_teacher(session)
    club = await make_association(session, leader=leader)
    member = await make_teacher(session)
    await add_member(session, club, member)
    await memberships.remove_member(
        session,
        actor=Actor(leader.telegram_id),
        association_id=club.id,
        user_id=member.id,
        reason="Нарушение правил",
    )
    again = await memberships.join(
        session, actor=Actor(member.telegram_id), association_id=club.id, via="code"
    )
    assert again.outcome == memberships.Outcome.REQUESTED


async def test_card_shows_the_next_scheduled_meeting(session):
    from models.meetings import Meeting, MeetingStatus

    leader = await make_teacher(session)
    association = await make_association(session, leader=leader)
    soon, later = now() + timedelta(days=3), now() + timedelta(days=30)
    for number, starts_at, status in (
        (1, now() - timedelta(days=3), MeetingStatus.SCHEDULED),
        (2, soon, MeetingStatus.CANCELLED),
        (3, later, MeetingStatus.SCHEDULED),
    ):
        session.add(
            Meeting(
                association_id=association.id,
                number=number,
                academic_year=2026,
                topic=f"Тема {number}",
                form="webinar",
                starts_at=starts_at,
                link="https://example.org/m",
                status=status,
            )
        )
    await session.flush()
    card = await associations.card(
        session, actor=Actor(leader.telegram_id), association_id=association.id
    )
    assert card.next_meeting is not None and card.next_meeting.number == 3


async def test_held_in_roles_lists_only_the_associations_in_those_roles(session):  # type: ignore[no-untyped-def]
    person = await make_teacher(session, 880_001)
    await make_association(session, leader=person, name="ВМО физиков")
    other_leader = await make_teacher(session, 880_002)
    kept = await make_association(session, leader=other_leader, name="ВМО биологов")
    joined = await make_association(session, leader=other_leader, name="ВМО химиков")
    await add_member(session, kept, person, role=MemberRole.SECRETARY)
    await add_member(session, joined, person)
    managed = await associations.held_in_roles(session, person.id, associations.MANAGERS)
    with_secretary = await associations.held_in_roles(
        session, person.id, (*associations.MANAGERS, MemberRole.SECRETARY)
    )
    assert [a.name for a in managed] == ["ВМО физиков"]
    assert [a.name for a in with_secretary] == ["ВМО биологов", "ВМО физиков"]


async def test_the_organisation_is_the_one_given_not_the_creators(session):
    methodist = await make_teacher(
        session, roles=(NetworkRole.METHODIST,), organisation="Управление образования"
    )
    leader = await make_teacher(session)
    actor = Actor(methodist.telegram_id)
    given = await associations.create_association(
        session,
        actor=actor,
        draft=_draft(leader_user_id=leader.id, organisation="  МБОУ   «Лицей № 2» "),
    )
    assert given.organisation == "МБОУ «Лицей № 2»"
    # Not given (rows made before the question existed behave the same): the creator's.
    kept = await associations.create_association(
        session, actor=actor, draft=_draft(leader_user_id=leader.id)
    )
    assert kept.organisation == "Управление образования"
    with pytest.raises(associations.BadOrganisation):
        await associations.create_association(
            session, actor=actor, draft=_draft(leader_user_id=leader.id, organisation="ОУ")
        )
    # Editing changes it; the plan, protocols and roster print association.organisation.
    details = associations.Details(
        name=kept.name,
        topic=kept.topic or "",
        goals=None,
        period=(kept.period_start, kept.period_end),
        member_cap=kept.member_cap,
        order_ref=None,
        timezone=kept.timezone,
        organisation="МБОУ «СОШ № 1»",
    )
    changed = await associations.update_details(
        session, actor=actor, association_id=kept.id, details=details
    )
    assert changed == ["organisation"] and kept.organisation == "МБОУ «СОШ № 1»"


async def test_joining_tells_the_managers_and_the_decision_tells_the_applicant(session):
    from services.notices import take_pending

    leader = await make_teacher(session)
    club = await make_association(session, leader=leader, join_policy=JoinPolicy.APPROVAL)
    applicant = await make_teacher(session)
    result = await memberships.join(
        session, actor=Actor(applicant.telegram_id), association_id=club.id, via="code"
    )
    [asked] = take_pending(session)
    assert (asked.kind, asked.user, asked.params["membership_id"]) == (
        "associations.join_request",
        leader,
        result.membership.id,
    )
    await memberships.decide_request(
        session, actor=Actor(leader.telegram_id), membership_id=result.membership.id, approve=False
    )
    [told] = take_pending(session)
    assert (told.kind, told.user) == ("associations.request_declined", applicant)
