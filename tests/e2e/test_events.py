"""/events end to end: publishing, the list with one's meetings, .ics, the weekly digest."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from models import NetworkRole, OutboxMessage, User
from models.meetings import Meeting
from models.newsletters import NetworkEvent
from scheduler import jobs
from services import events
from services.clock import set_clock
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

METHODIST, TEACHER, OTHER = 750_001, 750_002, 750_003
TUESDAY = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def _setup(harness, api):  # type: ignore[no-untyped-def]
    set_clock(lambda: TUESDAY)
    async with harness.sessions() as session:
        await make_teacher(session, METHODIST, language="en", roles=(NetworkRole.METHODIST,))
        teacher = await make_teacher(session, TEACHER, language="en")
        await make_teacher(session, OTHER)
        association = await make_association(session, name="ВМО историков")
        await add_member(session, association, teacher)
        session.add(
            Meeting(
                association_id=association.id,
                number=3,
                academic_year=2026,
                topic="Смысловое чтение",
                form="online",
                starts_at=datetime(2026, 12, 16, 12, 0, tzinfo=UTC),
                link="https://meet.example.org/3",
            )
        )
        await session.commit()
    for uid in (METHODIST, TEACHER, OTHER):
        api.add_user(uid, "Анна", language_code="en")


async def _publish(api) -> None:  # type: ignore[no-untyped-def]
    listing = await say(api, METHODIST, "/events", "Upcoming events")
    assert "Nothing is planned yet" in listing["text"]
    kinds = await press(api, METHODIST, listing, "➕", "Choose the kind of event")
    await press(api, METHODIST, kinds, "Webinar", "event's title")
    await say(api, METHODIST, "ab", "from 3 to 300")
    when = await say(api, METHODIST, "Functional literacy <today>", "When does it start")
    assert "Time zone: Moscow (MSK)." in when["text"]  # the network's DEFAULT_TIMEZONE
    await say(api, METHODIST, "01.11.2026 10:00", "already passed")
    await say(api, METHODIST, "whenever", "could not read")
    await say(api, METHODIST, "15.12.2026 15:00", "link")
    await say(api, METHODIST, "example.org", "not a web link")
    done = await say(api, METHODIST, "https://example.org/webinar", "Published")
    assert "Functional literacy <today>" in done["text"]  # escaped, shown as typed
    assert "15 December 2026, 15:00" in done["text"]


async def test_publish_list_ics_and_cancel(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    await _setup(harness, api)
    await _publish(api)
    listing = await say(api, TEACHER, "/events", "Upcoming events")
    text = listing["text"]
    # The network event and the teacher's own association's meeting, in time order.
    assert text.index("Functional literacy") < text.index("Смысловое чтение")
    assert "Meeting of «ВМО историков»" in text and "Webinar" in text
    assert "➕" not in str(listing["reply_markup"])  # only methodists publish
    api.user_presses(TEACHER, listing, button(listing, "📅"))
    await api.wait_for(lambda: api.calls_of("sendDocument"))
    (document,) = api.calls_of("sendDocument")
    ics = next(iter(document.files.values())).decode()
    assert "SUMMARY:Functional literacy <today>" in ics
    assert "DTSTART:20261215T120000Z" in ics  # 15:00 in Moscow
    assert "URL:https://example.org/webinar" in ics
    # Someone outside the association sees the event but not the meeting.
    other = await say(api, OTHER, "/events", "Ближайшие мероприятия")
    assert "Functional literacy" in other["text"] and "Смысловое чтение" not in other["text"]
    # The methodist cancels it; it disappears; an old .ics button gets a polite alert.
    methodist_list = await say(api, METHODIST, "/events", "Upcoming events")
    await press(api, METHODIST, methodist_list, "✖", "Upcoming events")
    await harness.idle()
    async with harness.sessions() as session:
        event = await session.scalar(select(NetworkEvent))
    assert event is not None and event.cancelled_at is not None
    again = await say(api, TEACHER, "/events", "Upcoming events")
    assert "Functional literacy" not in again["text"]
    api.user_presses(TEACHER, listing, button(listing, "📅"))
    await api.wait_for(
        lambda: any(
            "deleted" in (c.params.get("text") or "") for c in api.calls_of("answerCallbackQuery")
        )
    )


async def test_weekly_digest_once_for_subscribers(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    await _setup(harness, api)
    await _publish(api)
    listing = await say(api, TEACHER, "/events", "Upcoming events")
    await press(api, TEACHER, listing, "🔕", "Upcoming events")
    await harness.idle()
    sessions = harness.app.bot_data["sessions"]

    async def sweep() -> int:
        """The digest sweep's work, as scheduler/events.py does it: tell, word, commit."""
        async with sessions() as session:
            await events.tell_weekly_digests(session, timezone="Europe/Moscow")
            added = await harness.app.bot_data["notices"].deliver(session)
            await session.commit()
        await harness.app.bot_data["outbox"].drain()
        return added

    assert await sweep() == 0  # Tuesday: this week's digest time has not come
    set_clock(lambda: datetime(2026, 12, 14, 5, 0, tzinfo=UTC))  # Monday 08:00 in Moscow
    assert await sweep() == 0
    # ... but 12:00 in Novosibirsk: a network there (DEFAULT_TIMEZONE) would get it now.
    assert events.digest_week(datetime(2026, 12, 14, 5, 0, tzinfo=UTC), "Asia/Novosibirsk") == (
        "2026-W51"
    )
    set_clock(lambda: datetime(2026, 12, 14, 6, 30, tzinfo=UTC))  # Monday 09:30 in Moscow
    assert await sweep() == 1
    assert await sweep() == 0  # once a week
    digest = await api.wait_for_message(TEACHER, "Events of the coming week")
    assert "Functional literacy" in digest["text"] and "Смысловое чтение" in digest["text"]
    links = [e.get("url") for e in digest.get("entities", []) if e["type"] == "text_link"]
    assert "https://example.org/webinar" in links
    async with sessions() as session:
        rows = (await session.scalars(select(OutboxMessage.chat_id))).all()
    assert METHODIST not in rows and OTHER not in rows
    # Switching it off stops the next week's digest.
    listing = await say(api, TEACHER, "/events", "Upcoming events")
    await press(api, TEACHER, listing, "🔔", "Upcoming events")
    await harness.idle()
    set_clock(lambda: datetime(2026, 12, 21, 7, 0, tzinfo=UTC))
    assert await sweep() == 0


