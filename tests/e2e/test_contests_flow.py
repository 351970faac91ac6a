"""/contest end to end: the leader announces a contest with a jury; two teachers submit
(one with a file, one with a link) and one replaces her work; submissions close and the
juror is told; the juror scores both works (a score above the maximum is explained); a
member votes; the leader publishes the results; the group and the participants are told;
a winner gets her diploma as a PDF and the leader the protocol. Forged presses and late
submissions are refused politely."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import func, select

from models.contests import ContestDiploma, ContestEntry
from models.db import unit_of_work
from scheduler import jobs
from services.clock import set_clock
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

LEADER = 781_001
ANNA = 781_002
BORIS = 781_003
JUROR = 781_004
GROUP = -100_781_001
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CLOSED = datetime(2026, 12, 11, 9, 0, tzinfo=UTC)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


async def _world(harness, fake_api) -> None:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    for telegram_id, name in (
        (LEADER, "Анна"),
        (ANNA, "Анна"),
        (BORIS, "Борис"),
        (JUROR, "Дмитрий"),
    ):
        fake_api.add_user(telegram_id, name)
    fake_api.add_chat(GROUP, "ВМО математиков", members={LEADER: "administrator"})
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Иванова Анна Петровна")
        association = await make_association(session, leader=leader, chat_id=GROUP)
        for telegram_id, full_name, school in (
            (ANNA, "Петрова Анна Сергеевна", "МБОУ «СОШ № 5»"),
            (BORIS, "Смирнов Борис Олегович", "МБОУ «СОШ № 7»"),
            (JUROR, "Попов Дмитрий Ильич", "Гимназия № 1"),
        ):
            teacher = await make_teacher(
                session, telegram_id, full_name=full_name, organisation=school
            )
            await add_member(session, association, teacher)


async def _drain(harness) -> None:  # type: ignore[no-untyped-def]
    await harness.idle(0.1)
    await harness.app.bot_data["outbox"].drain()


async def _announce(fake_api) -> None:  # type: ignore[no-untyped-def]
    screen = await say(fake_api, LEADER, "/contest", "нет открытых конкурсов")
    await press(fake_api, LEADER, screen, "Объявить конкурс", "название конкурса")
    await say(fake_api, LEADER, "Педагогический дебют", "положение")
    await say(fake_api, LEADER, "Конкурс методических разработок учителей", "Приложите положение")
    files = fake_api.world.chat(LEADER).messages
    question = list(files.values())[-1]
    await press(fake_api, LEADER, question, "Без файла", "номинации")
    await say(fake_api, LEADER, "Лучший урок\nПроект", "критерии")
    await say(fake_api, LEADER, "Оригинальность", "максимальным баллом в конце")
    await say(fake_api, LEADER, "Оригинальность — 10\nОформление — 5", "С какого дня")
    await say(fake_api, LEADER, "1.12", "Последний день приёма")
    await say(fake_api, LEADER, "30.11.2026", "уже прошла")
    await say(fake_api, LEADER, "10.12", "Последний день работы жюри")
    await say(fake_api, LEADER, "10.12", "должна быть позже")
    await say(fake_api, LEADER, "15.12", "итоги")
    who = await say(fake_api, LEADER, "16 декабря", "Кто может участвовать")
    vote = await press(fake_api, LEADER, who, "Участники объединения", "зрительское")
    jury = await press(fake_api, LEADER, vote, "Да", "членов жюри")
    fake_api.user_presses(LEADER, jury, button(jury, "Попов"))
    chat = fake_api.world.chat(LEADER)
    await fake_api.wait_for(lambda: "✅ Попов" in str(chat.messages[jury["message_id"]]))
    summary = await press(
        fake_api, LEADER, chat.messages[jury["message_id"]], "Готово", "Проверьте конкурс"
    )
    assert "Лучший урок; Проект" in summary["text"] and "Оригинальность (10)" in summary["text"]
    assert "Жюри: Попов Д. И." in summary["text"] and "16 декабря 2026 г." in summary["text"]
    await press(fake_api, LEADER, summary, "Объявить", "объявлен")


async def _submit(fake_api, user: int, title: str, *, link: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    screen = await say(fake_api, user, "/contest", "Открытые конкурсы")
    nomination = await press(fake_api, user, screen, "Подать", "Выберите номинацию")
    await press(fake_api, user, nomination, "Лучший урок", "название работы")
    await say(fake_api, user, title, "аннотацию")
    await say(
        fake_api, user, "Урок с исследовательскими заданиями для 8 класса", "Отправьте работу"
    )
    if link:
        return await say(fake_api, user, link, "Проверьте заявку")
    fake_api.user_sends_document(user, "урок.pdf", b"%PDF-1.4 fake")
    attached = await fake_api.wait_for_message(user, "Прикреплён 1 файл")
    return await press(fake_api, user, attached, "Готово", "Проверьте заявку")


async def _score(
    fake_api, message: dict, label: str, scores: tuple[str, str], comment: str | None
) -> dict:  # type: ignore[no-untyped-def]
    await press(fake_api, JUROR, message, label, "Критерий 1 из 2")
    await say(fake_api, JUROR, scores[0], "Критерий 2 из 2")
    prompt = await say(fake_api, JUROR, scores[1], "Комментарий для протокола")
    if comment is None:
        summary = await press(fake_api, JUROR, prompt, "Без комментария", "Сохранить?")
    else:
        summary = await say(fake_api, JUROR, comment, "Сохранить?")
    return await press(fake_api, JUROR, summary, "Сохранить", "сохранены")


async def test_a_contest_from_announcement_to_diplomas(harness, fake_api):
    await _world(harness, fake_api)
    await _announce(fake_api)
    await _drain(harness)
    await fake_api.wait_for_message(JUROR, "Вы включены в жюри")
    announced = await fake_api.wait_for_message(GROUP, "Объявлен новый конкурс")
    assert "Педагогический дебют" in announced["text"]

    summary = await _submit(fake_api, ANNA, "Функции вокруг нас")
    assert "урок.pdf" in summary["text"]
    await press(fake_api, ANNA, summary, "Подать", "подана на конкурс")
    summary = await _submit(
        fake_api, BORIS, "Геометрия в архитектуре", link="https://disk.example.ru/b"
    )
    await press(fake_api, BORIS, summary, "Подать", "подана")
    mine = await say(fake_api, ANNA, "/contest", "Мои работы")
    await press(fake_api, ANNA, mine, "Заменить", "название работы")
    await say(fake_api, ANNA, "Функции вокруг нас 2.0", "аннотацию")
    await say(fake_api, ANNA, "Новая редакция: с самоанализом урока", "Отправьте работу")
    await say(fake_api, ANNA, "не ссылка", "ссылк")  # neither a file nor a link: explained
    fake_api.user_sends_document(ANNA, "урок-2.pdf", b"%PDF-1.4 fake 2")
    attached = await fake_api.wait_for_message(ANNA, "Прикреплён 1 файл")
    summary = await press(fake_api, ANNA, attached, "Готово", "Проверьте заявку")
    assert "урок-2.pdf" in summary["text"] and "Лучший урок" in summary["text"]
    await press(fake_api, ANNA, summary, "Подать", "заменена")
    mine = await say(fake_api, ANNA, "/contest", "Мои работы")
    assert "Функции вокруг нас 2.0" in mine["text"]
    async with harness.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ContestEntry)) == 2

    # a forged scoring press from a participant is refused politely
    entry_id = await _entry_id(harness, "Геометрия в архитектуре")
    before = len(fake_api.calls_of("answerCallbackQuery"))
    forged = {
        **mine,
        "reply_markup": {
            "inline_keyboard": [[{"text": "x", "callback_data": f"con1:sc:{entry_id}"}]]
        },
    }
    fake_api.world.chat(ANNA).messages[mine["message_id"]] = forged
    fake_api.user_presses(ANNA, forged, f"con1:sc:{entry_id}")
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    assert "не входите в жюри" in fake_api.calls_of("answerCallbackQuery")[-1].params["text"]

    still_open = await say(fake_api, BORIS, "/contest", "Открытые конкурсы")
    set_clock(lambda: CLOSED)
    await jobs.runner_of(harness.app).renew()
    for _ in range(2):  # a second run sends nothing twice
        await jobs.run_now(harness.app, "contest-closing")
    await _drain(harness)
    told = await fake_api.wait_for_message(JUROR, "Приём работ на конкурс")
    assert "ждут 2 работы" in told["text"]
    await fake_api.wait_for_message(GROUP, "зрительское голосование")
    late = await say(fake_api, BORIS, "/contest", None)
    assert "Открытые конкурсы" not in late["text"]
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(BORIS, still_open, button(still_open, "Подать"))  # a day late
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    assert (
        "Приём работ на этот конкурс закрыт"
        in (fake_api.calls_of("answerCallbackQuery")[-1].params["text"])
    )

    queue = await press(fake_api, JUROR, told, "Оценить работы", "ждут 2 работы")
    await press(fake_api, JUROR, queue, "Функции", "Функции вокруг нас 2.0")
    await fake_api.wait_for_message(JUROR, "Критерий 1 из 2")
    await say(fake_api, JUROR, "11", "от 0 до 10")
    await say(fake_api, JUROR, "9", "Критерий 2 из 2")
    await say(fake_api, JUROR, "5", "Комментарий")
    summary = await say(fake_api, JUROR, "Яркий замысел", "Итого: 14")
    saved = await press(fake_api, JUROR, summary, "Сохранить", "сохранены, итого 14")
    assert "Осталась 1 работа" in saved["text"]
    saved = await _score(fake_api, saved, "Следующая работа", ("7", "3"), None)
    assert "Осталось 0 работ" in saved["text"]

    ballot_screen = await say(fake_api, BORIS, "/contest", None)
    ballot = await press(fake_api, BORIS, ballot_screen, "Голосовать", "Зрительское голосование")
    assert "Геометрия" not in str(ballot.get("reply_markup"))  # not one's own work
    fake_api.user_presses(BORIS, ballot, button(ballot, "Функции"))
    chat = fake_api.world.chat(BORIS)
    await fake_api.wait_for(lambda: "✅ Функции" in str(chat.messages[ballot["message_id"]]))
    assert "голос учтён" in fake_api.calls_of("answerCallbackQuery")[-1].params["text"]

    screen = await say(fake_api, LEADER, "/contest", "Мои конкурсы")
    manage = await press(fake_api, LEADER, screen, "⚙️ Педагогический дебют", "Рейтинг")
    assert "1. Петрова А. С. — «Функции вокруг нас 2.0» (14)" in manage["text"]
    assert "Попов Д. И.: 2 из 2" in manage["text"]
    question = await press(fake_api, LEADER, manage, "Опубликовать итоги", "Отменить это нельзя")
    await press(fake_api, LEADER, question, "Да, опубликовать", "выдано 2 диплома")
    await _drain(harness)
    results = await fake_api.wait_for_message(GROUP, "Итоги конкурса")
    assert "Смирнов Б. О." in results["text"]
    assert (
        "Приз зрительских симпатий: Петрова А. С. — «Функции вокруг нас 2.0» (1 голос)"
        in (results["text"])
    )
    placed = await fake_api.wait_for_message(ANNA, "заняла 1 место")
    await fake_api.wait_for_message(BORIS, "заняла 2 место")

    before = len(fake_api.calls_of("sendDocument"))
    fake_api.user_presses(ANNA, placed, button(placed, "Мой диплом"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("sendDocument")) > before)
    sent = fake_api.calls_of("sendDocument")[-1]
    assert int(sent.params["chat_id"]) == ANNA
    text = _pdf_text(sent.files["document"])
    for part in ("ДИПЛОМ", "I степени", "Петрова Анна Сергеевна", "Функции вокруг нас 2.0"):
        assert part in text
    async with harness.sessions() as session:
        code = await session.scalar(select(ContestDiploma.code).where(ContestDiploma.place == 1))
    assert f"{code[:5]}-{code[5:]}" in text
    mine = await say(fake_api, ANNA, "/contest", "Мои дипломы")
    assert "Лучший урок: итоги опубликованы" in mine["text"]
    judged = await press(fake_api, ANNA, mine, "Оценки жюри", "Место: 1. Итог: 14")
    assert "Оригинальность: 9 из 10" in judged["text"] and "— Яркий замысел" in judged["text"]

    before = len(fake_api.calls_of("sendDocument"))
    manage = await say(fake_api, LEADER, "/contest", "Мои конкурсы")
    manage = await press(fake_api, LEADER, manage, "⚙️ Педагогический дебют", "итоги опубликованы")
    fake_api.user_presses(LEADER, manage, button(manage, "Протокол"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("sendDocument")) > before)
    text = _pdf_text(fake_api.calls_of("sendDocument")[-1].files["document"])
    assert "ПРОТОКОЛ" in text and "Смирнов Борис Олегович" in text and "ПРОЕКТ" not in text
    fake_api.assert_clean()


async def _entry_id(harness, title: str) -> int:  # type: ignore[no-untyped-def]
    async with harness.sessions() as session:
        return await session.scalar(select(ContestEntry.id).where(ContestEntry.title == title))


async def test_the_calendar_reminds_the_jury_and_the_organiser_once(harness, fake_api):
    await _world(harness, fake_api)
    await _announce(fake_api)
    summary = await _submit(fake_api, ANNA, "Функции вокруг нас")
    await press(fake_api, ANNA, summary, "Подать", "подана")
    await _drain(harness)
    await fake_api.wait_for_message(JUROR, "Вы включены в жюри")
    told = {}
    for moment, sweep, chat, expect in (
        (datetime(2026, 12, 11, 9, 0, tzinfo=UTC), "contest-closing", JUROR, "Приём работ"),
        (datetime(2026, 12, 13, 9, 0, tzinfo=UTC), "contest-jury-reminders", JUROR, "заканч"),
        (datetime(2026, 12, 16, 9, 0, tzinfo=UTC), "contest-results-reminders", LEADER, "Сегодня"),
    ):
        set_clock(lambda moment=moment: moment)
        await jobs.runner_of(harness.app).renew()
        for _ in range(2):  # a second run (or a restart) sends nothing twice
            await jobs.run_now(harness.app, sweep)
        await _drain(harness)
        told[sweep] = await fake_api.wait_for_message(chat, expect)
    reminder = told["contest-jury-reminders"]
    assert "заканчивается 15 декабря 2026 г." in reminder["text"]
    assert "ещё ждёт 1 работа" in reminder["text"]
    assert button(reminder, "Оценить работы").startswith("con1:q:")
    due = told["contest-results-reminders"]
    assert "Сегодня день подведения итогов" in due["text"]
    assert "Оценено хотя бы одним членом жюри: 0 из 1 работы" in due["text"]
    screen = await press(fake_api, LEADER, due, "Конкурс", "Рейтинг")
    assert "Опубликовать итоги" in str(screen["reply_markup"])
    juror_texts = [m.get("text", "") for m in fake_api.sent_to(JUROR)]
    assert sum("заканчивается" in text for text in juror_texts) == 1
    assert sum("Приём работ на конкурс" in text for text in juror_texts) == 1
    leader_texts = [m.get("text", "") for m in fake_api.sent_to(LEADER)]
    assert sum("день подведения итогов" in text for text in leader_texts) == 1


async def _forged(harness, fake_api, user: int, message: dict, data: str) -> str:  # type: ignore[no-untyped-def]
    forged = {
        **message,
        "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]},
    }
    fake_api.world.chat(user).messages[message["message_id"]] = forged
    await harness.idle()
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(user, forged, data)
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    return fake_api.calls_of("answerCallbackQuery")[-1].params.get("text", "")


async def test_forged_and_stale_presses_are_refused(harness, fake_api):
    await _world(harness, fake_api)
    await _announce(fake_api)
    screen = await say(fake_api, ANNA, "/contest", "Открытые конкурсы")
    contest = button(screen, "Подать").rsplit(":", 1)[1]
    # a participant presses the organiser's buttons, garbled data, a vote before its time
    assert "организатор" in await _forged(harness, fake_api, ANNA, screen, f"con1:pub:{contest}:1")
    assert "организатор" in await _forged(harness, fake_api, ANNA, screen, f"con1:prot:{contest}")
    assert "устарела" in await _forged(harness, fake_api, ANNA, screen, "con1:vote:abc:1")
    assert "после окончания приёма" in await _forged(
        harness, fake_api, ANNA, screen, f"con1:bal:{contest}"
    )
    async with harness.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ContestDiploma)) == 0


async def test_a_methodist_announces_a_network_wide_contest(harness, fake_api):
    from models.user import NetworkRole

    await _world(harness, fake_api)
    fake_api.add_user(781_010, "Ольга")
    fake_api.add_user(781_011, "Иван")
    async with unit_of_work(harness.sessions) as session:
        await make_teacher(
            session, 781_010, full_name="Методистова Ольга Ивановна", roles=(NetworkRole.METHODIST,)
        )
        await make_teacher(
            session, 781_011, full_name="Экспертов Иван Ильич", roles=(NetworkRole.EXPERT,)
        )
    screen = await say(fake_api, 781_010, "/contest", None)
    await press(fake_api, 781_010, screen, "сетевой конкурс", "название конкурса")
    await say(fake_api, 781_010, "Сетевой фестиваль проектов", "положение")
    question = await say(fake_api, 781_010, "Фестиваль проектов учителей всей сети", "Приложите")
    await press(fake_api, 781_010, question, "Без файла", "номинации")
    await say(fake_api, 781_010, "Проект", "критерии")
    await say(fake_api, 781_010, "Значимость — 10", "С какого дня")
    await say(fake_api, 781_010, "1.12", "Последний день приёма")
    await say(fake_api, 781_010, "10.12", "Последний день работы жюри")
    await say(fake_api, 781_010, "15.12", "итоги")
    vote = await say(fake_api, 781_010, "16.12", "зрительское")  # no «who may take part»
    jury = await press(fake_api, 781_010, vote, "Без зрительского", "членов жюри")
    assert "Петрова" not in str(jury["reply_markup"])  # the network's people only
    fake_api.user_presses(781_010, jury, button(jury, "Экспертов"))
    chat = fake_api.world.chat(781_010)
    await fake_api.wait_for(lambda: "✅ Экспертов" in str(chat.messages[jury["message_id"]]))
    summary = await press(
        fake_api, 781_010, chat.messages[jury["message_id"]], "Готово", "Проверьте конкурс"
    )
    assert "Кто участвует: Все педагоги сети" in summary["text"]
    await press(fake_api, 781_010, summary, "Объявить", "объявлен")
    await _drain(harness)
    await fake_api.wait_for_message(781_011, "Вы включены в жюри")
    listing = await say(fake_api, BORIS, "/contest", "Сетевой фестиваль проектов")
    assert "(сеть)" in listing["text"] and "все педагоги сети" in listing["text"]
