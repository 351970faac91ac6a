"""The regulation and the guide at the service level: section editing and restoring, the
draft following the settings, approval and versions that stay fixed, permissions, what a
newcomer receives (once, one guide file for many), /mydata and /forget."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.notices import NoticeRenderer
from models import AuditEntry, JoinPolicy, NetworkRole, OutboxMessage, StoredFile
from models.associations_extra import AssociationChatLink
from models.regulations import ParticipantGuide, RegulationSection, RegulationVersion
from services import guide, memberships, privacy, regulations
from services import regulation_versions as approvals
from services.access import Actor
from services.clock import set_clock
from services.errors import PermissionDenied
from tests.documents.pdf_probe import contains, full_text
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2026, 11, 12, 9, 0, tzinfo=UTC)


async def _setup(session, **association):  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    leader = await make_teacher(session, 790_001, full_name="Иванова Анна Петровна")
    club = await make_association(session, leader=leader, **association)
    member = await make_teacher(session, 790_002, full_name="Петров Иван Сергеевич")
    await add_member(session, club, member)
    return Actor(leader.telegram_id), club, Actor(member.telegram_id)


async def _outbox(session, telegram_id: int) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    await NoticeRenderer("ru").deliver(session)
    rows = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.chat_id == telegram_id).order_by(OutboxMessage.id)
    )
    return list(rows.all())


async def test_a_section_is_rewritten_and_restored(session) -> None:  # type: ignore[no-untyped-def]
    leader, club, _ = await _setup(session)
    drafted = await regulations.section(session, leader, club.id, 3)
    assert drafted.edited_at is None and "не менее четырёх" in drafted.text
    view = await regulations.replace_section(
        session,
        leader,
        association_id=club.id,
        number=3,
        text="3.1. Заседания проводятся онлайн.\n\n3.2. Формы работы:\n- вебинар\n• семинар",
    )
    assert view.text == "Заседания проводятся онлайн.\nФормы работы:\n– вебинар\n– семинар"
    assert view.edited_at is not None and view.edited_by == "Иванова А. П."
    texts = await regulations.draft_texts(session, club)
    assert texts[2] == view.text and "не менее четырёх" in texts[3]  # the others as drafted
    screen = await approvals.screen(session, leader, club.id)
    assert screen.editable and screen.edited == (3,) and screen.changed
    restored = await regulations.restore_section(session, leader, association_id=club.id, number=3)
    assert restored.edited_at is None and restored.text == drafted.text
    assert await session.scalar(select(func.count()).select_from(RegulationSection)) == 0
    actions = await session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("regulation.%"))
    )
    assert sorted(actions.all()) == ["regulation.restore", "regulation.section"]


async def test_bad_texts_and_sections_are_refused(session) -> None:  # type: ignore[no-untyped-def]
    leader, club, _ = await _setup(session)
    with pytest.raises(regulations.BadSectionText):
        await regulations.replace_section(
            session, leader, association_id=club.id, number=1, text="- \n1.1. "
        )
    with pytest.raises(regulations.BadSectionText):
        regulations.clean_section_text("Пункт. " * 500)
    with pytest.raises(regulations.NoSuchSection):
        await regulations.section(session, leader, club.id, 8)


async def test_the_draft_follows_the_settings_until_a_section_is_rewritten(session) -> None:  # type: ignore[no-untyped-def]
    leader, club, _ = await _setup(session)
    club.name = "ВМО учителей физики"
    assert "учителей физики (далее — ВМО)" in (await regulations.draft_texts(session, club))[0]
    await regulations.replace_section(
        session, leader, association_id=club.id, number=1, text="Своя редакция общих положений."
    )
    club.name = "ВМО учителей химии"
    assert (await regulations.draft_texts(session, club))[0] == "Своя редакция общих положений."


async def test_approval_keeps_each_version_fixed(session) -> None:  # type: ignore[no-untyped-def]
    leader, club, _ = await _setup(session, order_ref="№ 112-о от 30.08.2026")
    offer = await approvals.approval_offer(session, leader, club.id)
    assert offer.version == 1
    first = await approvals.approve(session, leader, association_id=club.id, version=1)
    assert first.version == 1 and first.approved_by == "Иванова А. П."
    with pytest.raises(approvals.NothingToApprove):
        await approvals.approval_offer(session, leader, club.id)
    with pytest.raises(approvals.VersionMoved):  # a second press of the same confirmation
        await approvals.approve(session, leader, association_id=club.id, version=1)
    copy = await approvals.version_pdf(session, leader, first.id)
    assert contains(copy.content, "от 30.08.2026 № 112-о") and "ПРОЕКТ" not in full_text(
        copy.content
    )

    await regulations.replace_section(
        session, leader, association_id=club.id, number=6, text="Документы ведутся в боте."
    )
    screen = await approvals.screen(session, leader, club.id)
    assert screen.changed and screen.versions[0].version == 1
    draft = await approvals.preview(session, leader, club.id)
    assert "ПРОЕКТ" in full_text(draft.content)
    assert contains(draft.content, "6.1. Документы ведутся в боте.")
    second = await approvals.approve(session, leader, association_id=club.id, version=2)
    versions = (
        await session.scalars(select(RegulationVersion).order_by(RegulationVersion.version))
    ).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].sections[5] == "Документы ведутся в боте."
    assert versions[0].sections[5] != versions[1].sections[5]  # the first stays as approved
    assert versions[0].file_id != versions[1].file_id
    assert second.id == versions[1].id
    assert not (await approvals.screen(session, leader, club.id)).changed
    club.order_ref = "№ 120-о от 01.09.2026"  # a new order is a change to approve
    assert (await approvals.screen(session, leader, club.id)).changed


async def test_a_member_reads_the_approved_copy_and_cannot_edit(session) -> None:  # type: ignore[no-untyped-def]
    leader, club, member = await _setup(session)
    with pytest.raises(approvals.NotApprovedYet):
        await approvals.screen(session, member, club.id)
    for attempt in (
        regulations.section(session, member, club.id, 1),
        regulations.replace_section(
            session, member, association_id=club.id, number=1, text="Т" * 20
        ),
        regulations.restore_section(session, member, association_id=club.id, number=1),
        approvals.preview(session, member, club.id),
        approvals.approve(session, member, association_id=club.id, version=1),
    ):
        with pytest.raises(PermissionDenied):
            await attempt
    await approvals.approve(session, leader, association_id=club.id, version=1)
    screen = await approvals.screen(session, member, club.id)
    assert not screen.editable and screen.copy is not None and screen.copy.version == 1
    assert screen.copy.filename == "regulation-v1.pdf"
    stranger = await make_teacher(session, 790_009)
    with pytest.raises(PermissionDenied):
        await approvals.screen(session, Actor(stranger.telegram_id), club.id)
    with pytest.raises(PermissionDenied):
        await guide.guide_pdf(session, Actor(stranger.telegram_id), club.id)


async def test_a_newcomer_gets_the_guide_and_the_approved_regulation(session) -> None:  # type: ignore[no-untyped-def]
    leader, club, _ = await _setup(session)
    first = await make_teacher(session, 790_003)
    await memberships.join(
        session, actor=Actor(first.telegram_id), association_id=club.id, via="code"
    )
    rows = await _outbox(session, first.telegram_id)
    assert [r.dedupe_key.split(":")[0] for r in rows] == ["guide"]  # nothing approved yet
    assert "Инструкция участника" in rows[0].payload["text"]
    guide_file = await session.get_one(StoredFile, rows[0].file_id)
    assert "Инструкция участника" in full_text(guide_file.content)

    await approvals.approve(session, leader, association_id=club.id, version=1)
    second = await make_teacher(session, 790_004)
    await memberships.join(
        session, actor=Actor(second.telegram_id), association_id=club.id, via="code"
    )
    guide_row, regulation_row = await _outbox(session, second.telegram_id)
    assert guide_row.kind == regulation_row.kind == "document"
    assert (
        "Положение" in regulation_row.payload["text"]
        and "редакция № 1" in regulation_row.payload["text"]
    )
    version = await session.scalar(select(RegulationVersion))
    assert regulation_row.file_id == version.file_id
    # the guide now says the regulation is approved: a new file, kept for the next newcomers
    assert guide_row.file_id != rows[0].file_id
    third = await make_teacher(session, 790_005)
    await memberships.join(
        session, actor=Actor(third.telegram_id), association_id=club.id, via="code"
    )
    assert (await _outbox(session, third.telegram_id))[0].file_id == guide_row.file_id
    assert await session.scalar(select(func.count()).select_from(ParticipantGuide)) == 1


async def test_an_approved_request_brings_the_guide_after_the_decision(session) -> None:  # type: ignore[no-untyped-def]
    leader, club, _ = await _setup(session, join_policy=JoinPolicy.APPROVAL)
    teacher = await make_teacher(session, 790_006)
    result = await memberships.join(
        session, actor=Actor(teacher.telegram_id), association_id=club.id, via="code"
    )
    assert await _outbox(session, teacher.telegram_id) == []  # asked, not joined
    await memberships.decide_request(
        session, actor=leader, membership_id=result.membership.id, approve=True
    )
    kinds = [r.dedupe_key.split(":")[0] for r in await _outbox(session, teacher.telegram_id)]
    assert kinds == ["joindecision", "guide"]


async def test_the_guide_follows_the_group_chat(session) -> None:  # type: ignore[no-untyped-def]
    leader, club, member = await _setup(session)
    before = await guide.guide_pdf(session, member, club.id)
    assert "ещё не подключён" in full_text(before.content)
    assert (await guide.guide_pdf(session, leader, club.id)).content == before.content
    club.chat_id = -100_790_001
    session.add(
        AssociationChatLink(
            association_id=club.id, chat_id=club.chat_id, invite_link="https://t.me/+Reg790"
        )
    )
    await session.flush()
    after = await guide.guide_pdf(session, member, club.id)
    text = full_text(after.content)
    assert "https://t.me/+Reg790" in text and "ещё не подключён" not in text


async def test_mydata_shows_the_leaders_work_and_forget_keeps_the_versions(session) -> None:  # type: ignore[no-untyped-def]
    leader, club, _ = await _setup(session)
    await regulations.replace_section(
        session, leader, association_id=club.id, number=2, text="Цель — рост мастерства."
    )
    await approvals.approve(session, leader, association_id=club.id, version=1)
    exported = await privacy.export_personal_data(session, actor=leader)
    records = exported["records"]
    assert records["regulation_sections"][0]["number"] == 2
    assert records["regulation_versions"][0]["version"] == 1
    await privacy.forget(session, actor=leader)
    await session.flush()
    version = await session.scalar(select(RegulationVersion))
    assert version is not None and version.sections[1] == "Цель — рост мастерства."
    methodist = await make_teacher(session, 790_010, roles=(NetworkRole.METHODIST,))
    screen = await approvals.screen(session, Actor(methodist.telegram_id), club.id)
    assert screen.versions[0].approved_by == ""  # the person is gone, the paper stays
