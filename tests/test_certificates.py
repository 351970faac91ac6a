"""Certificates at the service level: rules and eligibility, a request issued at once or
decided by the leader, the batch, revoking, verification of valid, revoked, unknown and
forged codes, publication, corrected names, the registry, /forget and /mydata."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

import handlers.certificates.notices  # noqa: F401  (the notices' words)
from bot.notices import NoticeRenderer
from models import OutboxMessage, StoredFile
from models.certificates import (
    Certificate,
    CertificateStatus,
    CertificateTitle,
    GrammaticalCase,
    NameCorrection,
)
from models.meetings import Meeting, MeetingAttendance
from services import privacy, verification
from services.access import Actor
from services.certificates import issue, names, registry, requests, rules
from services.certificates.common import (
    AlreadyIssued,
    AlreadyRequested,
    BadReason,
    Links,
    NobodyEligible,
    NotAMember,
    NotIssued,
    NotPublishable,
    NotRequested,
    NotYourCertificate,
)
from services.clock import set_clock
from services.errors import PermissionDenied
from tests.factories import add_member, make_association, make_material, make_teacher

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LINKS = Links("vmo_bot")


@pytest.fixture(autouse=True)
def _documents_in_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCUMENT_PROCESSES", "0")


async def _world(session):  # type: ignore[no-untyped-def]
    """Four held meetings; «good» attended 3, «half» 2, «weak» 1."""
    set_clock(lambda: NOW)
    leader = await make_teacher(session, 790_001, full_name="Сидорова Анна Петровна")
    association = await make_association(session, leader=leader)
    good = await make_teacher(session, 790_002, full_name="Иванова Мария Петровна")
    half = await make_teacher(session, 790_003, full_name="Петров Пётр Ильич")
    weak = await make_teacher(session, 790_004, full_name="Черных Олег Викторович")
    for person in (good, half, weak):
        await add_member(session, association, person)
    meetings = [
        Meeting(
            association_id=association.id,
            number=n,
            academic_year=2026,
            topic=f"Заседание {n}",
            form="online",
            starts_at=NOW - timedelta(days=10 * n),
            link="https://example.org/m",
        )
        for n in range(1, 5)
    ]
    session.add_all(meetings)
    await session.flush()
    for person, count in ((good, 3), (half, 2), (weak, 1)):
        for meeting in meetings[:count]:
            session.add(MeetingAttendance(meeting_id=meeting.id, user_id=person.id, source="self"))
    await session.flush()
    return leader, association, good, half, weak


async def _texts(session, telegram_id: int) -> list[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    await NoticeRenderer("ru").deliver(session)
    rows = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.chat_id == telegram_id).order_by(OutboxMessage.id)
    )
    return [(row.payload.get("text", ""), row.file_id) for row in rows]


async def _pdf_text(session, file_id: int) -> str:  # type: ignore[no-untyped-def]
    stored = await session.get(StoredFile, file_id)
    reader = PdfReader(io.BytesIO(stored.content))
    return "\n".join(page.extract_text() for page in reader.pages)


async def test_eligibility_explains_what_is_missing(session) -> None:  # type: ignore[no-untyped-def]
    _, association, good, half, weak = await _world(session)
    period = (date(2026, 9, 1), date(2027, 8, 31))
    found = await rules.standings(session, association=association, period=period)
    assert (found[good.id].attended, found[good.id].held) == (3, 4)
    assert found[good.id].eligible and found[half.id].eligible  # 50 % is enough
    assert not found[weak.id].eligible and not found[weak.id].attendance_ok
    # Contributions count every form of activity: meetings are acts too.
    assert found[weak.id].contributions == 1


async def test_rules_are_set_by_the_leader_only(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, good, half, _ = await _world(session)
    values = dict(
        association_id=association.id,
        min_attendance_percent=60,
        min_contributions=None,
        manual_only=False,
        hours=18,
        title=CertificateTitle.PARTICIPATION,
    )
    with pytest.raises(PermissionDenied):
        await rules.set_rules(session, Actor(good.telegram_id), **values)  # type: ignore[arg-type]
    saved = await rules.set_rules(session, Actor(leader.telegram_id), **values)  # type: ignore[arg-type]
    assert saved.min_attendance_percent == 60 and saved.hours == 18
    period = (date(2026, 9, 1), date(2027, 8, 31))
    found = await rules.standings(session, association=association, period=period)
    assert found[good.id].eligible and not found[half.id].eligible  # 2 of 4 < 60 %
    assert rules.parse_percent("75 %") == 75
    assert rules.parse_contributions("0") is None
    for bad in ("101", "-1", "много"):
        with pytest.raises(rules.BadPercent):
            rules.parse_percent(bad)
    with pytest.raises(rules.BadHours):
        rules.parse_hours("1000")


async def test_an_eligible_request_is_issued_at_once_and_verifies(session) -> None:  # type: ignore[no-untyped-def]
    _, association, good, _, _ = await _world(session)
    outcome = await requests.request_participation(
        session, Actor(good.telegram_id), association_id=association.id, links=LINKS
    )
    assert outcome.issued and outcome.view.number == "ВМО-2027-0001"
    cert = await session.get(Certificate, outcome.view.certificate_id)
    assert cert.full_name_dative == "Ивановой Марии Петровне"
    assert cert.leader_name == "А. П. Сидорова"
    (text, file_id), *_ = await _texts(session, good.telegram_id)
    assert "ВМО-2027-0001" in text and file_id is not None
    printed = await _pdf_text(session, file_id)
    assert "Ивановой Марии Петровне" in printed and "ВМО-2027-0001" in printed
    assert verification.printed_code(cert.code) in printed and "СЕРТИФИКАТ" in printed
    found = await verification.verify(session, verification.printed_code(cert.code).lower())
    assert found is not None and found.valid and found.full_name == "Иванова Мария Петровна"
    assert found.issuer == association.name and found.number == "ВМО-2027-0001"
    with pytest.raises(AlreadyIssued):
        await requests.request_participation(
            session, Actor(good.telegram_id), association_id=association.id, links=LINKS
        )


async def test_a_request_below_the_rules_goes_to_the_leader(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, _, _, weak = await _world(session)
    outcome = await requests.request_participation(
        session, Actor(weak.telegram_id), association_id=association.id, links=LINKS
    )
    assert not outcome.issued and outcome.view.status is CertificateStatus.REQUESTED
    assert outcome.standing is not None and outcome.standing.attended == 1
    texts = await _texts(session, leader.telegram_id)
    assert any("Черных Олег Викторович" in t and "1 из 4" in t for t, _ in texts), texts
    with pytest.raises(AlreadyRequested):
        await requests.request_participation(
            session, Actor(weak.telegram_id), association_id=association.id, links=LINKS
        )
    with pytest.raises(PermissionDenied):
        await requests.decide(
            session,
            Actor(weak.telegram_id),
            certificate_id=outcome.view.certificate_id,
            approve=True,
            links=LINKS,
        )
    view = await requests.decide(
        session,
        Actor(leader.telegram_id),
        certificate_id=outcome.view.certificate_id,
        approve=True,
        links=LINKS,
    )
    assert view.status is CertificateStatus.ISSUED and view.number == "ВМО-2027-0001"
    with pytest.raises(NotRequested):
        await requests.decide(
            session,
            Actor(leader.telegram_id),
            certificate_id=outcome.view.certificate_id,
            approve=False,
            reason="передумала",
            links=LINKS,
        )
    (_text, file_id), *_ = await _texts(session, weak.telegram_id)
    assert file_id is not None
    assert "Черных Олегу Викторовичу" in await _pdf_text(session, file_id)


async def test_the_leader_declines_with_a_reason(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, _, _, weak = await _world(session)
    outcome = await requests.request_participation(
        session, Actor(weak.telegram_id), association_id=association.id, links=LINKS
    )
    with pytest.raises(BadReason):
        await requests.decide(
            session,
            Actor(leader.telegram_id),
            certificate_id=outcome.view.certificate_id,
            approve=False,
            reason="no",
            links=LINKS,
        )
    await requests.decide(
        session,
        Actor(leader.telegram_id),
        certificate_id=outcome.view.certificate_id,
        approve=False,
        reason="Нужно посетить ещё одно заседание",
        links=LINKS,
    )
    texts = await _texts(session, weak.telegram_id)
    assert any("отклонён" in t and "ещё одно заседание" in t for t, _ in texts), texts
    # Declined: the member may ask again later.
    again = await requests.request_participation(
        session, Actor(weak.telegram_id), association_id=association.id, links=LINKS
    )
    assert again.view.status is CertificateStatus.REQUESTED


async def test_manual_only_sends_even_the_eligible_to_the_leader(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, good, _, _ = await _world(session)
    await rules.set_rules(
        session,
        Actor(leader.telegram_id),
        association_id=association.id,
        min_attendance_percent=50,
        min_contributions=None,
        manual_only=True,
        hours=None,
        title=CertificateTitle.CERTIFICATE,
    )
    outcome = await requests.request_participation(
        session, Actor(good.telegram_id), association_id=association.id, links=LINKS
    )
    assert not outcome.issued and outcome.standing is not None and outcome.standing.meets_rules


async def test_strangers_cannot_request(session) -> None:  # type: ignore[no-untyped-def]
    _, association, _, _, _ = await _world(session)
    stranger = await make_teacher(session, 790_099)
    with pytest.raises(NotAMember):
        await requests.request_participation(
            session, Actor(stranger.telegram_id), association_id=association.id, links=LINKS
        )


async def test_batch_issues_to_all_eligible_once(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, good, half, weak = await _world(session)
    pending = await requests.request_participation(
        session, Actor(weak.telegram_id), association_id=association.id, links=LINKS
    )
    with pytest.raises(PermissionDenied):
        await issue.batch_preview(session, Actor(good.telegram_id), association.id)
    preview = await issue.batch_preview(session, Actor(leader.telegram_id), association.id)
    # good and half; the leader attended nothing; weak is below the rules.
    assert (preview.eligible, preview.members) == (2, 4)
    count = await issue.issue_to_all_eligible(
        session, Actor(leader.telegram_id), association_id=association.id, links=LINKS
    )
    assert count == 2
    numbers = set(
        await session.scalars(select(Certificate.number).where(Certificate.number.is_not(None)))
    )
    assert numbers == {"ВМО-2027-0001", "ВМО-2027-0002"}
    # The batch writes rows only; the sweep builds and sends the PDFs, each once.
    assert await session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert await issue.deliver_pending(session, limit=1) == 1
    assert await issue.deliver_pending(session) == 1
    assert await issue.deliver_pending(session) == 0
    for person in (good, half):
        (_text, file_id), *_ = await _texts(session, person.telegram_id)
        assert file_id is not None
    rows = await session.scalars(
        select(OutboxMessage.batch).where(OutboxMessage.file_id.is_not(None))
    )
    assert set(rows) == {f"cert:batch:{association.id}"}
    with pytest.raises(NobodyEligible):
        await issue.issue_to_all_eligible(
            session, Actor(leader.telegram_id), association_id=association.id, links=LINKS
        )
    still = await session.get(Certificate, pending.view.certificate_id)
    assert still.status is CertificateStatus.REQUESTED


async def test_revoked_codes_say_so_and_unknown_or_forged_find_nothing(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, good, _, _ = await _world(session)
    outcome = await requests.request_participation(
        session, Actor(good.telegram_id), association_id=association.id, links=LINKS
    )
    cert = await session.get(Certificate, outcome.view.certificate_id)
    with pytest.raises(PermissionDenied):
        await issue.revoke(
            session, Actor(good.telegram_id), certificate_id=cert.id, reason="сама передумала"
        )
    await issue.revoke(
        session, Actor(leader.telegram_id), certificate_id=cert.id, reason="Выдан по ошибке"
    )
    found = await verification.verify(session, cert.code)
    assert found is not None and not found.valid
    assert found.revoked_on == date(2027, 3, 1) and found.revoked_reason == "Выдан по ошибке"
    texts = await _texts(session, good.telegram_id)
    assert any("аннулирован" in t and "Выдан по ошибке" in t for t, _ in texts), texts
    with pytest.raises(NotIssued):
        await issue.revoke(
            session, Actor(leader.telegram_id), certificate_id=cert.id, reason="ещё раз"
        )
    with pytest.raises(NotIssued):
        await issue.certificate_pdf(session, Actor(good.telegram_id), certificate_id=cert.id)
    # Unknown (a well-formed code nobody has) and forged codes: the same None.
    unknown = "K7MXQRT4WC" if cert.code != "K7MXQRT4WC" else "K7MXQRT4WD"
    for text in (unknown, "K7MXQ-RT4W0", "<script>alert(1)</script>", "", "ВМО-2027-0001"):
        assert await verification.verify(session, text) is None
    # A revoked certificate is not re-issued on its own: a new request goes to the leader.
    again = await requests.request_participation(
        session, Actor(good.telegram_id), association_id=association.id, links=LINKS
    )
    assert not again.issued


async def test_the_pdf_is_for_its_holder_and_the_leader(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, good, half, _ = await _world(session)
    outcome = await requests.request_participation(
        session, Actor(good.telegram_id), association_id=association.id, links=LINKS
    )
    certificate_id = outcome.view.certificate_id
    name, pdf = await issue.certificate_pdf(
        session, Actor(leader.telegram_id), certificate_id=certificate_id
    )
    assert name == "sertifikat-2027-0001.pdf" and pdf.startswith(b"%PDF")
    with pytest.raises(NotYourCertificate):
        await issue.certificate_pdf(session, Actor(half.telegram_id), certificate_id=certificate_id)


async def test_publication_certificates_for_approved_materials(session) -> None:  # type: ignore[no-untyped-def]
    _, association, good, half, _ = await _world(session)
    mine = await make_material(session, title="Урок «Дроби»", association=association, author=good)
    waiting = await make_material(
        session, title="Черновик", association=association, author=good, status="pending"
    )
    listed = await requests.publishable(session, Actor(good.telegram_id))
    assert [(m.id, done) for m, done in listed] == [(mine.id, False)]
    with pytest.raises(NotPublishable):
        await requests.request_publication(
            session, Actor(half.telegram_id), material_id=mine.id, links=LINKS
        )
    with pytest.raises(NotPublishable):
        await requests.request_publication(
            session, Actor(good.telegram_id), material_id=waiting.id, links=LINKS
        )
    outcome = await requests.request_publication(
        session, Actor(good.telegram_id), material_id=mine.id, links=LINKS
    )
    assert outcome.issued and outcome.view.number == "СП-2027-0001"
    with pytest.raises(AlreadyIssued):
        await requests.request_publication(
            session, Actor(good.telegram_id), material_id=mine.id, links=LINKS
        )
    (_text, file_id), *_ = await _texts(session, good.telegram_id)
    printed = await _pdf_text(session, file_id)
    assert "СВИДЕТЕЛЬСТВО О ПУБЛИКАЦИИ" in printed and "Дроби" in printed
    found = await verification.verify(session, outcome.view.code or "")
    assert found is not None and found.title == "Свидетельство о публикации"


async def test_a_corrected_name_is_kept_and_reused(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, good, _, _ = await _world(session)
    first = await requests.request_participation(
        session, Actor(good.telegram_id), association_id=association.id, links=LINKS
    )
    with pytest.raises(PermissionDenied):
        await names.correct_name(
            session,
            Actor(good.telegram_id),
            certificate_id=first.view.certificate_id,
            corrected="Ивановой Марии Петровне",
        )
    with pytest.raises(names.BadDeclinedName):
        await names.correct_name(
            session,
            Actor(leader.telegram_id),
            certificate_id=first.view.certificate_id,
            corrected="1",
        )
    changed = await names.correct_name(
        session,
        Actor(leader.telegram_id),
        certificate_id=first.view.certificate_id,
        corrected="Ивановой Марие Петровне",
    )
    assert [c.id for c in changed] == [first.view.certificate_id]
    await issue.deliver(session, [(changed[0], association, good)], occasion="corrected")
    material = await make_material(session, title="Урок", association=association, author=good)
    later = await requests.request_publication(
        session, Actor(good.telegram_id), material_id=material.id, links=LINKS
    )
    assert later.view.full_name_dative == "Ивановой Марие Петровне"
    assert await session.scalar(select(func.count()).select_from(NameCorrection)) == 1


async def test_registry_csv_and_pdf(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, good, _half, _ = await _world(session)
    await issue.issue_to_all_eligible(
        session, Actor(leader.telegram_id), association_id=association.id, links=LINKS
    )
    listed = await registry.issued_list(session, Actor(leader.telegram_id), association.id)
    await issue.revoke(
        session,
        Actor(leader.telegram_id),
        certificate_id=listed[1].certificate_id,
        reason="Дубликат",
    )
    with pytest.raises(PermissionDenied):
        await registry.registry_csv(session, Actor(good.telegram_id), association.id)
    content = await registry.registry_csv(session, Actor(leader.telegram_id), association.id)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Рег. номер" and len(rows) == 3
    assert rows[1][:2] == ["ВМО-2027-0001", "Иванова Мария Петровна"]
    assert rows[2][5:] == ["аннулирован", "01.03.2027", "Дубликат"]
    pdf = await registry.registry_pdf(session, Actor(leader.telegram_id), association.id)
    printed = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Реестр" in printed and "ВМО-2027-0002" in printed and "Петров" in printed


async def test_mydata_and_forget_cover_certificates(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, good, _, _ = await _world(session)
    outcome = await requests.request_participation(
        session, Actor(good.telegram_id), association_id=association.id, links=LINKS
    )
    await names.correct_name(
        session,
        Actor(leader.telegram_id),
        certificate_id=outcome.view.certificate_id,
        corrected="Ивановой Марии Петровне",
    )
    await NoticeRenderer("ru").deliver(session)
    exported = await privacy.export_personal_data(session, actor=Actor(good.telegram_id))
    records = exported["records"]
    assert records["certificates"][0]["number"] == "ВМО-2027-0001"
    assert records["name_corrections"][0]["corrected"] == "Ивановой Марии Петровне"
    code = (await session.get(Certificate, outcome.view.certificate_id)).code
    await privacy.forget(session, actor=Actor(good.telegram_id))
    assert await session.scalar(select(func.count()).select_from(Certificate)) == 0
    assert await session.scalar(select(func.count()).select_from(NameCorrection)) == 0
    assert await verification.verify(session, code) is None
    # The PDF kept for sending it printed the name: gone too.
    assert await session.scalar(select(func.count()).select_from(StoredFile)) == 0


async def test_a_correction_follows_the_name_it_corrects(session) -> None:  # type: ignore[no-untyped-def]
    _, _, good, _, _ = await _world(session)
    session.add(
        NameCorrection(
            user_id=good.id,
            grammatical_case=GrammaticalCase.DATIVE,
            full_name="Иванова Мария Петровна",
            corrected="Ивановой Марие Петровне",
        )
    )
    await session.flush()
    assert (await names.printed_names(session, good))[1] == "Ивановой Марие Петровне"
    good.full_name = "Петрова Мария Петровна"  # married: the old correction no longer fits
    assert (await names.printed_names(session, good)) == (
        "Петрова Мария Петровна",
        "Петровой Марии Петровне",
    )


async def test_the_web_page_checks_an_issued_and_a_revoked_certificate(sessions) -> None:  # type: ignore[no-untyped-def]
    from aiohttp.test_utils import TestClient, TestServer

    from bot.web import database_lookup, make_web_app

    async with sessions() as session:
        leader, association, good, _, _ = await _world(session)
        outcome = await requests.request_participation(
            session, Actor(good.telegram_id), association_id=association.id, links=LINKS
        )
        code = (await session.get(Certificate, outcome.view.certificate_id)).code
        await NoticeRenderer("ru").deliver(session)
        await session.commit()
    app = make_web_app(database_lookup(sessions))
    async with TestClient(TestServer(app)) as client:
        answer = await client.get(f"/verify/{verification.printed_code(code)}")
        page = await answer.text()
        assert answer.status == 200
        assert "Документ действителен" in page and "Иванова Мария Петровна" in page
        assert "ВМО-2027-0001" in page and association.name in page
        async with sessions() as session:
            await issue.revoke(
                session,
                Actor(leader.telegram_id),
                certificate_id=outcome.view.certificate_id,
                reason="выдан по ошибке",
            )
            await NoticeRenderer("ru").deliver(session)
            await session.commit()
        answer = await client.get(f"/verify/{code}")
        page = await answer.text()
        assert "Документ отозван" in page and "выдан по ошибке" in page
