"""/newsletter end to end: the real Application against the fake Bot API server."""

from __future__ import annotations

import asyncio
import csv
import io
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models import NetworkRole, OutboxMessage, OutboxStatus
from models.newsletters import Newsletter, NewsletterStatus
from scheduler import jobs
from scheduler.outbox import OutboxWorker, WorkerConfig
from services import newsletters as service
from services.clock import set_clock
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

METHODIST = 710_001
T1, T2, T3, T4, T5 = 710_011, 710_012, 710_013, 710_014, 710_015


async def _people(harness, api) -> None:  # type: ignore[no-untyped-def]
    """A methodist (English) and five teachers; T3 switched newsletters off, T4 blocked us."""
    async with harness.sessions() as session:
        await make_teacher(
            session, METHODIST, language="en", roles=(NetworkRole.METHODIST,), subjects=["math"]
        )
        await make_teacher(session, T1, subjects=["math"], organisation="МБОУ «СОШ № 5»")
        await make_teacher(
            session,
            T2,
            subjects=["physics"],
            organisation="МАОУ «Гимназия № 1»",
            municipality="г. Тверь",
        )
        await make_teacher(session, T3, subjects=["math"], newsletters_enabled=False)
        await make_teacher(session, T4, subjects=["math"])
        await make_teacher(
            session, T5, subjects=["math"], organisation="МОУ «Лицей»", municipality="г. Ржев"
        )
        await session.commit()
    for uid in (METHODIST, T1, T2, T3, T4, T5):
        api.add_user(uid, "Анна", language_code="en" if uid == METHODIST else "ru")
    api.block(T4)


async def _twenty_one_people(harness, api, first: int = 750_000) -> None:  # type: ignore[no-untyped-def]
    """A methodist (English) and twenty teachers, telegram ids `first` … `first` + 19."""
    async with harness.sessions() as session:
        await make_teacher(session, METHODIST, language="en", roles=(NetworkRole.METHODIST,))
        for i in range(20):
            await make_teacher(session, first + i)
        await session.commit()
    api.add_user(METHODIST, "Анна", language_code="en")
    for i in range(20):
        api.add_user(first + i, "Анна")


async def _finish_sending(harness) -> None:  # type: ignore[no-untyped-def]
    """Deliver what is due, then let the sweep close the newsletters and report. A copy
    Telegram asked to wait for (a 429 to a busy chat) is due a moment later: passes go on
    until no newsletter is being sent, for at most 10 s."""
    await harness.idle()
    app = harness.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    for _ in range(3):
        await app.bot_data["outbox"].drain()
        assert await jobs.run_now(app, "newsletters")
    while await _being_sent(harness) and loop.time() < deadline:
        await asyncio.sleep(0.2)
        await app.bot_data["outbox"].drain()
        assert await jobs.run_now(app, "newsletters")
    await app.bot_data["outbox"].drain()


async def _stop_and_finish(harness, api, progress, answer: str):  # type: ignore[no-untyped-def]
    """Press ⏹ under the progress message, see `answer`, let it end; returns the report."""
    api.user_presses(METHODIST, progress, button(progress, "⏹"))
    await api.wait_for(
        lambda: any(
            answer in (c.params.get("text") or "") for c in api.calls_of("answerCallbackQuery")
        )
    )
    await _finish_sending(harness)
    return await api.wait_for_message(METHODIST, "because you stopped")


async def _being_sent(harness) -> bool:  # type: ignore[no-untyped-def]
    async with harness.sessions() as session:
        sending = await session.scalar(
            select(Newsletter.id).where(Newsletter.status == NewsletterStatus.SENDING)
        )
    return sending is not None


def _clock_from(start: datetime) -> None:
    """The clock at `start`, then moving on in real time (a delayed copy becomes due)."""
    began = time.monotonic()
    set_clock(lambda: start + timedelta(seconds=time.monotonic() - began))


