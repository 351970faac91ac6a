"""Nominations: the candidates, the stored list, its PDF read back (names, justifications,
activity, Cyrillic), the approver told with the file, refusals; /mydata and /forget."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from bot.i18n import Translator
from models import NetworkRole
from models.nominations import Nomination, NominationEntry
from services import nominations, privacy
from services.access import Actor
from services.errors import PermissionDenied
from services.notices import PENDING
from tests.activity_world import SECOND, STAR, build_world
from tests.factories import make_teacher

RU = Translator("ru").plain
WHY_STAR = "Провёл открытый урок для коллег и подготовил методическую разработку по дробям"
WHY_SECOND = "Активно участвует в обсуждениях, помогает молодым педагогам"


def _text(content: bytes) -> str:
    """The PDF's words on one line, words hyphenated at a line's end joined again."""
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return re.sub(r"(\w)- (\w)", r"\1\2", " ".join(text.split()))


async def _sent(session, world):  # type: ignore[no-untyped-def]
    return await nominations.send(
        session,
        actor=Actor(world.leader.telegram_id),
        association_id=world.association.id,
        entries=[(world.star.id, WHY_STAR), (world.second.id, WHY_SECOND)],
        words=RU,
    )


async def test_candidates_are_the_members_in_ranking_order(session) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(session)
    found = await nominations.candidates(
        session, actor=Actor(world.leader.telegram_id), association_id=world.association.id
    )
    names = [p.user.full_name for p in found.places]
    assert names[:2] == [STAR, SECOND] and world.leader.full_name not in names
    assert len(names) == 13 and found.held == 6
    summary = nominations.activity_summary(found.places[0].counts, found.held, RU)
    assert summary == (
        "посещение заседаний — 5\u00a0из\u00a06; материалы в копилке — 1; выполненные задания — 1"
    )
    with pytest.raises(PermissionDenied):
        await nominations.candidates(
            session, actor=Actor(world.star.telegram_id), association_id=world.association.id
        )


async def test_the_list_is_stored_and_sent_to_the_approver(session) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(session)
    with pytest.raises(nominations.NoApprover):
        await _sent(session, world)
    approver = await make_teacher(
        session, 793_001, full_name="Громова Наталья Викторовна", roles=(NetworkRole.APPROVER,)
    )
    sent = await _sent(session, world)
    assert [p.id for p in sent.approvers] == [approver.id]
    stored = await session.scalar(select(Nomination))
    assert stored is not None and stored.academic_year == 2026 and stored.sent_at is not None
    ordered = select(NominationEntry).order_by(NominationEntry.position)
    entries = (await session.scalars(ordered)).all()
    assert [(e.user_id, e.justification) for e in entries] == [
        (world.star.id, WHY_STAR),
        (world.second.id, WHY_SECOND),
    ]
    assert entries[1].activity.startswith(
        "посещение заседаний — 3\u00a0из\u00a06; сообщения в группе — 10"
    )
    told = [n for n in session.info[PENDING] if n.kind == nominations.NOTICE]
    assert [n.user.id for n in told] == [approver.id] and told[0].file_id is not None
    assert told[0].params["count"] == 2
    text = _text(sent.content)
    assert "ПРЕДСТАВЛЕНИЕ К ПООЩРЕНИЮ" in text and "2026/2027 учебном году" in text
    assert "Петров Иван Сергеевич" in text and "Сидорова Мария Ивановна" in text
    assert "МБОУ «Гимназия № 12»" in text
    assert "открытый урок для коллег" in text and "молодым педагогам" in text
    assert "5 из 6" in text and "Всего представлено: 2 чел." in text
    assert "А. П. Иванова" in text  # the leader's signature line
    assert "№ 1 от 1 марта 2027 г." in text


async def test_refusals(session) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(session)
    await make_teacher(session, 793_002, roles=(NetworkRole.APPROVER,))
    with pytest.raises(nominations.BadJustification):
        await nominations.send(
            session,
            actor=Actor(world.leader.telegram_id),
            association_id=world.association.id,
            entries=[(world.star.id, "ок")],
            words=RU,
        )
    with pytest.raises(nominations.NotAMember):
        await nominations.send(
            session,
            actor=Actor(world.leader.telegram_id),
            association_id=world.association.id,
            entries=[(world.leader.id, WHY_STAR)],
            words=RU,
        )
    with pytest.raises(PermissionDenied):
        await nominations.send(
            session,
            actor=Actor(world.star.telegram_id),
            association_id=world.association.id,
            entries=[(world.second.id, WHY_SECOND)],
            words=RU,
        )


async def test_past_lists_and_the_pdf_again(session) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(session)
    approver = await make_teacher(session, 793_003, roles=(NetworkRole.APPROVER,))
    sent = await _sent(session, world)
    session.info.pop(PENDING, None)
    listed = await nominations.past(
        session, actor=Actor(world.leader.telegram_id), association_id=world.association.id
    )
    assert [(p.nomination.id, p.number, p.names) for p in listed] == [
        (sent.nomination.id, 1, [STAR, SECOND])
    ]
    for actor in (world.leader, approver):
        name, again = await nominations.document(
            session, actor=Actor(actor.telegram_id), nomination_id=sent.nomination.id, words=RU
        )
        assert name.endswith(".pdf") and WHY_SECOND.split()[0] in _text(again)
    with pytest.raises(PermissionDenied):
        await nominations.document(
            session, actor=Actor(world.star.telegram_id), nomination_id=sent.nomination.id, words=RU
        )


async def test_mydata_and_forget_cover_the_entries(session) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(session)
    await make_teacher(session, 793_004, roles=(NetworkRole.APPROVER,))
    await _sent(session, world)
    session.info.pop(PENDING, None)
    exported = await privacy.export_personal_data(session, actor=Actor(world.star.telegram_id))
    assert WHY_STAR in str(exported) and "nomination_entries" in str(exported)
    await privacy.forget(session, actor=Actor(world.star.telegram_id))
    theirs = NominationEntry.user_id == world.star.id
    left = await session.scalar(select(func.count()).select_from(NominationEntry).where(theirs))
    assert left == 0
    kept = await session.scalar(select(func.count()).select_from(NominationEntry))
    assert kept == 1  # Сидорова's entry stays


def test_long_names_are_never_cut_mid_word() -> None:
    from datetime import date

    from documents.data import AssociationInfo, Person
    from documents.nominations import NominationData, Nominee, build_nomination_list

    long_name = "Константинопольская Екатерина Александровна"
    data = NominationData(
        association=AssociationInfo(name="ВМО учителей математики", organisation="МБОУ «СОШ № 5»"),
        academic_year=2026,
        issued_on=date(2027, 5, 20),
        number=3,
        nominees=[
            Nominee(
                long_name,
                "Учитель-логопед",
                "МБОУ «Средняя общеобразовательная школа № 5 имени А. С. Пушкина»",
                "Провела серию открытых уроков по функциональной грамотности",
                "посещение заседаний — 6\u00a0из\u00a06",
            )
        ]
        * 12,
        leader=Person("Иванова Анна Петровна"),
    )
    reader = PdfReader(BytesIO(build_nomination_list(data)))
    raw = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2  # the header row repeats; the pages are numbered
    assert raw.count("Константинопольская") == 12 and "Константино-" not in raw
    assert "Фамилия, имя, отчество" in " ".join(reader.pages[1].extract_text().split())
    assert reader.pages[1].extract_text().split()[0] == "2"
