"""Service-level rules of messages between members: who may write to whom, answers,
refusals, reports, the limits, erasing old texts and /forget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

import handlers.correspondence.notices  # noqa: F401  (the renderers of the relays)
from bot.notices import NoticeRenderer
from models import (
    ActivityEvent,
    AuditEntry,
    MembershipStatus,
    NetworkRole,
    OutboxMessage,
    OutboxStatus,
)
from models.correspondence import MemberMessage, MessageBlock
from scheduler.correspondence import erase_old_messages
from services import correspondence, privacy
from services.access import Actor
from services.clock import set_clock
from services.correspondence import (
    PER_HOUR,
    PER_RECIPIENT_PER_DAY,
    AlreadyReported,
    BadText,
    CannotWriteToYourself,
    MessageGone,
    NotFellowMember,
    NotYourMessage,
    Refused,
    TooManyPerHour,
    TooManyToOnePerson,
)
from services.notices import take_pending
from tests.factories import add_member, make_association, make_teacher

MOMENT = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


async def _club(session):  # type: ignore[no-untyped-def]
    leader = await make_teacher(session, full_name="Петрова Мария Ивановна")
    club = await make_association(session, leader=leader, name="ВМО учителей математики")
    anna = await make_teacher(session, full_name="Иванова Анна Петровна")
    oleg = await make_teacher(session, full_name="Кузнецов Олег Викторович")
    for person in (anna, oleg):
        await add_member(session, club, person)
    return club, leader, anna, oleg


async def _send(session, sender, club, recipient, text="Добрый день!", reply_to=None):  # type: ignore[no-untyped-def]
    await correspondence.send(
        session,
        actor=Actor(sender.telegram_id),
        association_id=club.id,
        user_id=recipient.id,
        text=text,
        reply_to=reply_to,
    )
    await session.flush()
    return await session.scalar(select(MemberMessage).order_by(MemberMessage.id.desc()).limit(1))


async def test_fellow_members_are_the_others_by_name_for_members_only(session):
    club, _leader, anna, _oleg = await _club(session)
    gone = await make_teacher(session, full_name="Абрамова Вера Ильинична")
    (await add_member(session, club, gone)).status = MembershipStatus.LEFT
    found = await correspondence.fellows(
        session, actor=Actor(anna.telegram_id), association_id=club.id
    )
    assert [f.name for f in found.people] == ["Кузнецов Олег Викторович", "Петрова Мария Ивановна"]
    with pytest.raises(NotFellowMember):
        await correspondence.fellows(session, actor=Actor(gone.telegram_id), association_id=club.id)
    assert [
        a.id for a in await correspondence.my_associations(session, actor=Actor(anna.telegram_id))
    ] == [club.id]


async def test_a_message_is_relayed_with_an_activity_event_and_answered_back(session):
    club, leader, anna, oleg = await _club(session)
    message = await _send(session, anna, club, oleg, "  Поделитесь, пожалуйста, презентацией  ")
    assert message.text == "Поделитесь, пожалуйста, презентацией"
    [told] = take_pending(session)
    assert told.kind == "correspondence.message" and told.user.id == oleg.id
    assert told.params["sender"].id == anna.id and told.params["message"].id == message.id
    events = await session.scalar(
        select(func.count())
        .select_from(ActivityEvent)
        .where(ActivityEvent.kind == "member_message", ActivityEvent.user_id == anna.id)
    )
    assert events == 1

    target = await correspondence.answer_addressee(
        session, actor=Actor(oleg.telegram_id), message_id=message.id
    )
    assert (target.user_id, target.reply_to) == (anna.id, message.id)
    answer = await _send(session, oleg, club, anna, "Конечно", reply_to=message.id)
    assert (answer.recipient_id, answer.reply_to_id) == (anna.id, message.id)
    [told] = take_pending(session)
    assert told.user.id == anna.id
    with pytest.raises(NotYourMessage):  # only the recipient answers a message
        await correspondence.answer_addressee(
            session, actor=Actor(leader.telegram_id), message_id=message.id
        )


async def test_only_fellow_members_and_not_oneself(session):
    club, _leader, anna, _oleg = await _club(session)
    stranger = await make_teacher(session)
    actor = Actor(anna.telegram_id)
    with pytest.raises(NotFellowMember):
        await correspondence.addressee(
            session, actor=actor, association_id=club.id, user_id=stranger.id
        )
    with pytest.raises(NotFellowMember):
        await correspondence.addressee(
            session, actor=Actor(stranger.telegram_id), association_id=club.id, user_id=anna.id
        )
    with pytest.raises(CannotWriteToYourself):
        await correspondence.addressee(
            session, actor=actor, association_id=club.id, user_id=anna.id
        )
    with pytest.raises(BadText):
        correspondence.clean_text("   ")
    with pytest.raises(BadText):
        correspondence.clean_text("я" * 2001)


async def test_new_messages_per_hour_are_limited_answers_are_not(session):
    club, leader, anna, oleg = await _club(session)
    for minute in range(PER_HOUR):
        set_clock(lambda minute=minute: MOMENT + timedelta(minutes=minute))
        last = await _send(session, anna, club, oleg if minute % 2 else leader)
    set_clock(lambda: MOMENT + timedelta(minutes=30))
    with pytest.raises(TooManyPerHour) as refused:
        await _send(session, anna, club, oleg)
    assert refused.value.params["when"] == "26 ноября 2026 г., 14:00"  # 10:00 UTC + 1 h, Moscow
    # An answer is not a new message.
    received = await _send(session, oleg, club, anna)
    await _send(session, anna, club, oleg, "Ответ", reply_to=received.id)
    set_clock(lambda: MOMENT + timedelta(hours=1, seconds=1))
    assert (await _send(session, anna, club, oleg)).sent_at > last.sent_at


async def test_messages_to_one_person_per_day_are_limited(session):
    club, leader, anna, oleg = await _club(session)
    set_clock(lambda: MOMENT)
    question = await _send(session, anna, club, oleg)
    for n in range(PER_RECIPIENT_PER_DAY):
        set_clock(lambda n=n: MOMENT + timedelta(minutes=n + 1))
        await _send(session, oleg, club, anna, f"Ответ {n}", reply_to=question.id)
    with pytest.raises(TooManyToOnePerson) as refused:
        await _send(session, oleg, club, anna, "Ещё", reply_to=question.id)
    assert refused.value.params["when"] == "27 ноября 2026 г., 13:01"
    assert refused.value.params["name"] == "Иванова Анна Петровна"
    await _send(session, oleg, club, leader)  # another person is not limited by it


async def test_a_refusal_stops_messages_politely_and_can_be_undone(session):
    club, _leader, anna, oleg = await _club(session)
    message = await _send(session, anna, club, oleg)
    blocked = await correspondence.block(
        session, actor=Actor(oleg.telegram_id), message_id=message.id
    )
    assert blocked.id == anna.id
    await correspondence.block(session, actor=Actor(oleg.telegram_id), message_id=message.id)
    blocks = await session.scalar(select(func.count()).select_from(MessageBlock))
    assert blocks == 1
    with pytest.raises(Refused) as refused:
        await correspondence.addressee(
            session, actor=Actor(anna.telegram_id), association_id=club.id, user_id=oleg.id
        )
    assert refused.value.params == {"name": "Кузнецов Олег Викторович"}
    with pytest.raises(NotYourMessage):  # the sender cannot refuse their own message
        await correspondence.block(session, actor=Actor(anna.telegram_id), message_id=message.id)
    await correspondence.unblock(session, actor=Actor(oleg.telegram_id), user_id=anna.id)
    await correspondence.addressee(
        session, actor=Actor(anna.telegram_id), association_id=club.id, user_id=oleg.id
    )
    actions = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
    assert actions[-2:] == ["correspondence.blocked", "correspondence.unblocked"]


async def test_a_report_reaches_the_leader_once_and_is_audited(session):
    club, leader, anna, oleg = await _club(session)
    message = await _send(session, anna, club, oleg, "Грубость")
    take_pending(session)
    with pytest.raises(NotYourMessage):
        await correspondence.report(session, actor=Actor(leader.telegram_id), message_id=message.id)
    reported = await correspondence.report(
        session, actor=Actor(oleg.telegram_id), message_id=message.id
    )
    assert reported.to_leader and reported.association.id == club.id
    [told] = take_pending(session)
    assert told.kind == "correspondence.report" and told.user.id == leader.id
    assert told.params["sender"].id == anna.id and told.params["message"].text == "Грубость"
    assert message.reported_at is not None
    entry = await session.scalar(
        select(AuditEntry).where(AuditEntry.action == "correspondence.reported")
    )
    assert entry.target_id == message.id and entry.details["sender_id"] == anna.id
    with pytest.raises(AlreadyReported):
        await correspondence.report(session, actor=Actor(oleg.telegram_id), message_id=message.id)


async def test_a_report_about_the_leader_goes_to_the_network_methodists(session):
    club, leader, anna, _oleg = await _club(session)
    methodist = await make_teacher(session, roles=(NetworkRole.METHODIST,))
    message = await _send(session, leader, club, anna)
    take_pending(session)
    reported = await correspondence.report(
        session, actor=Actor(anna.telegram_id), message_id=message.id
    )
    assert not reported.to_leader
    assert [n.user.id for n in take_pending(session)] == [methodist.id]


async def test_texts_are_erased_after_the_retention_and_the_counts_stay(session):
    club, _leader, anna, oleg = await _club(session)
    set_clock(lambda: MOMENT)
    old_id = (await _send(session, anna, club, oleg, "Старое")).id
    set_clock(lambda: MOMENT + timedelta(days=20))
    await _send(session, oleg, club, anna, "Ответ", reply_to=old_id)
    set_clock(lambda: MOMENT + correspondence.RETENTION + timedelta(minutes=1))
    oleg_telegram_id = oleg.telegram_id
    assert await erase_old_messages(session) == 1
    session.expire_all()
    texts = (await session.scalars(select(MemberMessage.text))).all()
    assert texts == ["Ответ"]
    with pytest.raises(MessageGone):
        await correspondence.report(session, actor=Actor(oleg_telegram_id), message_id=old_id)
    events = await session.scalar(select(func.count()).select_from(ActivityEvent))
    assert events == 2


async def test_forget_erases_the_persons_messages_and_refusals(session):
    club, leader, anna, oleg = await _club(session)
    message = await _send(session, anna, club, oleg)
    await _send(session, leader, club, oleg)
    await correspondence.block(session, actor=Actor(oleg.telegram_id), message_id=message.id)
    await NoticeRenderer("ru").deliver(session)  # the relays are outbox rows now
    await privacy.forget(session, actor=Actor(anna.telegram_id))
    senders = (await session.scalars(select(MemberMessage.sender_id))).all()
    assert senders == [leader.id]
    relays = await session.execute(
        select(OutboxMessage.batch, OutboxMessage.status, OutboxMessage.payload)
        .where(OutboxMessage.batch.like("cor:%"))
        .order_by(OutboxMessage.id)
    )
    [(anna_batch, status, payload), (_, kept, leader_payload)] = relays.all()
    assert anna_batch == f"cor:{message.id}" and payload == {}
    assert status == OutboxStatus.CANCELLED and kept == OutboxStatus.PENDING
    assert "Добрый день!" in leader_payload["text"]  # the leader's message is not hers
    assert await session.scalar(select(func.count()).select_from(MessageBlock)) == 0