HEADER = "✉️ "  # «Рассылка …» or "Newsletter …", in the recipient's language


def _bodies_to(api, chat_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    """What reached `chat_id`, each newsletter copy without its header (checked here)."""
    bodies = []
    for text in _texts_to(api, chat_id):
        if text.startswith(HEADER):
            header, _, text = text.partition("\n\n")
            assert header.endswith("):"), header  # who sends it, in brackets
        bodies.append(text)
    return bodies


def _texts_to(api, chat_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        c.params.get("text") or c.params.get("caption") or ""
        for c in api.calls
        if c.method in ("sendMessage", "sendPhoto", "sendDocument")
        and c.params.get("chat_id") == chat_id
        and c.ok
    ]


async def test_methodist_composes_filters_previews_and_sends(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    await _people(harness, api)
    await say(api, METHODIST, "/newsletter", "newsletter's text")
    # Validation: too long, then formatted text is kept.
    reply = await say(api, METHODIST, "x" * 5000, "too long")
    assert "3896" in reply["text"]  # 4096 less the room for the header
    api._user_message(
        METHODIST,
        None,
        {
            "text": "Webinar: functional literacy",
            "entities": [{"type": "bold", "offset": 0, "length": 7}],
        },
    )
    await api.wait_for_message(METHODIST, "link buttons")
    await say(api, METHODIST, "just words", "could not read")
    await say(api, METHODIST, "Site - ftp://example.org", "not a web link")
    many = "\n".join(f"B{i} - https://example.org/{i}" for i in range(6))
    await say(api, METHODIST, many, "at most 5 buttons")
    audience = await say(
        api, METHODIST, "Register - https://example.org/reg", "Who receives the newsletter"
    )
    assert "That is 5 people" in audience["text"]  # all but the one who switched off
    # Combine: subject + organisation + municipality.
    subjects = await press(api, METHODIST, audience, "📚", "Choose the subject")
    audience = await press(api, METHODIST, subjects, "Mathematics", "That is 4 people")
    assert "Who receives the newsletter" in audience["text"]
    await press(api, METHODIST, audience, "🏫", "organisation's name")
    await say(api, METHODIST, "x", "from 2 to 200")
    audience = await say(api, METHODIST, "сош № 5", "Who receives the newsletter", new=True)
    assert "That is 3 people" in audience["text"]
    await press(api, METHODIST, audience, "📍", "municipality")
    audience = await say(api, METHODIST, "ТВЕРЬ", "Who receives the newsletter", new=True)
    assert "That is 3 people" in audience["text"]
    assert "subject «Mathematics»" in audience["text"]
    assert "organisation «сош № 5»" in audience["text"]
    summary = await press(api, METHODIST, audience, "👁", "It will reach 3 people")
    copy = [c for c in api.calls_of("sendMessage") if c.params["chat_id"] == METHODIST][-2]
    # The preview is the copy recipients get: who sends it, then the text as formatted.
    assert copy.params["text"].startswith("✉️ Newsletter of a network methodist (")
    assert copy.params["text"].endswith("):\n\n<b>Webinar</b>: functional literacy")
    assert copy.params["reply_markup"]["inline_keyboard"] == [
        [{"text": "Register", "url": "https://example.org/reg"}]
    ]
    await press(api, METHODIST, summary, "📤", "on its way to 3 people")
    await _finish_sending(harness)
    # The same message, formatting and button, reached exactly the audience.
    assert _bodies_to(api, T1).count("<b>Webinar</b>: functional literacy") == 1
    # Each copy says who sends it, in the recipient's own language.
    assert _texts_to(api, T1)[0].startswith("✉️ Рассылка сетевого методиста (")
    own = [text for text in _texts_to(api, METHODIST) if text.endswith("functional literacy")]
    assert len(own) == 2 and all(
        text.startswith("✉️ Newsletter of a network methodist (") for text in own
    )
    # The author: the preview, then their own copy as a recipient.
    assert _bodies_to(api, METHODIST).count("<b>Webinar</b>: functional literacy") == 2
    for uid in (T2, T3, T5):
        assert _texts_to(api, uid) == []
    # The progress message ended at 100 %, saying it is finished and without its stop
    # button, then the report and the CSV came.
    edits = [c for c in api.calls_of("editMessageText") if c.params["chat_id"] == METHODIST]
    assert edits and "100%" in edits[-1].params["text"]
    assert "Newsletter #1 is finished" in edits[-1].params["text"]
    assert "is being sent" not in edits[-1].params["text"]
    assert not edits[-1].params.get("reply_markup")
    assert (
        "Sent: 2" in edits[-1].params["text"] and "blocked the bot: 1" in edits[-1].params["text"]
    )
    report = await api.wait_for_message(METHODIST, "Delivered to")
    assert "Newsletter #1 is finished" in report["text"]
    assert "Delivered to 2 people" in report["text"]
    assert "1 person has blocked the bot" in report["text"]
    (document,) = [c for c in api.calls_of("sendDocument") if c.params["chat_id"] == METHODIST]
    content = next(iter(document.files.values())).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][:4] == ["Telegram ID", "Name", "Status", "Reason"]
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [(str(T4), "blocked", "blocked the bot")]
    async with harness.sessions() as session:
        newsletter = await session.scalar(select(Newsletter))
    assert newsletter is not None and newsletter.status is NewsletterStatus.DONE
    assert newsletter.recipients == 3


async def test_photo_newsletter_reaches_everyone_with_the_same_photo(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    await _people(harness, api)
    await say(api, METHODIST, "/newsletter", "newsletter's text")
    api.user_sends_photo(METHODIST, caption="Poster of the contest")
    buttons = await api.wait_for_message(METHODIST, "link buttons")
    audience = await press(api, METHODIST, buttons, "No buttons", "Who receives the newsletter")
    summary = await press(api, METHODIST, audience, "👁", "It will reach 5 people")
    preview = [c for c in api.calls_of("sendPhoto") if c.params["chat_id"] == METHODIST]
    assert preview and preview[0].params["caption"].endswith("):\n\nPoster of the contest")
    photo_id = preview[0].params["photo"]
    await press(api, METHODIST, summary, "📤", "on its way")
    await _finish_sending(harness)
    sent = {c.params["chat_id"]: c.params["photo"] for c in api.calls_of("sendPhoto") if c.ok}
    assert set(sent) == {METHODIST, T1, T2, T5}
    assert set(sent.values()) == {photo_id}


async def test_only_methodists_and_leaders_may_write(harness, fake_api):  # type: ignore[no-untyped-def]
    await _people(harness, fake_api)
    reply = await say(fake_api, T1, "/newsletter")
    assert "только" in reply["text"] or "only" in reply["text"]
    async with harness.sessions() as session:
        assert await session.scalar(select(Newsletter)) is None


async def test_leader_notice_reaches_members_who_switched_newsletters_off(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    leader, off, other = 720_001, 720_002, 720_003
    async with harness.sessions() as session:
        boss = await make_teacher(session, leader, language="en")
        association = await make_association(session, leader=boss)
        member = await make_teacher(session, off, newsletters_enabled=False)
        await add_member(session, association, member)
        await make_teacher(session, other)  # not a member: not reached
        await session.commit()
    for uid in (leader, off, other):
        api.add_user(uid, "Олег")
    await say(api, leader, "/newsletter", "newsletter's text")
    buttons = await say(api, leader, "Meeting moved to Friday", "link buttons")
    summary = await press(api, leader, buttons, "No buttons", "It will reach 2 people")
    assert "🎯" not in str(summary["reply_markup"])  # a leader cannot widen the audience
    await press(api, leader, summary, "📤", "on its way")
    await _finish_sending(harness)
    assert _bodies_to(api, off) == ["Meeting moved to Friday"]
    # A leader's newsletter is its association's notice, and says so.
    assert _texts_to(api, off)[0].startswith(f"✉️ Рассылка объединения «{association.name}» (")
    assert _texts_to(api, other) == []
    async with harness.sessions() as session:
        newsletter = await session.scalar(select(Newsletter))
    assert newsletter is not None and newsletter.association_id == association.id


async def test_leader_role_filter_across_associations(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    await _people(harness, api)
    async with harness.sessions() as session:
        lead = await make_teacher(session, 730_001)
        await make_association(session, leader=lead, name="ВМО физиков")
        await session.commit()
    api.add_user(730_001, "Пётр")
    await say(api, METHODIST, "/newsletter", "newsletter's text")
    buttons = await say(api, METHODIST, "For leaders only", "link buttons")
    audience = await press(api, METHODIST, buttons, "No buttons", "Who receives the newsletter")
    roles = await press(api, METHODIST, audience, "👤", "Choose the recipients' role")
    audience = await press(api, METHODIST, roles, "association leaders", "That is 1 person")
    summary = await press(api, METHODIST, audience, "👁", "It will reach 1 person")
    await press(api, METHODIST, summary, "📤", "on its way")
    await _finish_sending(harness)
    assert _bodies_to(api, 730_001) == ["For leaders only"]
    assert _texts_to(api, T1) == []


async def test_schedule_edit_cancel(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    await _people(harness, api)
    set_clock(lambda: datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    for text in ("First", "Second"):
        await say(api, METHODIST, "/newsletter", "newsletter's text" if text == "First" else None)
        if text == "Second":
            new = api.world.chat(METHODIST).messages[max(api.world.chat(METHODIST).messages)]
            await press(api, METHODIST, new, "✉️", "newsletter's text")
        buttons = await say(api, METHODIST, text, "link buttons")
        audience = await press(api, METHODIST, buttons, "No buttons", "Who receives the newsletter")
        summary = await press(api, METHODIST, audience, "👁", "It will reach")
        await press(api, METHODIST, summary, "🕒", "When should it go out")
        await say(api, METHODIST, "01.12.2026 08:00", "already passed")
        await say(api, METHODIST, "someday", "could not read")
        await say(api, METHODIST, "02.12.2026 10:00", "will go out on 2 December 2026, 10:00")
    panel = first_panel = await say(api, METHODIST, "/newsletter", "Your scheduled newsletters")
    async with harness.sessions() as session:
        first, second = (await session.scalars(select(Newsletter).order_by(Newsletter.id))).all()
    # Edit the first one's text and time; cancel the second.
    await press(api, METHODIST, panel, f"✏️ Text #{first.id}", "newsletter's text")
    await say(api, METHODIST, "First, corrected", "is updated")
    panel = await say(api, METHODIST, "/newsletter", "Your scheduled newsletters")
    await press(api, METHODIST, panel, f"🕒 Time #{first.id}", "When should it go out")
    await say(api, METHODIST, "03.12.2026 10:00", "3 December 2026")
    panel = await say(api, METHODIST, "/newsletter", "Your scheduled newsletters")
    api.user_presses(METHODIST, panel, button(panel, f"✖ Cancel #{second.id}"))
    await api.wait_for_message(METHODIST, f"#{second.id} is cancelled")
    await harness.idle()
    # Nothing leaves before its time.
    set_clock(lambda: datetime(2026, 12, 2, 12, 0, tzinfo=UTC))
    await _finish_sending(harness)
    assert _texts_to(api, T1) == []
    _clock_from(datetime(2026, 12, 3, 7, 1, tzinfo=UTC))  # 10:01 in Moscow
    await _finish_sending(harness)
    assert _bodies_to(api, T1) == ["First, corrected"]
    assert "Second" not in _bodies_to(api, T2)
    async with harness.sessions() as session:
        statuses = [
            n.status
            for n in (await session.scalars(select(Newsletter).order_by(Newsletter.id))).all()
        ]
    assert statuses == [NewsletterStatus.DONE, NewsletterStatus.CANCELLED]
    # A cancelled one cannot be cancelled again: a polite alert, not an error.
    api.user_presses(METHODIST, first_panel, button(first_panel, f"✖ Cancel #{first.id}"))
    await api.wait_for(
        lambda: any(
            "already started" in (c.params.get("text") or "")
            for c in api.calls_of("answerCallbackQuery")
        )
    )


async def test_progress_edits_and_stop_button(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    await _twenty_one_people(harness, api, first=740_000)
    worker = harness.app.bot_data["outbox"]
    await worker.stop()  # the test hands out the messages itself
    await say(api, METHODIST, "/newsletter", "newsletter's text")
    buttons = await say(api, METHODIST, "Long mailing", "link buttons")
    audience = await press(api, METHODIST, buttons, "No buttons", "Who receives the newsletter")
    summary = await press(api, METHODIST, audience, "👁", "It will reach 21 people")
    await press(api, METHODIST, summary, "📤", "on its way to 21 people")
    await harness.idle()
    await harness.idle()
    await worker.drain(limit=1)  # the progress message goes first
    progress = await api.wait_for_message(METHODIST, "is being sent")
    assert "0%" in progress["text"]
    await worker.drain(limit=5)
    app = harness.app
    assert await jobs.run_now(app, "newsletters")
    await worker.drain(limit=1)  # the edit, enqueued first in line, goes first
    progress = await api.wait_for_message(METHODIST, "Sent: 5")
    assert "▓" in progress["text"] and "left" in progress["text"]
    report = await _stop_and_finish(harness, api, progress, "Stopped: 16 messages")
    assert "Newsletter #1 was stopped" in report["text"]
    assert "16 messages were not sent because you stopped" in report["text"]
    # The progress message itself says so, and its stop button is gone.
    shown = api.world.chat(METHODIST).messages[progress["message_id"]]
    assert shown["text"].startswith("Newsletter #1 was stopped")
    assert "Sent: 5" in shown["text"] and "24%" in shown["text"]
    assert not shown.get("reply_markup")
    async with harness.sessions() as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.batch.is_not(None)))
        ).all()
    assert sum(r.status is OutboxStatus.SENT for r in rows) == 5
    assert sum(r.status is OutboxStatus.CANCELLED for r in rows) == 16


async def test_russian_texts_and_plurals(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    async with harness.sessions() as session:
        await make_teacher(session, METHODIST, language="ru", roles=(NetworkRole.METHODIST,))
        await make_teacher(session, T1)
        await session.commit()
    api.add_user(METHODIST, "Анна")
    api.add_user(T1, "Анна")
    await say(api, METHODIST, "/newsletter", "текст рассылки")
    buttons = await say(api, METHODIST, "Привет", "кнопки-ссылки")
    audience = await press(api, METHODIST, buttons, "Без кнопок", "Кто получит")
    assert "2 человека" in audience["text"]
    assert "Получатели сейчас — все" in audience["text"]  # one dash, no double colon
    # Role buttons are recipients (nominative), not the access errors' dative forms.
    roles = await press(api, METHODIST, audience, "👤", "Выберите роль получателей")
    labels = [b["text"] for row in roles["reply_markup"]["inline_keyboard"] for b in row]
    assert "сетевые методисты" in labels and "утверждающие" in labels
    audience = await press(api, METHODIST, roles, "сетевые методисты", "Это 1 человек")
    assert "роль «сетевые методисты»" in audience["text"]


async def test_crash_mid_newsletter_resumes_without_duplicates(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    people = [760_000 + i for i in range(12)]
    async with harness.sessions() as session:
        await make_teacher(session, METHODIST, language="en", roles=(NetworkRole.METHODIST,))
        for uid in people:
            await make_teacher(session, uid)
        await session.commit()
    for uid in (METHODIST, *people):
        api.add_user(uid, "Анна", language_code="en" if uid == METHODIST else "ru")
    worker = harness.app.bot_data["outbox"]
    await worker.stop()
    await say(api, METHODIST, "/newsletter", "newsletter's text")
    buttons = await say(api, METHODIST, "Before the crash", "link buttons")
    audience = await press(api, METHODIST, buttons, "No buttons", "Who receives the newsletter")
    summary = await press(api, METHODIST, audience, "👁", "It will reach 13 people")
    await press(api, METHODIST, summary, "📤", "on its way")
    await harness.idle()
    await worker.drain(limit=4)  # the progress message and three recipients
    # The delivery process dies (kill -9) right after claiming two rows: their requests may
    # or may not have reached Telegram, and no answer was recorded.
    claimed = [await worker._claim(), await worker._claim()]
    assert all(claimed)
    app = harness.app
    restarted = OutboxWorker(
        app.bot, app.bot_data["sessions"], WorkerConfig(rate=30, private_interval=0.0)
    )
    app.bot_data["outbox"] = restarted
    assert await restarted.recover_stale_claims() == 0  # maybe another live worker's
    async with app.bot_data["sessions"]() as session:
        in_flight = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENDING)
            )
        ).all()
    assert 1 <= len(in_flight) <= 4  # at most the worker's concurrency
    # Past the stale limit, the unknown ones are settled as UNCONFIRMED, never re-sent.
    set_clock(lambda: datetime.now(UTC) + timedelta(minutes=5))
    assert await restarted.recover_stale_claims() == len(in_flight)
    await _finish_sending(harness)
    delivered = [
        c.params["chat_id"]
        for c in api.calls_of("sendMessage")
        if c.ok and (c.params.get("text") or "").endswith("\n\nBefore the crash")
    ]
    delivered.remove(METHODIST)  # the author's preview
    assert len(delivered) == len(set(delivered))  # nobody got it twice
    async with app.bot_data["sessions"]() as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.batch == "nl:1"))
        ).all()
    statuses = [r.status for r in rows]
    assert OutboxStatus.PENDING not in statuses and OutboxStatus.SENDING not in statuses
    unconfirmed = {r.chat_id for r in rows if r.status is OutboxStatus.UNCONFIRMED}
    sent = {r.chat_id for r in rows if r.status is OutboxStatus.SENT}
    assert unconfirmed == {r.chat_id for r in in_flight}
    assert sent | unconfirmed == {METHODIST, *people}
    assert sent <= set(delivered)  # every SENT row really arrived
    report = await api.wait_for_message(METHODIST, "restarted")
    assert "is finished" in report["text"]
    assert f"{len(unconfirmed)} message" in report["text"] and "restarted" in report["text"]


