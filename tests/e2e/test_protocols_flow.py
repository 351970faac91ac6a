"""/protocol end to end: a held meeting with attendance → the dialog with bad input along
the way → the draft PDF read back → approval posted to the group and mailed to members."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from models import OutboxMessage
from models.db import unit_of_work
from models.meetings import Meeting, MeetingAgendaItem, MeetingAttendance
from services.clock import set_clock
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

LEADER = 740_001
GROUP = -100_740_001
HELD = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


async def _world(harness, fake_api) -> list[int]:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    fake_api.add_user(LEADER, "Анна")
    fake_api.add_chat(GROUP, "ВМО математиков", members={LEADER: "administrator"})
    members = []
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Иванова Анна Петровна")
        association = await make_association(session, leader=leader, chat_id=GROUP)
        meeting = Meeting(
            association_id=association.id,
            number=1,
            academic_year=2026,
            topic="Функциональная грамотность",
            form="webinar",
            starts_at=HELD,
            link="https://telemost.yandex.ru/j/123",
            reminders_done=[],
        )
        session.add(meeting)
        await session.flush()
        session.add(
            MeetingAgendaItem(
                meeting_id=meeting.id, position=1, title="О диагностике", speaker="Смирнова Е. В."
            )
        )
        session.add(MeetingAttendance(meeting_id=meeting.id, user_id=leader.id))
        for index in range(5):
            telegram_id = 741_000 + index
            fake_api.add_user(telegram_id, f"Учитель{index}")
            teacher = await make_teacher(session, telegram_id)
            await add_member(session, association, teacher)
            members.append(telegram_id)
            await session.flush()
            if index < 3:
                session.add(MeetingAttendance(meeting_id=meeting.id, user_id=teacher.id))
    return members


async def test_protocol_dialog_draft_and_approval(harness, fake_api):
    members = await _world(harness, fake_api)
    screen = await say(fake_api, LEADER, "/protocol", "Протоколы")
    assert "протоколов пока нет" in screen["text"]
    await press(fake_api, LEADER, screen, "Протокол:", "Присутствовали: 4 человека")
    await fake_api.wait_for_message(LEADER, "СЛУШАЛИ")
    await say(fake_api, LEADER, "о", "от 3 до 1000")
    spoke = await say(fake_api, LEADER, "о результатах входной диагностики", "ВЫСТУПИЛИ")
    assert "Пропустить" in str(spoke["reply_markup"])
    await say(fake_api, LEADER, "без тире", "не похожа на «Фамилия И. О. — содержание»")
    await say(fake_api, LEADER, "Петрова О. И. — поделилась опытом", "ПОСТАНОВИЛИ")
    await say(fake_api, LEADER, "Провести урок; срок: 31.02.2027", "такой даты нет")
    ready = await say(
        fake_api,
        LEADER,
        "Провести открытый урок; ответственный: Петрова О. И.; срок: 20.12.2026; "
        "за 12 против 0 воздержались 1\nПринять информацию к сведению",
        "Черновик протокола № 1 сохранён",
    )

    before = len(fake_api.calls_of("sendDocument"))
    fake_api.user_presses(LEADER, ready, button(ready, "Черновик PDF"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("sendDocument")) > before)
    draft = fake_api.calls_of("sendDocument")[-1]
    assert int(draft.params["chat_id"]) == LEADER
    text = _pdf_text(draft.files["document"])
    assert "ПРОТОКОЛ № 1" in text and "Присутствовали: 4 чел." in text
    assert "1.1" in text and "1.2" in text and "Петрова" in text and "ПРОЕКТ" in text

    await press(fake_api, LEADER, ready, "Утвердить", "утверждён")
    await harness.app.bot_data["outbox"].drain()
    posted = await fake_api.wait_for_message(GROUP, "Утверждён протокол № 1")
    assert posted["document"]["file_name"] == "protocol-1.pdf"
    async with unit_of_work(harness.sessions) as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.batch.like("prot-%")))
        ).all()
    assert sorted(r.chat_id for r in rows) == sorted([GROUP, LEADER, *members])
    # The worker uploads the final PDF once and reuses Telegram's file id for the rest.
    uploads = [c.files["document"] for c in fake_api.calls_of("sendDocument") if c.files]
    assert "ПРОЕКТ" not in _pdf_text(uploads[-1]) and "ПРОЕКТ" in _pdf_text(uploads[0])

    listing = await say(fake_api, LEADER, "/protocol", "Протоколы")
    assert "№ 1 от 20 ноября 2026 г." in listing["text"] and "утверждён" in listing["text"]
    extract = await press(fake_api, LEADER, listing, "Выписка", "по какому вопросу")
    before = len(fake_api.calls_of("sendDocument"))

    def extract_sent():  # type: ignore[no-untyped-def]
        # The outbox may still be mailing the protocol (by file id) to members meanwhile.
        return [
            c
            for c in fake_api.calls_of("sendDocument")[before:]
            if c.files and c.params.get("chat_id") == LEADER
        ]

    fake_api.user_presses(LEADER, extract, button(extract, "1. О диагностике"))
    sent = await fake_api.wait_for(extract_sent)
    assert "ВЫПИСКА ИЗ ПРОТОКОЛА № 1" in _pdf_text(sent[-1].files["document"])
