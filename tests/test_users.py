"""Profile rules, roles, the audit log and activity events at the service level."""

from __future__ import annotations

import pytest

from models import NetworkRole
from services import audit, users
from services.access import Actor, require_network_role
from services.errors import AlreadyHasRole, PermissionDenied, UnknownUser
from services.privacy import export_personal_data, forget
from tests.factories import make_association, make_teacher


@pytest.mark.parametrize(
    "name",
    [
        "Иванова Анна Петровна",
        "Jane Smith",
        "Салтыков-Щедрин Михаил",
        "O'Neil Mary",
        "Иванова   Анна",
    ],
)
def test_real_names_are_accepted(name):
    assert users.clean_full_name(name) == " ".join(name.split())


@pytest.mark.parametrize(
    "name", ["Анна", "Анна1 Петрова", "<b>Иванова</b> Анна", "a b c d e f", "Иванова " + "а" * 200]
)
def test_names_that_are_not_names_are_refused(name):
    with pytest.raises(users.BadFullName):
        users.clean_full_name(name)


@pytest.mark.parametrize(("text", "years"), [("0", 0), ("12 лет", 12), (" 7 ", 7)])
def test_experience_is_a_number_of_years(text, years):
    assert users.clean_experience(text) == years


@pytest.mark.parametrize("text", ["", "много", "-3", "61", "7.5"])
def test_bad_experience_is_refused(text):
    with pytest.raises(users.BadExperience):
        users.clean_experience(text)


async def test_granting_a_role_needs_an_admin_and_is_audited(session):
    teacher = await make_teacher(session, 501)
    admin = Actor(telegram_id=1, is_platform_admin=True)
    with pytest.raises(PermissionDenied):
        await users.grant_role(
            session, actor=Actor(telegram_id=501), telegram_id=501, role=NetworkRole.METHODIST
        )
    await users.grant_role(session, actor=admin, telegram_id=501, role=NetworkRole.METHODIST)
    with pytest.raises(AlreadyHasRole):
        await users.grant_role(session, actor=admin, telegram_id=501, role=NetworkRole.METHODIST)
    with pytest.raises(UnknownUser):
        await users.grant_role(session, actor=admin, telegram_id=999, role=NetworkRole.EXPERT)
    assert await require_network_role(session, Actor(501), NetworkRole.METHODIST) is teacher
    entries = await audit.recent_audit(session)
    assert [e.action for e in entries] == ["role.granted"]


async def test_search_finds_cyrillic_names_case_insensitively(session):
    await make_teacher(session, full_name="Кузнецова Ольга Игоревна", organisation="Лицей № 1")
    await make_teacher(session, full_name="Петров Иван Сергеевич")
    found = await users.search_users(session, "КУЗНЕЦ")
    assert [u.full_name for u in found] == ["Кузнецова Ольга Игоревна"]
    assert [u.full_name for u in await users.search_users(session, "лицей")] == [
        "Кузнецова Ольга Игоревна"
    ]
    assert await users.search_users(session, "%") == []


async def test_activity_is_counted_without_content(session):
    teacher = await make_teacher(session)
    association = await make_association(session, leader=teacher)
    for kind in ("group_message", "group_message", "poll_answered"):
        await audit.record_activity(
            session, kind=kind, user_id=teacher.id, association_id=association.id
        )
    await session.flush()
    assert await audit.activity_counts(session, association_id=association.id) == {
        "group_message": 2,
        "poll_answered": 1,
    }


async def test_forget_keeps_anonymous_counts(session):
    teacher = await make_teacher(session, 777)
    association = await make_association(session, leader=teacher)
    await audit.record_activity(
        session, kind="group_message", user_id=teacher.id, association_id=association.id
    )
    exported = await export_personal_data(session, actor=Actor(777))
    assert exported["memberships"][0]["role"] == "leader"
    assert "municipality_folded" not in exported["profile"]  # a copy of the profile
    assert teacher.municipality_folded == "г. тверь"
    await forget(session, actor=Actor(777))
    await session.flush()
    assert teacher.telegram_id is None and teacher.full_name is None
    assert teacher.organisation_folded is None and teacher.municipality_folded is None
    assert await audit.activity_counts(session, association_id=association.id) == {
        "group_message": 1
    }


async def test_mydata_covers_every_feature_and_forget_drops_what_needs_a_person(session):
    from sqlalchemy import func, select

    from models.associations_extra import WaitingListEntry
    from models.meetings import Meeting, MeetingRsvp, RsvpAnswer
    from services.clock import now

    teacher = await make_teacher(session, 778)
    association = await make_association(session, leader=teacher)
    meeting = Meeting(
        association_id=association.id,
        number=1,
        academic_year=2026,
        topic="Т",
        form="webinar",
        starts_at=now(),
        link="https://example.org/x",
    )
    session.add(meeting)
    await session.flush()
    session.add(MeetingRsvp(meeting_id=meeting.id, user_id=teacher.id, answer=RsvpAnswer.GOING))
    session.add(WaitingListEntry(association_id=association.id, user_id=teacher.id))
    await session.flush()
    exported = await export_personal_data(session, actor=Actor(778))
    assert exported["records"]["meeting_rsvps"][0]["answer"] == "going"
    assert exported["records"]["association_waiting_list"][0]["status"] == "waiting"
    await forget(session, actor=Actor(778))
    await session.flush()
    assert await session.scalar(select(func.count()).select_from(WaitingListEntry)) == 0
    # The RSVP stays as an anonymous count, linked to the empty tombstone.
    assert await session.scalar(select(func.count()).select_from(MeetingRsvp)) == 1


async def test_the_actor_is_read_once_per_session_and_again_when_stale(session) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import event

    from services.access import user_by_telegram_id

    teacher = await make_teacher(session, telegram_id=515_001)
    await session.commit()
    statements: list[str] = []
    engine = session.bind.sync_engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        first = await user_by_telegram_id(session, 515_001)
        again = await user_by_telegram_id(session, 515_001)
        assert first is again is teacher and len(statements) == 1
        await session.rollback()  # expires everything: read again
        assert await user_by_telegram_id(session, 515_001) is teacher
        assert len(statements) == 2
        teacher.telegram_id = None  # as /forget leaves the row
        assert await user_by_telegram_id(session, 515_001) is None
    finally:
        event.remove(engine, "before_cursor_execute", listener)


async def test_the_audit_log_names_who_acted(session):
    await make_teacher(session, 502, full_name="Соколов Пётр Ильич")
    await make_teacher(session, 503)
    methodist = Actor(telegram_id=502, is_platform_admin=True)
    await users.grant_role(session, actor=methodist, telegram_id=503, role=NetworkRole.EXPERT)
    await audit.audit(session, actor_telegram_id=None, action="user.forgotten")
    await audit.audit(session, actor_telegram_id=777, action="role.revoked")
    await session.flush()
    logged = await users.recent_actions(session, limit=5)
    assert [(a.action, a.actor_name, a.actor_telegram_id) for a in logged] == [
        ("role.revoked", None, 777),
        ("user.forgotten", None, None),
        ("role.granted", "Соколов Пётр Ильич", 502),
    ]
