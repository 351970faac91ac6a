"""/poll end to end: a named poll made with every validation (and a restart halfway), posted
in the group, answered by members (a change of mind, a stranger's vote ignored), the one
reminder to those who did not answer, closed by the sweep (stopPoll) with the result in the
group and privately; an anonymous poll with several answers in a forum's Announcements
topic keeps only totals; refusals for people who may not make polls and forged buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from models import ActivityEvent, Association
from models.db import unit_of_work
from models.polls import Poll, PollStatus, PollVote
from scheduler.jobs import run_now
from services import polls
from services.clock import set_clock
from tests.factories import add_member, make_association, make_teacher
from tests.fakebot.polls import poll_messages, vote
from tests.flows import button, press, say

LEADER = 760_001
MEMBERS = (760_002, 760_003, 760_004)
STRANGER = 760_009
GROUP = -100_760_001
TOPIC = 77
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 12:00 in Moscow


async def _world(harness, fake_api, *, forum: bool = False) -> int:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    fake_api.add_user(LEADER, "Мария")
    chat = fake_api.add_chat(GROUP, "ВМО математиков", is_forum=forum, members={LEADER: "creator"})
    if forum:
        chat.topics[TOPIC] = {"message_thread_id": TOPIC, "name": "Объявления"}
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Петрова Мария Ивановна")
        club = await make_association(
            session,
            leader=leader,
            name="ВМО учителей математики",
            chat_id=GROUP,
            forum_topics={"announcements": TOPIC} if forum else {},
        )
        for telegram_id in MEMBERS:
            fake_api.add_user(telegram_id, "Учитель")
            await add_member(session, club, await make_teacher(session, telegram_id))
        fake_api.add_user(STRANGER, "Гость")
        await make_teacher(session, STRANGER)
        return club.id


async def _start_poll(fake_api) -> None:  # type: ignore[no-untyped-def]
    screen = await say(fake_api, LEADER, "/poll", "Опросов пока нет")
    await press(fake_api, LEADER, screen, "Новый опрос", "Напишите вопрос опроса")


async def _post(harness, fake_api, *, anonymous: bool, several: bool, closes: str) -> dict:  # type: ignore[no-untyped-def]
    kind = await fake_api.wait_for_message(LEADER, "Выберите вид опроса")
    many = await press(fake_api, LEADER, kind, "Анонимный" if anonymous else "Открытый")
    when = await press(fake_api, LEADER, many, "Несколько" if several else "Один вариант")
    assert "Когда закрыть опрос" in when["text"] and "Москва" in when["text"]
    preview = await say(fake_api, LEADER, closes, "Опубликовать?")
    await press(fake_api, LEADER, preview, "Опубликовать опрос", "Опрос опубликован")
    await harness.idle()  # the poll's row is committed after that answer
    return poll_messages(fake_api, GROUP)[-1]


async def _poll_row(harness) -> Poll:  # type: ignore[no-untyped-def]
    async with harness.sessions() as session:
        return (await session.scalars(select(Poll).order_by(Poll.id.desc()))).first()


async def _answer_events(harness, *, named: bool) -> int:  # type: ignore[no-untyped-def]
    async with harness.sessions() as session:
        who = ActivityEvent.user_id.is_not(None) if named else ActivityEvent.user_id.is_(None)
        return await session.scalar(
            select(func.count()).where(ActivityEvent.kind == "poll_answer", who)
        )


async def test_named_poll_from_the_questions_to_the_result(harness, fake_api):
    await _world(harness, fake_api)
    await _start_poll(fake_api)
    await say(fake_api, LEADER, "ой", "от 3 до 300 символов")
    await say(fake_api, LEADER, "Я" * 301, "от 3 до 300 символов")
    await say(fake_api, LEADER, "Какой формат заседаний удобнее?", "варианты ответа")
    await say(fake_api, LEADER, "Очно", "от 2 до 12 вариантов")
    await say(fake_api, LEADER, "\n".join(f"Вариант {i}" for i in range(13)), "от 2 до 12")
    await say(fake_api, LEADER, "Очно\n" + "Д" * 101, "не длиннее 100 символов")
    await say(fake_api, LEADER, "Очно\nочно", "повторяется")
    await harness.restart()  # the question is kept in the database
    kind = await say(fake_api, LEADER, "- Очно\n- Дистанционно\n- Смешанно", "Выберите вид")
    many = await press(fake_api, LEADER, kind, "Открытый", "несколько вариантов")
    await press(fake_api, LEADER, many, "Один вариант", "Когда закрыть опрос")
    await say(fake_api, LEADER, "когда-нибудь", "Не удалось разобрать")
    await say(fake_api, LEADER, "сегодня 12:05", "хотя бы 10 минут")
    await say(fake_api, LEADER, "01.06.2027 10:00", "не дольше 90 дней")
    preview = await say(fake_api, LEADER, "03.12 18:00", "Опубликовать?")
    assert "Какой формат заседаний удобнее?" in preview["text"]
    assert "открытый, один вариант" in preview["text"]
    assert "3 декабря 2026 г., 18:00" in preview["text"]
    await press(fake_api, LEADER, preview, "Опубликовать опрос", "Опрос опубликован")
    posted = poll_messages(fake_api, GROUP)[-1]["poll"]
    assert posted["question"] == "Какой формат заседаний удобнее?"
    assert [o["text"] for o in posted["options"]] == ["Очно", "Дистанционно", "Смешанно"]
    assert posted["is_anonymous"] is False and posted["allows_multiple_answers"] is False

    message = poll_messages(fake_api, GROUP)[-1]
    vote(fake_api, MEMBERS[0], message, [0])
    vote(fake_api, MEMBERS[1], message, [1])
    vote(fake_api, MEMBERS[1], message, [0])  # a change of mind
    vote(fake_api, STRANGER, message, [2])  # not a member: not recorded
    await harness.idle(0.1)
    poll = await _poll_row(harness)
    async with harness.sessions() as session:
        assert await polls.tally(session, poll) == polls.Tally([2, 0, 0], 2)
        assert await session.scalar(select(func.count(PollVote.id))) == 2
    assert await _answer_events(harness, named=True) == 2

    set_clock(lambda: datetime(2026, 12, 2, 15, 1, tzinfo=UTC))  # 24 h before the close
    assert await run_now(harness.app, "poll-reminders")
    assert await run_now(harness.app, "poll-reminders")  # once only
    await harness.app.bot_data["outbox"].drain()
    reminder = await fake_api.wait_for_message(MEMBERS[2], "ваш ответ пока не получен")
    assert reminder["reply_markup"]["inline_keyboard"][0][0]["url"].endswith(
        f"/{message['message_id']}"
    )
    for telegram_id in (*MEMBERS[:2], LEADER):
        assert not any(
            "пока не получен" in m.get("text", "") for m in fake_api.sent_to(telegram_id)
        )
    assert len([m for m in fake_api.sent_to(MEMBERS[2]) if "не получен" in m.get("text", "")]) == 1

    set_clock(lambda: datetime(2026, 12, 3, 15, 1, tzinfo=UTC))
    assert await run_now(harness.app, "poll-closing")
    await harness.app.bot_data["outbox"].drain()
    assert poll_messages(fake_api, GROUP)[-1]["poll"]["is_closed"] is True
    result = await fake_api.wait_for_message(GROUP, "Итоги опроса")
    assert "Очно: 2 голоса (100%)" in result["text"]
    assert "Дистанционно: 0 голосов (0%)" in result["text"]
    assert "Ответили 2 из 4 участников" in result["text"]
    private = await fake_api.wait_for_message(LEADER, "Ваш опрос в объединении")
    assert "Итоги опроса" in private["text"]
    assert (await _poll_row(harness)).status is PollStatus.CLOSED
    vote_after = len(fake_api.calls_of("stopPoll"))
    assert await run_now(harness.app, "poll-closing")  # nothing left to close
    assert len(fake_api.calls_of("stopPoll")) == vote_after == 1

    screen = await say(fake_api, LEADER, "/poll", "Опросы объединения")
    assert "закрыт 3 декабря 2026 г., 18:00: 2 ответа" in screen["text"]
    shown = await press(fake_api, LEADER, screen, "Какой формат", "Итоги опроса")
    assert "Очно: 2 голоса" in shown["text"]


async def test_anonymous_poll_with_several_answers_keeps_totals_only(harness, fake_api):
    await _world(harness, fake_api, forum=True)
    await _start_poll(fake_api)
    await say(fake_api, LEADER, "Какие темы обсудить: <ОГЭ> & ЕГЭ?", "варианты ответа")
    fake_api.user_sends(LEADER, "1. ОГЭ\n2. Функциональная грамотность\n3. Проекты")
    message = await _post(harness, fake_api, anonymous=True, several=True, closes="завтра 12:00")
    assert message["message_thread_id"] == TOPIC
    assert message["poll"]["question"] == "Какие темы обсудить: <ОГЭ> & ЕГЭ?"
    assert message["poll"]["is_anonymous"] is True
    assert message["poll"]["allows_multiple_answers"] is True
    vote(fake_api, MEMBERS[0], message, [0, 1])
    vote(fake_api, MEMBERS[1], message, [1])
    vote(fake_api, MEMBERS[2], message, [1, 2])
    await harness.idle(0.1)
    poll = await _poll_row(harness)
    assert poll.totals == [1, 3, 1] and poll.voter_count == 3
    assert poll.remind_at is None
    async with harness.sessions() as session:
        assert await session.scalar(select(func.count(PollVote.id))) == 0

    vote(fake_api, MEMBERS[1], message, [1, 2])  # changed after the last update we saw
    set_clock(lambda: NOW + timedelta(days=1, minutes=1))
    assert await run_now(harness.app, "poll-closing")
    await harness.app.bot_data["outbox"].drain()
    result = await fake_api.wait_for_message(GROUP, "Итоги опроса")
    assert result["message_thread_id"] == TOPIC
    assert "«Какие темы обсудить: <ОГЭ> & ЕГЭ?»" in result["text"]  # typed, shown as typed
    assert "Проекты: 2 голоса (67%)" in result["text"]
    assert "Ответов: 3." in result["text"]
    assert (await _poll_row(harness)).totals == [1, 3, 2]
    assert await _answer_events(harness, named=False) == 3  # the final voters, nameless
    assert await _answer_events(harness, named=True) == 0


async def test_only_poll_makers_may_and_forged_buttons_are_refused(harness, fake_api):
    club = await _world(harness, fake_api)
    await say(fake_api, MEMBERS[0], "/poll", "Опросы проводят руководитель")
    screen = await say(fake_api, LEADER, "/poll", "Опросов пока нет")
    new = button(screen, "Новый опрос")
    fake_api.user_presses(MEMBERS[0], screen, new)  # a member pressing the leader's button
    await fake_api.wait_for(lambda: fake_api.calls_of("answerCallbackQuery"))
    refusal = fake_api.calls_of("answerCallbackQuery")[-1].params
    assert "только" in refusal["text"]
    async with harness.sessions() as session:
        assert await session.scalar(select(func.count(Poll.id))) == 0
    forged = {
        **screen,
        "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": "pl1:res:x"}]]},
    }
    fake_api.world.chat(LEADER).messages[screen["message_id"]] = forged
    fake_api.user_presses(LEADER, forged, "pl1:res:x")
    await fake_api.wait_for(
        lambda: "устарела" in str(fake_api.calls_of("answerCallbackQuery")[-1].params)
    )
    async with unit_of_work(harness.sessions) as session:
        (await session.get(Association, club)).chat_id = None  # the group was unbound
    screen = await say(fake_api, LEADER, "/poll", "Опросов пока нет")
    fake_api.user_presses(LEADER, screen, button(screen, "Новый опрос"))
    await fake_api.wait_for(
        lambda: "/bind" in str(fake_api.calls_of("answerCallbackQuery")[-1].params)
    )


async def _quick_poll(harness, fake_api) -> dict:  # type: ignore[no-untyped-def]
    await say(fake_api, LEADER, "Удобно ли время заседаний?", "варианты ответа")
    fake_api.user_sends(LEADER, "Да\nНет")
    return await _post(harness, fake_api, anonymous=False, several=False, closes="завтра 12:00")


async def test_a_group_that_refuses_the_poll_leaves_nothing_behind(harness, fake_api):
    await _world(harness, fake_api)
    await _start_poll(fake_api)
    await say(fake_api, LEADER, "Удобно ли время заседаний?", "варианты ответа")
    kind = await say(fake_api, LEADER, "Да\nНет", "Выберите вид")
    many = await press(fake_api, LEADER, kind, "Открытый", "несколько вариантов")
    await press(fake_api, LEADER, many, "Один вариант", "Когда закрыть опрос")
    preview = await say(fake_api, LEADER, "завтра 12:00", "Опубликовать?")
    fake_api.inject_error(
        "sendPoll", code=403, description="Forbidden: bot was kicked from the supergroup chat"
    )
    fake_api.user_presses(LEADER, preview, button(preview, "Опубликовать опрос"))
    await fake_api.wait_for(
        lambda: "Не удалось опубликовать" in str(fake_api.calls_of("answerCallbackQuery"))
    )
    await harness.idle(0.1)
    async with harness.sessions() as session:
        assert await session.scalar(select(func.count(Poll.id))) == 0
    fake_api.user_presses(LEADER, preview, button(preview, "Опубликовать опрос"))  # once more
    await fake_api.wait_for_message(LEADER, "Опрос опубликован")
    assert len(poll_messages(fake_api, GROUP)) == 1


async def test_closing_waits_out_a_network_failure_and_survives_a_deleted_poll(harness, fake_api):
    await _world(harness, fake_api)
    await _start_poll(fake_api)
    message = await _quick_poll(harness, fake_api)
    vote(fake_api, MEMBERS[0], message, [1])
    await harness.idle(0.1)
    set_clock(lambda: NOW + timedelta(days=1, minutes=1))
    fake_api.inject_error("stopPoll", drop_connection=True)
    assert await run_now(harness.app, "poll-closing")
    assert (await _poll_row(harness)).status is PollStatus.OPEN  # tried again next time
    assert await run_now(harness.app, "poll-closing")
    await harness.app.bot_data["outbox"].drain()
    result = await fake_api.wait_for_message(GROUP, "Итоги опроса")
    assert "Нет: 1 голос (100%)" in result["text"]

    screen = await say(fake_api, LEADER, "/poll", "Опросы объединения")
    await press(fake_api, LEADER, screen, "Новый опрос", "Напишите вопрос опроса")
    second = await _quick_poll(harness, fake_api)
    del fake_api.world.chat(GROUP).messages[second["message_id"]]  # deleted in the group
    set_clock(lambda: NOW + timedelta(days=2, minutes=2))
    assert await run_now(harness.app, "poll-closing")
    assert (await _poll_row(harness)).status is PollStatus.CLOSED
    await harness.app.bot_data["outbox"].drain()
    await fake_api.wait_for_message(GROUP, "Итоги опроса")
