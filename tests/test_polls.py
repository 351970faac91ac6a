"""Polls at the service level: the checks of a new poll, who may make one, answers (named and
anonymous) as activity, concurrent answers, the one reminder, closing, and /forget."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from telegram.error import NetworkError

import handlers.polls  # noqa: F401  (the words of the polls' notices)
from bot.notices import NoticeRenderer
from models import ActivityEvent, AuditEntry, MemberRole, OutboxMessage
from models.db import unit_of_work
from models.polls import Poll, PollStatus, PollVote
from scheduler import polls as sweeps
from services import polls, privacy
from services.access import Actor, membership_of
from services.clock import set_clock
from services.dateparse import UnreadableTime
from services.errors import PermissionDenied
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
GROUP = -100_770_001


async def _club(session, *, members: int = 3, chat_id: int | None = GROUP):  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    leader = await make_teacher(session)
    club = await make_association(session, leader=leader, chat_id=chat_id)
    people = [await make_teacher(session) for _ in range(members)]
    for person in people:
        await add_member(session, club, person)
    return club, leader, people


def _draft(*, anonymous: bool = False, hours: float = 72) -> polls.Draft:
    return polls.Draft(
        question="Какой формат заседаний удобнее?",
        options=("Очно", "Дистанционно", "Смешанно"),
        anonymous=anonymous,
        multiple=False,
        closes_at=NOW + timedelta(hours=hours),
    )


async def _posted(session, club, author, **draft) -> Poll:  # type: ignore[no-untyped-def]
    posting = await polls.create(
        session, actor=Actor(author.telegram_id), association_id=club.id, draft=_draft(**draft)
    )
    await polls.posted(
        session, poll_id=posting.poll.id, message_id=10, telegram_poll_id=f"tg{posting.poll.id}"
    )
    return posting.poll


async def _deliver(session) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    await NoticeRenderer("ru").deliver(session)
    await session.flush()
    return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_options_are_one_per_line_without_list_marks() -> None:
    assert polls.clean_options("- Очно\n\n• Дистанционно\n3. Смешанно\n") == [
        "Очно",
        "Дистанционно",
        "Смешанно",
    ]
    assert polls.clean_options("2025 год\n2026 год") == ["2025 год", "2026 год"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Очно", polls.BadOptionCount),
        ("\n".join(str(i) + " вариант" for i in range(13)), polls.BadOptionCount),
        ("Очно\n" + "Д" * 101, polls.OptionTooLong),
        ("Очно\nОЧНО", polls.RepeatedOption),
    ],
)
def test_bad_options_are_refused(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        polls.clean_options(text)


def test_question_limits() -> None:
    assert polls.clean_question("  Удобно  ли\nвам? ") == "Удобно ли вам?"
    assert len(polls.clean_question("Я" * 300)) == 300
    for bad in ("ой", "Я" * 301):
        with pytest.raises(polls.BadQuestion):
            polls.clean_question(bad)


def test_closing_time_is_read_in_the_association_zone() -> None:
    set_clock(lambda: NOW)  # 12:00 in Moscow
    assert polls.clean_closing("03.12 18:00", "Europe/Moscow") == datetime(
        2026, 12, 3, 15, 0, tzinfo=UTC
    )
    assert polls.clean_closing("03.12 18:00", "Asia/Yekaterinburg") == datetime(
        2026, 12, 3, 13, 0, tzinfo=UTC
    )
    with pytest.raises(polls.ClosingTooSoon):
        polls.clean_closing("сегодня 12:05", "Europe/Moscow")
    with pytest.raises(polls.ClosingTooFar):
        polls.clean_closing("01.06.2027 10:00", "Europe/Moscow")
    with pytest.raises(UnreadableTime):
        polls.clean_closing("в пятницу", "Europe/Moscow")


def test_reminder_comes_a_day_before_or_halfway() -> None:
    assert polls.remind_moment(NOW, NOW + timedelta(days=3)) == NOW + timedelta(days=2)
    assert polls.remind_moment(NOW, NOW + timedelta(hours=10)) == NOW + timedelta(hours=5)


async def test_only_leader_administrator_secretary_make_polls(session) -> None:  # type: ignore[no-untyped-def]
    club, leader, (member, secretary, _) = await _club(session)
    (await membership_of(session, secretary.id, club.id)).role = MemberRole.SECRETARY
    with pytest.raises(PermissionDenied):
        await _posted(session, club, member)
    poll = await _posted(session, club, secretary)
    assert poll.author_user_id == secretary.id and poll.status is PollStatus.OPEN
    assert poll.remind_at == NOW + timedelta(hours=48)
    assert [
        a.name for a in await polls.associations_of_maker(session, actor=Actor(leader.telegram_id))
    ] == [club.name]
    assert await polls.associations_of_maker(session, actor=Actor(member.telegram_id)) == []
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "poll.create"))
    assert entry is not None and entry.target_id == poll.id


async def test_a_poll_needs_the_group(session) -> None:  # type: ignore[no-untyped-def]
    club, leader, _ = await _club(session, chat_id=None)
    with pytest.raises(polls.NoGroup):
        await _posted(session, club, leader)


async def test_named_answers_change_and_count_once_as_activity(session) -> None:  # type: ignore[no-untyped-def]
    club, leader, (a, b, c) = await _club(session)
    stranger = await make_teacher(session)
    poll = await _posted(session, club, leader)
    answer = polls.record_answer
    assert await answer(
        session, telegram_poll_id=poll.telegram_poll_id, telegram_id=a.telegram_id, option_ids=[0]
    )
    assert await answer(
        session, telegram_poll_id=poll.telegram_poll_id, telegram_id=b.telegram_id, option_ids=[1]
    )
    assert await answer(
        session, telegram_poll_id=poll.telegram_poll_id, telegram_id=b.telegram_id, option_ids=[2]
    )
    assert await answer(
        session, telegram_poll_id=poll.telegram_poll_id, telegram_id=c.telegram_id, option_ids=[0]
    )
    assert await answer(
        session, telegram_poll_id=poll.telegram_poll_id, telegram_id=c.telegram_id, option_ids=[]
    )
    assert not await answer(
        session,
        telegram_poll_id=poll.telegram_poll_id,
        telegram_id=stranger.telegram_id,
        option_ids=[0],
    )
    assert not await answer(
        session, telegram_poll_id="unknown", telegram_id=a.telegram_id, option_ids=[0]
    )
    assert await polls.tally(session, poll) == polls.Tally([1, 0, 1], 2)
    events = await session.scalar(select(func.count()).where(ActivityEvent.kind == "poll_answer"))
    assert events == 3  # a, b and c answered once each; changing or taking back is no new act
    assert not await polls.record_totals(
        session, telegram_poll_id=poll.telegram_poll_id, totals=[9, 9, 9], voter_count=9
    )
    assert await polls.tally(session, poll) == polls.Tally([1, 0, 1], 2)


async def test_anonymous_totals_keep_no_names_and_count_voters_at_the_close(session) -> None:  # type: ignore[no-untyped-def]
    club, leader, (a, _, _) = await _club(session)
    poll = await _posted(session, club, leader, anonymous=True)
    assert poll.remind_at is None
    assert not await polls.record_answer(
        session, telegram_poll_id=poll.telegram_poll_id, telegram_id=a.telegram_id, option_ids=[0]
    )
    await polls.record_totals(
        session, telegram_poll_id=poll.telegram_poll_id, totals=[1, 0, 0], voter_count=1
    )
    await polls.record_totals(
        session, telegram_poll_id=poll.telegram_poll_id, totals=[2, 1, 0], voter_count=3
    )
    assert poll.totals == [2, 1, 0] and poll.voter_count == 3
    assert await session.scalar(select(func.count(PollVote.id))) == 0
    answers = select(ActivityEvent).where(ActivityEvent.kind == "poll_answer")
    assert list(await session.scalars(answers)) == []  # counted once, from the final totals
    set_clock(lambda: NOW + timedelta(hours=72))
    await polls.close(session, poll_id=poll.id)
    events = list(await session.scalars(answers))
    assert len(events) == 3 and all(e.user_id is None for e in events)


async def test_answers_at_the_same_moment_are_all_counted(sessions) -> None:  # type: ignore[no-untyped-def]
    async with unit_of_work(sessions) as session:
        club, leader, people = await _club(session, members=6)
        poll = await _posted(session, club, leader)
        poll_id, tg_id = poll.id, poll.telegram_poll_id
        voters = [p.telegram_id for p in people]

    async def answer(telegram_id: int) -> None:
        async with unit_of_work(sessions) as session:
            await polls.record_answer(
                session, telegram_poll_id=tg_id, telegram_id=telegram_id, option_ids=[1]
            )

    await asyncio.gather(*(answer(telegram_id) for telegram_id in voters))
    async with sessions() as session:
        poll = await session.get_one(Poll, poll_id)
        assert await polls.tally(session, poll) == polls.Tally([0, 6, 0], 6)
        assert await session.scalar(select(func.count(ActivityEvent.id))) == 6


async def test_one_reminder_to_members_who_did_not_answer(session) -> None:  # type: ignore[no-untyped-def]
    club, leader, (a, b, c) = await _club(session)
    poll = await _posted(session, club, leader)
    await polls.record_answer(
        session, telegram_poll_id=poll.telegram_poll_id, telegram_id=a.telegram_id, option_ids=[0]
    )
    assert await polls.remind_non_voters(session) == 0  # not yet due
    set_clock(lambda: NOW + timedelta(hours=48))
    assert await polls.remind_non_voters(session) == 2
    assert await polls.remind_non_voters(session) == 0
    rows = await _deliver(session)
    assert sorted(r.chat_id for r in rows) == sorted([b.telegram_id, c.telegram_id])
    assert all("ваш ответ пока не получен" in r.payload["text"] for r in rows)


async def test_closing_stores_the_result_and_tells_group_and_author(session) -> None:  # type: ignore[no-untyped-def]
    club, leader, (a, b, _) = await _club(session)
    club.forum_topics = {"announcements": 5}
    poll = await _posted(session, club, leader)
    for person, option in ((a, 0), (b, 0)):
        await polls.record_answer(
            session,
            telegram_poll_id=poll.telegram_poll_id,
            telegram_id=person.telegram_id,
            option_ids=[option],
        )
    assert await polls.due_to_close(session) == []
    set_clock(lambda: NOW + timedelta(hours=72))
    assert [p.id for p in await polls.due_to_close(session)] == [poll.id]
    result = await polls.close(session, poll_id=poll.id)
    assert result is not None and result.members == 4
    assert await polls.close(session, poll_id=poll.id) is None
    assert poll.status is PollStatus.CLOSED and poll.closed_at == NOW + timedelta(hours=72)
    group, private = await _deliver(session)
    assert group.chat_id == GROUP and group.payload["thread_id"] == 5
    assert (
        "Итоги опроса" in group.payload["text"] and "Очно: 2 голоса (100%)" in group.payload["text"]
    )
    assert "Ответили 2 из 4 участников" in group.payload["text"]
    assert private.chat_id == leader.telegram_id and "закрыт" in private.payload["text"]


async def test_anonymous_poll_closes_with_telegram_final_totals(session) -> None:  # type: ignore[no-untyped-def]
    club, leader, _ = await _club(session)
    poll = await _posted(session, club, leader, anonymous=True)
    await polls.record_totals(
        session, telegram_poll_id=poll.telegram_poll_id, totals=[1, 0, 0], voter_count=1
    )
    set_clock(lambda: NOW + timedelta(hours=72))
    await polls.close(session, poll_id=poll.id, final_totals=[1, 2, 0], final_voters=3)
    assert poll.totals == [1, 2, 0] and poll.voter_count == 3
    group, _ = await _deliver(session)
    assert (
        "Ответов: 3." in group.payload["text"]
        and "Дистанционно: 2 голоса (67%)" in group.payload["text"]
    )


async def test_forget_erases_the_person_answers(session) -> None:  # type: ignore[no-untyped-def]
    club, leader, (a, b, _) = await _club(session)
    poll = await _posted(session, club, leader)
    for person in (a, b):
        await polls.record_answer(
            session,
            telegram_poll_id=poll.telegram_poll_id,
            telegram_id=person.telegram_id,
            option_ids=[0],
        )
    exported = await privacy.export_personal_data(session, actor=Actor(a.telegram_id))
    assert "poll_votes" in str(exported)
    await privacy.forget(session, actor=Actor(a.telegram_id))
    left = list(await session.scalars(select(PollVote.user_id)))
    assert left == [b.id]


class _UnreachableTelegram:
    """A bot whose stopPoll never gets through."""

    def __init__(self) -> None:
        self.tries = 0

    async def stop_poll(self, chat_id: int, message_id: int) -> None:
        self.tries += 1
        raise NetworkError("connection reset")


async def test_closing_gives_up_on_telegram_after_an_hour(session) -> None:  # type: ignore[no-untyped-def]
    club, leader, (a, _, _) = await _club(session)
    poll = await _posted(session, club, leader, hours=1)
    await polls.record_answer(
        session, telegram_poll_id=poll.telegram_poll_id, telegram_id=a.telegram_id, option_ids=[2]
    )
    telegram = _UnreachableTelegram()
    sweeps.use_bot(telegram)  # type: ignore[arg-type]
    try:
        set_clock(lambda: NOW + timedelta(hours=1, minutes=30))
        await sweeps.close_due_polls(session)
        assert poll.status is PollStatus.OPEN and telegram.tries == 1
        set_clock(lambda: NOW + timedelta(hours=2, minutes=1))
        await sweeps.close_due_polls(session)
    finally:
        sweeps.use_bot(None)
    assert poll.status is PollStatus.CLOSED and telegram.tries == 2
    assert poll.totals == [0, 0, 1] and poll.voter_count == 1
    group, _ = await _deliver(session)
    assert "Смешанно: 1 голос (100%)" in group.payload["text"]
