"""/certificate and /verify end to end: a member below the rules asks, the leader approves,
the member receives the PDF (their name in the dative, the number, the code) and
downloads it again; anyone, without registering, checks the code by /verify and by the QR
code's deep link; the leader revokes it with a reason and the check says so; the leader's
rules dialog and «issue to all eligible» after the confirmation; a decline with a reason;
forged presses refused politely."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from models import User
from models.certificates import Certificate
from models.db import unit_of_work
from models.meetings import Meeting, MeetingAttendance
from scheduler import jobs
from services.clock import set_clock
from services.verification import printed_code
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

LEADER = 791_001
MEMBER = 791_002
OTHER = 791_003
STRANGER = 791_009  # never registered
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


async def _world(harness, fake_api) -> None:  # type: ignore[no-untyped-def]
    """Four held meetings: MEMBER attended one (below 50 %), OTHER three."""
    set_clock(lambda: NOW)
    for telegram_id, name in ((LEADER, "Анна"), (MEMBER, "Иван"), (OTHER, "Мария")):
        fake_api.add_user(telegram_id, name)
    fake_api.add_user(STRANGER, "Комиссия")
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Иванова Анна Петровна")
        association = await make_association(session, leader=leader)
        member = await make_teacher(session, MEMBER, full_name="Петров Иван Сергеевич")
        other = await make_teacher(session, OTHER, full_name="Сидорова Мария Ивановна")
        for person in (member, other):
            await add_member(session, association, person)
        meetings = [
            Meeting(
                association_id=association.id,
                number=n,
                academic_year=2026,
                topic=f"Заседание {n}",
                form="online",
                starts_at=NOW - timedelta(days=7 * n),
                link="https://example.org/m",
            )
            for n in range(1, 5)
        ]
        session.add_all(meetings)
        await session.flush()
        for person, count in ((member, 1), (other, 3)):
            for meeting in meetings[:count]:
                session.add(
                    MeetingAttendance(meeting_id=meeting.id, user_id=person.id, source="self")
                )


async def _drain(harness) -> None:  # type: ignore[no-untyped-def]
    await harness.idle(0.1)
    await harness.app.bot_data["outbox"].drain()


def _documents_to(fake_api, chat_id: int) -> list:  # type: ignore[no-untyped-def]
    return [
        call
        for call in fake_api.calls_of("sendDocument")
        if int(call.params["chat_id"]) == chat_id and call.files
    ]


async def _code_of(harness, telegram_id: int) -> str:  # type: ignore[no-untyped-def]
    async with harness.sessions() as session:
        return await session.scalar(
            select(Certificate.code)
            .join(User, User.id == Certificate.user_id)
            .where(User.telegram_id == telegram_id)
        )


async def test_request_approval_pdf_verification_and_revocation(harness, fake_api):
    await _world(harness, fake_api)
    screen = await say(fake_api, MEMBER, "/certificate", "Сертификатов у вас пока нет")
    asked = await press(fake_api, MEMBER, screen, "Запросить", "отправлен руководителю")
    assert "посещено 1 из 4" in asked["text"] and "нужно 50 %" in asked["text"]
    again = await say(fake_api, MEMBER, "/certificate", "ждёт решения руководителя")
    assert "Запросить" not in str(again.get("reply_markup"))  # asked once is enough
    # The old screen's button, pressed again, is refused politely.
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(MEMBER, screen, button(screen, "Запросить"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    assert "уже у руководителя" in fake_api.calls_of("answerCallbackQuery")[-1].params["text"]

    await _drain(harness)
    request = await fake_api.wait_for_message(LEADER, "запрашивает сертификат")
    assert "Петров Иван Сергеевич" in request["text"] and "1 из 4" in request["text"]
    await press(fake_api, LEADER, request, "Принять", "Одобрено")
    settled = fake_api.world.chat(LEADER).messages[request["message_id"]]
    assert "ВМО-2026-0001" in settled["text"] and not settled.get("reply_markup")

    await _drain(harness)
    await fake_api.wait_for(lambda: _documents_to(fake_api, MEMBER))
    sent = _documents_to(fake_api, MEMBER)[-1]
    code = await _code_of(harness, MEMBER)
    assert (
        "ВМО-2026-0001" in sent.params["caption"] and printed_code(code) in sent.params["caption"]
    )
    text = _pdf_text(sent.files["document"])
    assert "Петрову Ивану Сергеевичу" in text and "ВМО-2026-0001" in text
    assert printed_code(code) in text and "СЕРТИФИКАТ" in text

    mine = await say(fake_api, MEMBER, "/certificate", "выдан")
    before = len(_documents_to(fake_api, MEMBER))
    fake_api.user_presses(MEMBER, mine, button(mine, "ВМО-2026-0001"))
    await fake_api.wait_for(lambda: len(_documents_to(fake_api, MEMBER)) > before)

    # Anyone checks the code without registering: by the command and by the QR code's link.
    valid = await say(fake_api, STRANGER, f"/verify {printed_code(code)}", "действителен")
    assert "Петров Иван Сергеевич" in valid["text"] and "ВМО учителей математики" in valid["text"]
    linked = await say(fake_api, STRANGER, f"/start verify_{code}", "действителен")
    assert "1 декабря 2026 г." in linked["text"]
    for forged in ("AAAAA-BBBBB", "K7MXQ-RT4W0", "<b>x</b>"):
        await say(fake_api, STRANGER, f"/verify {forged}", "не найден")
    async with harness.sessions() as session:
        assert await session.scalar(select(User).where(User.telegram_id == STRANGER)) is None or (
            not (
                await session.scalar(select(User).where(User.telegram_id == STRANGER))
            ).is_registered
        )

    # The leader revokes it with a reason; the holder is told; the check says revoked.
    menu = await say(fake_api, LEADER, "/certificate", "Сертификаты")
    board = await press(fake_api, LEADER, menu, "Управлять", "Выдано: 1")
    listing = await press(fake_api, LEADER, board, "Выданные сертификаты", "Петров И. С.")
    await press(fake_api, LEADER, listing, "Аннулировать", "Почему сертификат")
    await say(fake_api, LEADER, "no", "от 3 до")  # too short: explained, asked again
    await say(fake_api, LEADER, "Выдан по ошибке", "аннулирован")
    await _drain(harness)
    told = await fake_api.wait_for_message(MEMBER, "аннулирован руководителем")
    assert "Выдан по ошибке" in told["text"]
    revoked = await say(fake_api, STRANGER, f"/verify {code}", "аннулирован")
    assert "Выдан по ошибке" in revoked["text"]


async def test_rules_dialog_and_issue_to_all_eligible(harness, fake_api):
    await _world(harness, fake_api)
    menu = await say(fake_api, LEADER, "/certificate", "Сертификаты")
    board = await press(fake_api, LEADER, menu, "Управлять", "не менее 50 %")
    await press(fake_api, LEADER, board, "Правила", "Какую долю")
    await say(fake_api, LEADER, "сто двадцать", "от 0 до 100")
    await say(fake_api, LEADER, "25", "Сколько действий")
    await say(fake_api, LEADER, "0", "Сколько часов")
    approval = await say(fake_api, LEADER, "18", "Как выдавать")
    title = await press(fake_api, LEADER, approval, "сразу", "Как называется")
    saved = await press(fake_api, LEADER, title, "Сертификат", "Правила сохранены")
    assert "не менее 25 %" in saved["text"] and "18 часов" in saved["text"]

    menu = await say(fake_api, LEADER, "/certificate", "Сертификаты")
    board = await press(fake_api, LEADER, menu, "Управлять", "не менее 25 %")
    question = await press(fake_api, LEADER, board, "Выдать всем", "Выдать сертификаты сейчас")
    assert "Условия выполнили 2 участника из 3" in question["text"]
    await press(fake_api, LEADER, question, "Выдать (2)", "Выдано 2 сертификата")
    assert not _documents_to(fake_api, MEMBER)  # the batch wrote rows; the sweep sends PDFs
    await jobs.runner_of(harness.app).renew()
    assert await jobs.run_now(harness.app, "certificate-delivery")
    await _drain(harness)
    for person, dative in ((MEMBER, "Петрову Ивану Сергеевичу"), (OTHER, "Сидоровой Марии")):
        await fake_api.wait_for(lambda person=person: _documents_to(fake_api, person))
        text = _pdf_text(_documents_to(fake_api, person)[-1].files["document"])
        assert dative in text and "в объёме 18 часов" in text
    # Pressed again (the confirmation's button is gone; the screen's button asks again).
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(LEADER, board, button(board, "Выдать всем"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    await fake_api.wait_for_message(LEADER, "Нет участников")
    # The registry as CSV.
    before = len(_documents_to(fake_api, LEADER))
    fake_api.user_presses(LEADER, board, button(board, "Реестр CSV"))
    await fake_api.wait_for(lambda: len(_documents_to(fake_api, LEADER)) > before)
    content = _documents_to(fake_api, LEADER)[-1].files["document"].decode("utf-8-sig")
    assert "ВМО-2026-0001" in content and "ВМО-2026-0002" in content


async def test_decline_with_a_reason_and_forged_presses(harness, fake_api):
    await _world(harness, fake_api)
    screen = await say(fake_api, MEMBER, "/certificate", "Сертификаты")
    await press(fake_api, MEMBER, screen, "Запросить", "отправлен руководителю")
    await _drain(harness)
    request = await fake_api.wait_for_message(LEADER, "запрашивает сертификат")
    approve = button(request, "Принять")
    # The member presses the leader's Approve (forged into their own chat), and data that
    # does not parse: each refused politely, nothing changes.
    for data, expect in ((approve, "доступно"), ("cert1:ok:abc", "устарела")):
        forged = {
            **screen,
            "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]},
        }
        fake_api.world.chat(MEMBER).messages[screen["message_id"]] = forged
        before = len(fake_api.calls_of("answerCallbackQuery"))
        fake_api.user_presses(MEMBER, forged, data)
        await fake_api.wait_for(
            lambda before=before: len(fake_api.calls_of("answerCallbackQuery")) > before
        )
        assert expect in fake_api.calls_of("answerCallbackQuery")[-1].params.get("text", "")

    await press(fake_api, LEADER, request, "Отклонить", "Почему запрос отклонён")
    await say(fake_api, LEADER, "Посетите ещё одно заседание", "Запрос отклонён")
    settled = fake_api.world.chat(LEADER).messages[request["message_id"]]
    assert "Отклонено" in settled["text"]
    await _drain(harness)
    told = await fake_api.wait_for_message(MEMBER, "отклонён")
    assert "Посетите ещё одно заседание" in told["text"]
    assert not _documents_to(fake_api, MEMBER)
