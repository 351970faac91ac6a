"""Newsletter services: audience filters (each and combined), permissions, validation, start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.i18n import Translator
from bot.notices import NoticeRenderer
from handlers.newsletters.notices import copy_text
from models import MemberRole, NetworkRole, OutboxMessage
from models.newsletters import NewsletterStatus
from scheduler.announcements import delivery_summaries
from scheduler.events import weekly_digest
from scheduler.lent import sweep_settings
from scheduler.schedule import SCHEDULE
from services import link_buttons
from services import newsletters as service
from services.access import Actor
from services.audience import (
    Audience,
    BadFilterText,
    UnknownRole,
    clean_filter_text,
    count,
    recipients,
)
from services.clock import now
from services.errors import PermissionDenied
from tests.factories import add_member, make_association, make_teacher


async def _world(session):  # type: ignore[no-untyped-def]
    """Teachers across two associations; ids by name for readable assertions."""
    p = {}
    p["anna"] = await make_teacher(session, 1, subjects=["math"], municipality="г. Тверь")
    p["boris"] = await make_teacher(
        session, 2, subjects=["physics"], organisation="Гимназия № 1", municipality="г. Тверь"
    )
    p["vera"] = await make_teacher(
        session, 3, subjects=["math", "informatics"], organisation="Лицей", municipality="г. Ржев"
    )
    p["off"] = await make_teacher(session, 4, subjects=["math"], newsletters_enabled=False)
    p["gone"] = await make_teacher(session, 5, subjects=["math"], unreachable_since=now())
    p["meth"] = await make_teacher(
        session, 6, subjects=["history"], roles=(NetworkRole.METHODIST,), municipality="г. Ржев"
    )
    maths = await make_association(session, leader=p["anna"], name="ВМО математиков")
    physics = await make_association(session, leader=p["boris"], name="ВМО физиков")
    await add_member(session, maths, p["vera"])
    await add_member(session, maths, p["off"])
    await add_member(session, physics, p["vera"], role=MemberRole.SECRETARY)
    return p, maths, physics


def _names(people, rows) -> set[str]:  # type: ignore[no-untyped-def]
    by_id = {user.id: name for name, user in people.items()}
    return {by_id[user_id] for user_id, _chat in rows}


async def test_each_filter_and_their_combination(session) -> None:  # type: ignore[no-untyped-def]
    p, maths, physics = await _world(session)

    async def names(**kw) -> set[str]:  # type: ignore[no-untyped-def]
        return _names(p, await recipients(session, Audience(**kw)))

    # Everyone who receives newsletters and can be reached.
    assert await names() == {"anna", "boris", "vera", "meth"}
    assert await names(associations=(maths.id,)) == {"anna", "vera"}
    assert await names(associations=(maths.id, physics.id)) == {"anna", "vera", "boris"}
    assert await names(role="leader") == {"anna", "boris"}
    assert await names(role="secretary") == {"vera"}
    assert await names(role="methodist") == {"meth"}
    assert await names(subject="math") == {"anna", "vera"}
    assert await names(organisation="гимназия") == {"boris"}
    assert await names(municipality="РЖЕВ") == {"vera", "meth"}
    # Combined: all must hold.
    assert await names(associations=(maths.id,), subject="informatics") == {"vera"}
    assert await names(role="leader", municipality="Тверь", subject="physics") == {"boris"}
    assert await names(associations=(physics.id,), role="leader") == {"boris"}
    assert await names(associations=(maths.id,), role="secretary") == set()
    with pytest.raises(UnknownRole):
        await names(role="pope")


async def test_official_notice_ignores_opt_out_but_not_blocking(session) -> None:  # type: ignore[no-untyped-def]
    p, maths, _ = await _world(session)
    await add_member(session, maths, p["gone"])
    rows = await recipients(session, Audience(associations=(maths.id,), official=True))
    assert _names(p, rows) == {"anna", "vera", "off"}


async def test_leader_is_limited_to_own_association(session) -> None:  # type: ignore[no-untyped-def]
    _people, maths, physics = await _world(session)
    anna = Actor(telegram_id=1)
    who = await service.composer(session, anna)
    assert not who.network and [a.id for a in who.led] == [maths.id]
    with pytest.raises(service.NotYourAssociation):
        service.allowed_audience(who, Audience(associations=(physics.id,)))
    with pytest.raises(service.NotYourAssociation):
        service.allowed_audience(who, Audience())
    chosen = service.allowed_audience(who, Audience(associations=(maths.id,)))
    assert chosen.official
    with pytest.raises(PermissionDenied):
        await service.composer(session, Actor(telegram_id=3))  # an ordinary member
    meth = await service.composer(session, Actor(telegram_id=6))
    assert meth.network
    assert not service.allowed_audience(meth, Audience(associations=(maths.id,))).official


def test_body_and_button_validation() -> None:
    service.check_body(10, with_media=False)
    service.check_body(0, with_media=True)  # a photo alone is fine
    with pytest.raises(service.EmptyText):
        service.check_body(0, with_media=False)
    with pytest.raises(service.TextTooLong):
        service.check_body(1025, with_media=True)
    with pytest.raises(service.TextTooLong):
        service.check_body(4097, with_media=False)
    assert link_buttons.parse_buttons("Сайт - https://a.ru\n\nРегистрация | http://b.ru/x") == [
        {"text": "Сайт", "url": "https://a.ru"},
        {"text": "Регистрация", "url": "http://b.ru/x"},
    ]
    with pytest.raises(link_buttons.BadButtonUrl):
        link_buttons.parse_buttons("Сайт - javascript:alert(1)")
    with pytest.raises(link_buttons.BadButtonLine):
        link_buttons.parse_buttons("https://a.ru")
    with pytest.raises(link_buttons.ButtonLabelTooLong):
        link_buttons.parse_buttons("x" * 41 + " - https://a.ru")


async def test_start_is_idempotent_and_respects_cancel(session) -> None:  # type: ignore[no-untyped-def]
    await _world(session)
    meth = Actor(telegram_id=6)
    draft = service.Draft(text="<b>Hi</b>", audience=Audience(subject="math"))
    scheduled = await service.create(
        session,
        actor=meth,
        draft=draft,
        scheduled_at=now() + timedelta(hours=1),
        progress_chat_id=6,
    )
    assert scheduled.status is NewsletterStatus.SCHEDULED
    with pytest.raises(service.TimeInPast):
        await service.reschedule(
            session, actor=meth, newsletter_id=scheduled.id, scheduled_at=now() - timedelta(1)
        )
    assert await service.cancel(session, actor=meth, newsletter_id=scheduled.id) == ("scheduled", 0)
    with pytest.raises(service.TooLate):
        await service.start(session, scheduled, rate=30)
    with pytest.raises(service.TooLate):
        await service.replace_text(
            session, actor=meth, newsletter_id=scheduled.id, text="x", plain_length=1
        )
    # Someone else's newsletter is not found for another author.
    with pytest.raises(service.NotFound):
        await service.get_own(session, Actor(telegram_id=1), scheduled.id)
    now_one = await service.create(
        session, actor=meth, draft=draft, scheduled_at=None, progress_chat_id=6
    )
    count = await service.start(session, now_one, rate=30)
    assert count == 2
    await NoticeRenderer("ru").deliver(session)
    rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    texts = [r.payload.get("text") for r in rows]
    assert "2 получателя" in texts[0]  # the author's progress message, first
    for copy in texts[1:]:  # every copy says who sends it, then the text as written
        header, body = copy.split("\n\n", 1)
        assert header.startswith("✉️ Рассылка сетевого методиста (") and body == "<b>Hi</b>"
    assert len(texts) == 3
    assert rows[0].priority < rows[1].priority
    with pytest.raises(service.TooLate):
        await service.start(session, now_one, rate=30)
    with pytest.raises(service.NoRecipients):
        await service.create(
            session,
            actor=meth,
            draft=service.Draft(text="x", audience=Audience(subject="music")),
            scheduled_at=None,
            progress_chat_id=6,
        )


def test_the_text_leaves_room_for_the_header_naming_the_sender() -> None:
    # Telegram's 4096 / 1024, less the header every copy starts with.
    service.check_body(service.TEXT_LIMIT, with_media=False)
    with pytest.raises(service.TextTooLong):
        service.check_body(service.TEXT_LIMIT + 1, with_media=False)
    with pytest.raises(service.TextTooLong):
        service.check_body(1000, with_media=True)
    service.check_body(0, with_media=True)  # a photo without a caption
    with pytest.raises(service.EmptyText):
        service.check_body(0, with_media=False)


def test_the_copy_names_the_sender_and_the_association_in_the_recipients_language() -> None:
    english, russian = Translator("en"), Translator("ru")
    author = "Петрова Елена Ивановна"
    assert copy_text(russian, "<b>Hi</b>", author, None) == (
        "✉️ Рассылка сетевого методиста (Петрова Е. И.):\n\n<b>Hi</b>"
    )
    assert copy_text(english, "Hi", author, "ВМО <физиков>") == (
        "✉️ Newsletter of the association «ВМО &lt;физиков&gt;» (Петрова Е. И.):\n\nHi"
    )
    long_name = "Я" * 300  # the header stays within the room kept for it
    assert len(copy_text(russian, "", author, long_name)) <= service.HEADER_ROOM


def test_organisation_and_municipality_filters_are_cleaned() -> None:
    assert clean_filter_text("  сош   № 5 ") == "сош № 5"
    for bad in ("x", "я" * 201):
        with pytest.raises(BadFilterText):
            clean_filter_text(bad)


def test_the_features_sweeps_are_rows_of_the_schedule() -> None:
    rows = {sweep.name: sweep for sweep in SCHEDULE}
    assert rows["announcement-summaries"].run is delivery_summaries
    assert rows["event-digest"].run is weekly_digest
    with pytest.raises(RuntimeError):  # settings are lent only while a sweep runs
        sweep_settings()


async def _rows_of(session, newsletter) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    await NoticeRenderer("ru").deliver(session)
    rows = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.batch == newsletter.batch)
    )
    return list(rows.all())


async def _to_everyone(session):  # type: ignore[no-untyped-def]
    """The methodist's (telegram id 6) newsletter to everyone, saved, not started."""
    return await service.create(
        session,
        actor=Actor(telegram_id=6),
        draft=service.Draft(text="Вебинар", audience=Audience()),
        scheduled_at=None,
        progress_chat_id=6,
    )