async def test_methodist_corrects_an_event(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    await _setup(harness, api)
    await _publish(api)
    listing = await say(api, METHODIST, "/events", "Upcoming events")
    summary = await press(api, METHODIST, listing, "✏️", "Event #")
    assert "Functional literacy &lt;today&gt;" not in summary["text"]  # shown, not as HTML
    assert "Functional literacy <today>" in summary["text"]
    await press(api, METHODIST, summary, "✏️ Time", "When does it start")
    await say(api, METHODIST, "30.11.2026 10:00", "already passed")  # refused, asked again
    summary = await say(api, METHODIST, "17.12.2026 16:30", "17 December 2026, 16:30")
    links = await press(api, METHODIST, summary, "✏️ Link", "link")
    summary = await press(api, METHODIST, links, "No link", "Link: none")
    saved = await press(api, METHODIST, summary, "Save changes", "Saved")
    assert "17 December 2026, 16:30" in saved["text"]
    await harness.idle()
    async with harness.sessions() as session:
        event = await session.scalar(select(NetworkEvent))
    assert event is not None and event.link is None
    assert event.starts_at == datetime(2026, 12, 17, 13, 30, tzinfo=UTC)  # 16:30 in Moscow
    # A teacher has no such buttons.
    listing = await say(api, TEACHER, "/events", "Upcoming events")
    assert "✏️" not in str(listing.get("reply_markup"))


async def test_the_digest_sweep_runs_from_the_schedule_in_the_networks_time_zone(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    await _setup(harness, api)
    await _publish(api)
    listing = await say(api, TEACHER, "/events", "Upcoming events")
    await press(api, TEACHER, listing, "🔕", "Upcoming events")
    await harness.idle()
    set_clock(lambda: datetime(2026, 12, 14, 5, 0, tzinfo=UTC))  # Monday 08:00 in Moscow
    assert await jobs.run_now(harness.app, "event-digest")
    await harness.app.bot_data["outbox"].drain()
    assert not [m for m in api.sent_to(TEACHER) if "coming week" in m.get("text", "")]
    set_clock(lambda: datetime(2026, 12, 14, 6, 30, tzinfo=UTC))  # 09:30: due
    assert await jobs.run_now(harness.app, "event-digest")
    assert await jobs.run_now(harness.app, "event-digest")  # run twice, sent once
    await harness.app.bot_data["outbox"].drain()
    digest = await api.wait_for_message(TEACHER, "Events of the coming week")
    assert "Functional literacy" in digest["text"]
    assert len([m for m in api.sent_to(TEACHER) if "coming week" in m.get("text", "")]) == 1


async def test_an_old_or_forged_events_button_is_answered_politely(harness, fake_api):  # type: ignore[no-untyped-def]
    api = fake_api
    await _setup(harness, api)
    listing = await say(api, TEACHER, "/events", "Upcoming events")
    forged_data = ("ev1:ics:x", "ev1:digest:maybe", "ev1:nothing", "ev:digest:on")
    forged = {
        **listing,
        "reply_markup": {
            "inline_keyboard": [[{"text": d, "callback_data": d}] for d in forged_data]
        },
    }
    api.world.chat(TEACHER).messages[listing["message_id"]] = forged
    for data in forged_data:
        before = len(api.calls_of("answerCallbackQuery"))
        api.user_presses(TEACHER, forged, data)
        await api.wait_for(lambda b=before: len(api.calls_of("answerCallbackQuery")) > b)
        answer = api.calls_of("answerCallbackQuery")[-1].params
        assert answer.get("show_alert") is True
        # This feature's own (ev1) say where to go; the old format gets the general alert.
        assert "Open /events again" in answer["text"] or data == "ev:digest:on"
    await harness.idle()
    async with harness.sessions() as session:
        teacher = await session.scalar(select(User).where(User.telegram_id == TEACHER))
        assert teacher is not None
        assert not await events.wants_digest(session, teacher)  # nothing was switched