async def test_association_filter_pages_and_finds_by_name(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    await _people(harness, api)
    async with harness.sessions() as session:
        lead = await make_teacher(session, 730_002)
        for n in range(23):
            await make_association(session, leader=lead, name=f"ВМО учителей № {n + 10}")
        physics = await make_association(session, name="Сообщество учителей ФИЗИКИ")
        await add_member(session, physics, await make_teacher(session, 730_003))
        await session.commit()
    api.add_user(730_003, "Олег")
    await say(api, METHODIST, "/newsletter", "newsletter's text")
    buttons = await say(api, METHODIST, "Для физиков", "link buttons")
    audience = await press(api, METHODIST, buttons, "No buttons", "Who receives the newsletter")
    picker = await press(api, METHODIST, audience, "🏛", "Page 1 of 3")
    labels = [b["text"] for row in picker["reply_markup"]["inline_keyboard"] for b in row]
    assert sum(label.startswith("ВМО учителей №") for label in labels) == 10 and "▶️" in labels
    api.user_presses(METHODIST, picker, button(picker, "▶️"))
    page2 = await api.wait_for_message(METHODIST, "Page 2 of 3", edits=True)
    assert "◀️" in str(page2["reply_markup"]) and "▶️" in str(page2["reply_markup"])
    found = await say(api, METHODIST, "физик", "Found by «физик»: 1")
    api.user_presses(METHODIST, found, button(found, "ФИЗИКИ"))
    chosen = await api.wait_for_message(METHODIST, "Chosen: 1", edits=True)
    audience = await press(api, METHODIST, chosen, "Done", "That is 1 person")
    summary = await press(api, METHODIST, audience, "👁", "It will reach 1 person")
    await press(api, METHODIST, summary, "📤", "on its way")
    await _finish_sending(harness)
    assert _bodies_to(api, 730_003) == ["Для физиков"]


async def _sent_in_pages_of_four(harness, api, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The methodist sends a newsletter to the 21 of `_twenty_one_people`, 4 copies a page."""
    monkeypatch.setattr(service, "FANOUT_PAGE", 4)
    await _twenty_one_people(harness, api)
    await say(api, METHODIST, "/newsletter", "newsletter's text")
    buttons = await say(api, METHODIST, "Region-wide mailing", "link buttons")
    audience = await press(api, METHODIST, buttons, "No buttons", "Who receives the newsletter")
    summary = await press(api, METHODIST, audience, "👁", "It will reach 21 people")
    await press(api, METHODIST, summary, "📤", "on its way to 21 people")
    await harness.idle()


async def test_a_large_newsletter_is_enqueued_page_by_page_and_reaches_everyone_once(
    harness, fake_api, monkeypatch
):  # type: ignore[no-untyped-def]
    api = fake_api
    await _sent_in_pages_of_four(harness, api, monkeypatch)
    async with harness.sessions() as session:
        newsletter = await session.scalar(select(Newsletter))
    assert newsletter is not None and newsletter.enqueued == 4  # the press enqueued one page
    app = harness.app
    for _ in range(8):  # a page per pass: 4 + 4 + 4 + 4 + 1, then the report
        await harness.idle()
        await app.bot_data["outbox"].drain()
        assert await jobs.run_now(app, "newsletters")
    await app.bot_data["outbox"].drain()
    for i in range(20):
        assert _bodies_to(api, 750_000 + i) == ["Region-wide mailing"]
    report = await api.wait_for_message(METHODIST, "Delivered to")
    assert "Delivered to 21 people" in report["text"]
    edits = [c for c in api.calls_of("editMessageText") if c.params["chat_id"] == METHODIST]
    assert "100%" in edits[-1].params["text"] and "is finished" in edits[-1].params["text"]
    async with harness.sessions() as session:
        newsletter = await session.scalar(select(Newsletter))
    assert newsletter is not None and newsletter.status is NewsletterStatus.DONE
    assert (newsletter.recipients, newsletter.enqueued) == (21, 21)


async def test_stopping_before_the_last_page_stops_the_pages_not_enqueued(
    harness, fake_api, monkeypatch
):  # type: ignore[no-untyped-def]
    api = fake_api
    await _sent_in_pages_of_four(harness, api, monkeypatch)
    await harness.app.bot_data["outbox"].drain()  # the progress message and the first page
    progress = await api.wait_for_message(METHODIST, "is being sent")
    report = await _stop_and_finish(harness, api, progress, "Stopped: 17 messages")
    assert "17 messages were not sent because you stopped" in report["text"]
    shown = api.world.chat(METHODIST).messages[progress["message_id"]]
    assert shown["text"].startswith("Newsletter #1 was stopped")
    assert "Sent: 4" in shown["text"] and "19%" in shown["text"]
    sent = [uid for uid in range(750_000, 750_020) if _bodies_to(api, uid)]
    assert len(sent) == 3  # the author's own copy was the fourth of the first page