async def test_a_large_audience_is_enqueued_a_page_at_a_time(session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(service, "FANOUT_PAGE", 3)
    meth = await make_teacher(session, 6, roles=(NetworkRole.METHODIST,))
    teachers = [await make_teacher(session, 100 + i) for i in range(7)]
    newsletter = await _to_everyone(session)
    assert await service.start(session, newsletter, rate=30) == 8  # counted, not loaded
    assert (newsletter.enqueued, newsletter.fanned_out_at) == (3, None)
    assert len(await _rows_of(session, newsletter)) == 3
    progress = await service.progress_of(session, newsletter)  # the rest count as pending
    assert (progress.total, progress.pending, progress.done) == (8, 8, False)
    # Someone forgets their profile before their page: not reached, and not counted.
    teachers[-1].forgotten_at = now()
    pages = 1
    while newsletter.fanned_out_at is None:
        await service.fan_out(session, newsletter)
        pages += 1
    rows = await _rows_of(session, newsletter)
    reached = sorted(row.chat_id for row in rows)
    assert reached == [meth.telegram_id] + [t.telegram_id for t in teachers[:-1]]
    assert (pages, newsletter.enqueued, newsletter.recipients) == (3, 7, 7)
    await service.fan_out(session, newsletter)  # over: nothing more
    assert len(await _rows_of(session, newsletter)) == 7


async def test_a_cancel_during_the_fan_out_stops_the_pages_still_to_come(
    session, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(service, "FANOUT_PAGE", 2)
    await make_teacher(session, 6, roles=(NetworkRole.METHODIST,))
    for i in range(5):
        await make_teacher(session, 100 + i)
    newsletter = await _to_everyone(session)
    await service.start(session, newsletter, rate=30)
    await NoticeRenderer("ru").deliver(session)
    kind, stopped = await service.cancel(
        session, actor=Actor(telegram_id=6), newsletter_id=newsletter.id
    )
    # The two enqueued are cancelled, and the four never enqueued count as stopped too.
    assert (kind, stopped) == ("sending", 6)
    assert newsletter.fanned_out_at is not None
    await service.fan_out(session, newsletter)
    rows = await _rows_of(session, newsletter)
    assert [row.status.value for row in rows] == ["cancelled", "cancelled"]
    progress = await service.progress_of(session, newsletter)
    assert (progress.total, progress.cancelled, progress.pending) == (6, 6, 0)


async def test_a_catalogue_subject_is_counted_exactly_in_sql(session) -> None:  # type: ignore[no-untyped-def]
    await make_teacher(session, 1, subjects=["math"])
    await make_teacher(session, 2, subjects=["mathematics"])
    await make_teacher(session, 3, subjects=['my "math" club', "Астрономия"])
    await make_teacher(session, 4, subjects=["history", "math"])
    maths = Audience(subject="math")
    assert await count(session, maths) == 2 == len(await recipients(session, maths))
    own_words = Audience(subject='my "math" club')  # checked after SQL, exactly
    assert await count(session, own_words) == 1
