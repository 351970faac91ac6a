"""Messages between members end to end: /members for a plain member, writing through the
bot, the answer going back, a report to the leader, a refusal the sender meets politely,
a leader writing from the roster, bad input, forged buttons, a half-written message
surviving a restart, the sweep erasing old texts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models import ActivityEvent, AuditEntry, OutboxMessage, User
from models.correspondence import MemberMessage, MessageBlock
from models.db import unit_of_work
from scheduler.jobs import run_now
from services.clock import now, set_clock
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

LEADER = 760_001
ANNA = 760_002
OLEG = 760_003


async def _club(harness, fake_api) -> int:  # type: ignore[no-untyped-def]
    names = {
        LEADER: "Петрова Мария Ивановна",
        ANNA: "Иванова Анна Петровна",
        OLEG: "Кузнецов Олег Викторович",
    }
    async with unit_of_work(harness.sessions) as session:
        people = {}
        for telegram_id, name in names.items():
            fake_api.add_user(telegram_id, name.split()[1], username=f"user{telegram_id}")
            people[telegram_id] = await make_teacher(session, telegram_id, full_name=name)
        club = await make_association(session, leader=people[LEADER], name="ВМО учителей физики")
        for telegram_id in (ANNA, OLEG):
            await add_member(session, club, people[telegram_id])
        return club.id


async def _drain(harness) -> None:  # type: ignore[no-untyped-def]
    await harness.idle(0.1)
    await harness.app.bot_data["outbox"].drain()


async def _alert(fake_api, user_id, message, data) -> str:  # type: ignore[no-untyped-def]
    """Press the button with `data` under `message` and return the alert it gets."""
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(user_id, message, data)
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    answer = fake_api.calls_of("answerCallbackQuery")[-1].params
    assert answer.get("show_alert"), fake_api.dump(6)
    return answer["text"]


async def _forged_alert(harness, fake_api, user_id, message, data) -> str:  # type: ignore[no-untyped-def]
    """Press a button with `data` forged onto `message` and return the alert it gets."""
    forged = {
        **message,
        "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]},
    }
    fake_api.world.chat(user_id).messages[message["message_id"]] = forged
    await harness.idle()
    return await _alert(fake_api, user_id, forged, data)


async def test_members_write_answer_report_and_refuse(harness, fake_api):
    club_id = await _club(harness, fake_api)
    fellows = await say(fake_api, ANNA, "/members", "Участники объединения «ВМО учителей физики»")
    assert "Кузнецов Олег Викторович" in fellows["text"] and "Иванова" not in fellows["text"]
    prompt = await press(fake_api, ANNA, fellows, "Кузнецов", "Напишите сообщение")
    assert "без вашего имени пользователя" in prompt["text"]
    await say(fake_api, ANNA, "я" * 2001, "не длиннее 2000 символов")
    await fake_api.wait_for_message(ANNA, "Напишите сообщение")  # asked again
    await say(
        fake_api,
        ANNA,
        "<b>Добрый</b> день & спасибо за урок",
        "для участника Кузнецов Олег Викторович отправлено",
    )
    await _drain(harness)
    relayed = await fake_api.wait_for_message(OLEG, "Сообщение через бота")
    assert "<b>Добрый</b> день & спасибо за урок" in relayed["text"]  # shown as typed
    assert "Иванова Анна Петровна" in relayed["text"] and "МБОУ «СОШ № 5»" in relayed["text"]
    assert f"user{ANNA}" not in str(relayed)

    # The answer goes back the same way.
    await press(fake_api, OLEG, relayed, "Ответить", "Напишите ответ")
    await say(fake_api, OLEG, "Рад помочь!", "для участника Иванова Анна Петровна отправлено")
    await _drain(harness)
    answer = await fake_api.wait_for_message(ANNA, "Ответ от участника")
    assert "Рад помочь!" in answer["text"] and "Кузнецов Олег Викторович" in answer["text"]

    # Oleg reports Anna's message: the leader receives it and who sent it.
    reported = await press(
        fake_api, OLEG, relayed, "Пожаловаться", "переданы руководителю объединения"
    )
    await _drain(harness)
    report = await fake_api.wait_for_message(LEADER, "Жалоба на сообщение")
    assert "Иванова Анна Петровна" in report["text"] and "спасибо за урок" in report["text"]
    # …and refuses her further messages; Anna is told politely, without details.
    await press(fake_api, OLEG, reported, "Не получать", "больше не будут приходить")
    fellows = await say(fake_api, ANNA, "/members", "Участники объединения")
    alert = await _alert(fake_api, ANNA, fellows, button(fellows, "Кузнецов"))
    assert "не принимает ваши сообщения" in alert
    # A second report of the same message is refused.
    assert "уже отправлена" in await _alert(
        fake_api, OLEG, relayed, button(relayed, "Пожаловаться")
    )

    await harness.idle(0.1)
    async with harness.sessions() as session:
        kept = (await session.scalars(select(MemberMessage).order_by(MemberMessage.id))).all()
        assert [m.text for m in kept] == ["<b>Добрый</b> день & спасибо за урок", "Рад помочь!"]
        assert kept[0].reported_at is not None and kept[1].reply_to_id == kept[0].id
        assert await session.scalar(select(func.count()).select_from(MessageBlock)) == 1
        actions = set((await session.scalars(select(AuditEntry.action))).all())
        assert {"correspondence.reported", "correspondence.blocked"} <= actions
        events = await session.scalar(
            select(func.count())
            .select_from(ActivityEvent)
            .where(ActivityEvent.kind == "member_message", ActivityEvent.association_id == club_id)
        )
        assert events == 2
    fake_api.assert_clean()


async def test_forged_buttons_are_refused_and_change_nothing(harness, fake_api):
    club_id = await _club(harness, fake_api)
    fellows = await say(fake_api, ANNA, "/members", "Участники объединения")
    await press(fake_api, ANNA, fellows, "Кузнецов", "Напишите сообщение")
    await say(
        fake_api, ANNA, "Вопрос по программе", "для участника Кузнецов Олег Викторович отправлено"
    )
    await harness.idle(0.1)
    async with harness.sessions() as session:
        message_id = await session.scalar(select(MemberMessage.id))
        stranger = await make_teacher(session, 760_009)
        await session.commit()
        stranger_id = stranger.id
    # Anna cannot report or refuse the message she sent herself (it is Oleg's to judge).
    text = await _forged_alert(harness, fake_api, ANNA, fellows, f"cor1:rep:{message_id}")
    assert "только получатель" in text
    # Nobody writes to someone outside their associations, nor with data that does not parse.
    text = await _forged_alert(harness, fake_api, ANNA, fellows, f"cor1:w:{club_id}:{stranger_id}")
    assert "только участникам своих объединений" in text
    text = await _forged_alert(harness, fake_api, ANNA, fellows, "cor1:rep:abc")
    assert "Эта кнопка устарела" in text
    async with harness.sessions() as session:
        reported = await session.scalar(select(MemberMessage.reported_at))
    assert reported is None


async def test_a_leader_writes_from_the_roster_and_a_draft_survives_a_restart(harness, fake_api):
    await _club(harness, fake_api)
    roster = await say(fake_api, LEADER, "/members", "Участники объединения")
    assert "PDF" in str(roster["reply_markup"])  # the leader keeps the roster's tools
    card = await press(fake_api, LEADER, roster, "Кузнецов", "Роль: участник")
    await press(fake_api, LEADER, card, "✉️ Написать", "Напишите сообщение")
    await harness.restart()
    await say(
        fake_api,
        LEADER,
        "Жду ваш доклад к пятнице",
        "для участника Кузнецов Олег Викторович отправлено",
    )
    await _drain(harness)
    relayed = await fake_api.wait_for_message(OLEG, "Сообщение через бота")
    assert "Петрова Мария Ивановна" in relayed["text"] and "доклад к пятнице" in relayed["text"]


async def test_old_texts_are_erased_by_the_sweep(harness, fake_api):
    await _club(harness, fake_api)
    fellows = await say(fake_api, ANNA, "/members", "Участники объединения")
    await press(fake_api, ANNA, fellows, "Кузнецов", "Напишите сообщение")
    await say(
        fake_api, ANNA, "Старое сообщение", "для участника Кузнецов Олег Викторович отправлено"
    )
    await _drain(harness)
    relayed = await fake_api.wait_for_message(OLEG, "Сообщение через бота")
    relays = select(OutboxMessage.payload).where(OutboxMessage.batch.like("cor:%"))
    async with harness.sessions() as session:
        assert "Старое сообщение" in (await session.scalar(relays))["text"]
    later = now() + timedelta(days=31)
    set_clock(lambda: later)
    await run_now(harness.app, "member-messages-erase")
    async with harness.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(MemberMessage)) == 0
        assert (await session.scalars(relays)).all() == [{}]  # the outbox keeps no copy
        assert await session.scalar(select(User.id).where(User.telegram_id == ANNA)) is not None
    # The answer button of an erased message says so.
    assert "больше не хранится" in await _alert(
        fake_api, OLEG, relayed, button(relayed, "Ответить")
    )


async def test_a_member_of_no_association_is_pointed_to_the_catalogue(harness, fake_api):
    fake_api.add_user(760_010, "Вера")
    async with unit_of_work(harness.sessions) as session:
        await make_teacher(session, 760_010)
    await say(fake_api, 760_010, "/members", "не состоите ни в одном объединении")
