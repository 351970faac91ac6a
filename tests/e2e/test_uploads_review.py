"""The review end to end: the queue, the files and card shown to the reviewer; Needs revision
(the author corrects the pre-filled form and resubmits), Approve, Reject, each told to the
author; two reviewers at once; forged presses; the daily digest with the clock moved;
/mydata and /forget with materials."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, select

from models import AuditEntry, User
from models.resources import Material, MaterialReview, MaterialStatus
from scheduler import jobs
from services.clock import set_clock
from tests.flows import button, press, say
from tests.uploads_flows import (
    AUTHOR,
    EXPERT,
    LEADER,
    MEMBER,
    drain,
    open_form,
    reviewers_world,
    submit_link,
)


async def _material(harness) -> Material:  # type: ignore[no-untyped-def]
    await harness.idle(0.1)
    async with harness.sessions() as session:
        return await session.scalar(select(Material).order_by(Material.id.desc()).limit(1))


async def _reviews(harness) -> list[MaterialReview]:  # type: ignore[no-untyped-def]
    await harness.idle(0.1)
    async with harness.sessions() as session:
        return list((await session.scalars(select(MaterialReview))).all())


async def _alert(harness, fake_api, user_id: int, message: dict, data: str) -> str:  # type: ignore[no-untyped-def]
    """The user presses `data` (shown under `message`, forged if need be); the alert's text."""
    chat = fake_api.world.chat(user_id)
    current = chat.messages[message["message_id"]]
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}
    chat.messages[message["message_id"]] = {**current, "reply_markup": markup}
    await harness.idle()
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(user_id, chat.messages[message["message_id"]], data)
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    answer = fake_api.calls_of("answerCallbackQuery")[-1].params
    assert answer.get("show_alert") is True, answer
    return answer["text"]


async def _submit_document(harness, fake_api) -> dict:  # type: ignore[no-untyped-def]
    """The author sends a lesson plan with a document and a photo; the leader's notice."""
    await open_form(fake_api, AUTHOR)
    fake_api.user_sends_document(AUTHOR, "урок.docx", b"PK\x03\x04 lesson", album="a")
    fake_api.user_sends_document(AUTHOR, "приложение.pdf", b"%PDF appendix", album="a")
    added = await fake_api.wait_for_message(AUTHOR, "2 файла")
    fake_api.user_sends_photo(AUTHOR)
    added = await fake_api.wait_for_message(AUTHOR, "3 файла")
    await press(fake_api, AUTHOR, added, "Готово", "Как называется")
    kind = await say(fake_api, AUTHOR, "Урок-путешествие по дробям", "Какой это материал")
    subject = await press(fake_api, AUTHOR, kind, "Конспект урока", "По какому предмету")
    grades = await press(fake_api, AUTHOR, subject, "Математика", "Для каких классов")
    await say(fake_api, AUTHOR, "5", "Коротко опишите")
    await say(fake_api, AUTHOR, "Конспект и раздаточный материал", "Теги")
    summary = await say(fake_api, AUTHOR, "дроби", "Проверьте материал", new=True)
    await press(fake_api, AUTHOR, summary, "Отправить на проверку", "отправлен на проверку")
    await drain(harness)
    del grades
    return await fake_api.wait_for_message(LEADER, "Новый материал ждёт проверки")


async def test_revision_correction_resubmission_and_approval(harness, fake_api):
    await reviewers_world(harness, fake_api)
    notice = await _submit_document(harness, fake_api)
    queue = await press(fake_api, LEADER, notice, "Открыть очередь", "Проверки ждёт 1 материал")
    assert (
        "«Урок-путешествие по дробям» — 🏛 «ВМО учителей математики», Петров И. С."
        in (queue["text"])
    )
    sent_before = len(fake_api.sent_to(LEADER))
    card = await press(fake_api, LEADER, queue, "Урок-путешествие", "На проверку")
    shown = fake_api.sent_to(LEADER)[sent_before:]
    documents = [m["document"]["file_name"] for m in shown if "document" in m]
    assert documents == ["урок.docx", "приложение.pdf"]  # one album of documents
    assert len({m["media_group_id"] for m in shown if "document" in m}) == 1
    assert sum("photo" in m for m in shown) == 1
    assert "Конспект урока · Математика · 5 класс" in card["text"]

    prompt = await press(fake_api, LEADER, card, "На доработку", "Что автору нужно исправить")
    await say(fake_api, LEADER, "ok", "от 3 до 1000 символов")  # too short: asked again
    await say(fake_api, LEADER, "Добавьте критерии оценивания", "отправлен на доработку")
    settled = fake_api.world.chat(LEADER).messages[card["message_id"]]
    assert "отправлен на доработку" in settled["text"] and not settled.get("reply_markup")
    material = await _material(harness)
    assert material.status is MaterialStatus.NEEDS_REVISION
    assert material.review_comment == "Добавьте критерии оценивания"
    await drain(harness)
    told = await fake_api.wait_for_message(AUTHOR, "нужно доработать")
    assert "Замечание эксперта: Добавьте критерии оценивания" in told["text"]
    del prompt

    summary = await press(fake_api, AUTHOR, told, "Исправить и отправить снова", "Исправьте")
    assert "Добавьте критерии оценивания" in summary["text"] and "3 файла" in summary["text"]
    description = await press(fake_api, AUTHOR, summary, "Описание", "Коротко опишите")
    summary = await say(
        fake_api, AUTHOR, "Конспект, раздаточный материал и критерии", "Исправьте", new=True
    )
    await press(fake_api, AUTHOR, summary, "Отправить снова", "отправлен на проверку")
    material = await _material(harness)
    assert material.status is MaterialStatus.PENDING and material.review_comment is None
    assert material.description == "Конспект, раздаточный материал и критерии"
    await drain(harness)
    again = await fake_api.wait_for_message(LEADER, "Исправленный материал снова ждёт")
    expert_notice = await fake_api.wait_for_message(EXPERT, "Исправленный материал снова ждёт")
    del description

    card = await press(fake_api, LEADER, again, "Проверить", "На проверку")
    await press(fake_api, LEADER, card, "Одобрить", "Одобрено")
    await fake_api.wait_for(
        lambda: not fake_api.world.chat(LEADER).messages[card["message_id"]].get("reply_markup")
    )
    material = await _material(harness)
    assert material.status is MaterialStatus.APPROVED and material.approved_at is not None
    decisions = [(r.decision, r.comment) for r in await _reviews(harness)]
    assert decisions == [
        (MaterialStatus.NEEDS_REVISION, "Добавьте критерии оценивания"),
        (MaterialStatus.APPROVED, None),
    ]
    async with harness.sessions() as session:
        audited = await session.scalars(
            select(AuditEntry.action).where(AuditEntry.target_type == "material")
        )
        assert list(audited) == ["material.needs_revision", "material.approved"]
    await drain(harness)
    await fake_api.wait_for_message(AUTHOR, "одобрен и опубликован в копилке")
    # the used notice's Review button is refused politely now
    data = button(expert_notice, "Проверить")
    text = await _alert(harness, fake_api, EXPERT, expert_notice, data)
    assert "уже принято решение: он одобрен" in text


async def test_rejection_with_a_reason_and_my_materials(harness, fake_api):
    await reviewers_world(harness, fake_api)
    await submit_link(fake_api, AUTHOR, "Сборник ГДЗ", url="https://gdz.example.ru")
    await drain(harness)
    notice = await fake_api.wait_for_message(EXPERT, "Новый материал ждёт проверки")
    card = await press(fake_api, EXPERT, notice, "Проверить", "На проверку")
    await press(fake_api, EXPERT, card, "Отклонить", "Почему материал не принят")
    await say(fake_api, EXPERT, "Готовые ответы не помогают учиться", "отклонён")
    await drain(harness)
    told = await fake_api.wait_for_message(AUTHOR, "не принят в копилку")
    assert "Причина: Готовые ответы не помогают учиться" in told["text"]
    mine = await press(fake_api, AUTHOR, told, "Мои материалы", "Мои материалы")
    assert "❌ не принят — «Сборник ГДЗ»" in mine["text"] and "Готовые ответы" in mine["text"]
    one = await press(fake_api, AUTHOR, mine, "Сборник ГДЗ", "Причина")
    assert "Отозвать" not in str(one["reply_markup"])
    (review,) = await _reviews(harness)
    assert review.decision is MaterialStatus.REJECTED
    queue = await say(fake_api, LEADER, "/upload", "Методическая копилка")
    await press(fake_api, LEADER, queue, "На проверку (0)", "Проверки ничего не ждёт")


async def test_two_reviewers_deciding_at_once(harness, fake_api):
    await reviewers_world(harness, fake_api)
    await submit_link(fake_api, AUTHOR, "Онлайн-доска для урока")
    await drain(harness)
    cards = {}
    for reviewer in (LEADER, EXPERT):
        notice = await fake_api.wait_for_message(reviewer, "Новый материал ждёт проверки")
        cards[reviewer] = await press(fake_api, reviewer, notice, "Проверить", "На проверку")
    before = len(fake_api.calls_of("answerCallbackQuery"))
    for reviewer in (LEADER, EXPERT):  # both press before either is answered
        fake_api.user_presses(reviewer, cards[reviewer], button(cards[reviewer], "Одобрить"))
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) >= before + 2)
    answers = [c.params for c in fake_api.calls_of("answerCallbackQuery")[before:]]
    refused = [a for a in answers if a.get("show_alert")]
    assert len(refused) == 1 and "уже принято решение: он одобрен" in refused[0]["text"]
    (review,) = await _reviews(harness)
    assert review.decision is MaterialStatus.APPROVED
    await drain(harness)
    await harness.idle(0.2)
    told = [m for m in fake_api.sent_to(AUTHOR) if "одобрен и опубликован" in m.get("text", "")]
    assert len(told) == 1


async def test_forged_and_forbidden_presses_are_refused(harness, fake_api):
    await reviewers_world(harness, fake_api)
    done = await submit_link(fake_api, AUTHOR, "Интерактивная карта")
    material = await _material(harness)
    menu = await say(fake_api, MEMBER, "/upload", "Методическая копилка")
    for data, expect in (
        (f"upl1:ok:{material.id}", "проверяют руководитель и эксперты"),
        (f"upl1:rev:{material.id}", "проверяют руководитель и эксперты"),
        ("upl1:ok:abc", "Эта кнопка больше не действует. Откройте /upload."),
        ("upl1:frobnicate", "Эта кнопка больше не действует"),
        (f"upl1:my:{material.id}", "Не найдено"),  # someone else's material
        (f"upl1:wdok:{material.id}", "Не найдено"),
    ):
        assert expect in await _alert(harness, fake_api, MEMBER, menu, data), data
    leader_menu = await say(fake_api, LEADER, "/upload", "Методическая копилка")
    text = await _alert(harness, fake_api, LEADER, leader_menu, "upl1:rev:999999")
    assert "Не найдено" in text
    # the author cannot approve their own material, even as a reviewer elsewhere
    text = await _alert(harness, fake_api, AUTHOR, done, f"upl1:ok:{material.id}")
    assert "проверяют руководитель" in text
    assert (await _material(harness)).status is MaterialStatus.PENDING
    assert await _reviews(harness) == []


async def test_the_daily_digest_of_the_queue(harness, fake_api):
    await reviewers_world(harness, fake_api)
    set_clock(lambda: datetime(2026, 12, 1, 5, 0, tzinfo=UTC))  # 08:00 in Moscow
    await submit_link(fake_api, AUTHOR, "Тренажёр таблицы умножения")
    await submit_link(fake_api, AUTHOR, "Коллекция задач на движение", url="https://zadachi.ru")
    await drain(harness)
    runner = jobs.runner_of(harness.app)

    async def digests(moment: datetime, reviewer: int) -> list[str]:
        set_clock(lambda: moment)
        await runner.renew()
        for _ in range(2):  # a second run the same day sends nothing more
            await jobs.run_now(harness.app, "material-review-digest")
        await drain(harness)
        return [m["text"] for m in fake_api.sent_to(reviewer) if "Вашей проверки" in m["text"]]

    assert await digests(datetime(2026, 12, 1, 5, 30, tzinfo=UTC), LEADER) == []  # 08:30
    texts = await digests(datetime(2026, 12, 1, 6, 30, tzinfo=UTC), LEADER)  # 09:30
    assert texts == ["📋 Вашей проверки ждут 2 материала; самый давний — с 1 декабря 2026 г."]
    assert len(await digests(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), EXPERT)) == 1
    assert not [m for m in fake_api.sent_to(AUTHOR) if "Вашей проверки" in m.get("text", "")]
    digest = next(m for m in fake_api.sent_to(LEADER) if "Вашей проверки" in m.get("text", ""))
    assert button(digest, "Открыть очередь") == "upl1:queue"
    assert len(await digests(datetime(2026, 12, 2, 7, 0, tzinfo=UTC), LEADER)) == 2  # next day

    queue = await press(fake_api, LEADER, digest, "Открыть очередь", "Проверки ждут 2")
    for title in ("Тренажёр таблицы", "Коллекция задач"):
        card = await press(fake_api, LEADER, queue, title, "На проверку")
        await press(fake_api, LEADER, card, "Одобрить", "Одобрено")
    assert len(await digests(datetime(2026, 12, 3, 7, 0, tzinfo=UTC), LEADER)) == 2  # none


async def test_mydata_and_forget_with_materials(harness, fake_api):
    await reviewers_world(harness, fake_api)
    await submit_link(fake_api, AUTHOR, "Опубликованный материал")
    await drain(harness)
    notice = await fake_api.wait_for_message(LEADER, "Новый материал ждёт проверки")
    card = await press(fake_api, LEADER, notice, "Проверить", "На проверку")
    await press(fake_api, LEADER, card, "Одобрить", "Одобрено")
    await submit_link(fake_api, AUTHOR, "Черновик на проверке", url="https://draft.ru")

    fake_api.user_sends(AUTHOR, "/mydata")
    await fake_api.wait_for(lambda: fake_api.calls_of("sendDocument"))
    exported = json.loads(next(iter(fake_api.calls_of("sendDocument")[-1].files.values())))
    titles = sorted(row["title"] for row in exported["records"]["materials"])
    assert titles == ["Опубликованный материал", "Черновик на проверке"]
    assert {row["kind"] for row in exported["activity"]} == {"material_uploaded"}

    question = await say(fake_api, AUTHOR, "/forget", "Удалить ваши персональные данные")
    await press(fake_api, AUTHOR, question, "Да, удалить", "удалены")
    await harness.idle(0.1)
    async with harness.sessions() as session:
        left = (await session.execute(select(Material.title, Material.author_user_id))).all()
        author = await session.get(User, left[0][1])
        reviews = await session.scalar(select(func.count()).select_from(MaterialReview))
    assert [title for title, _ in left] == ["Опубликованный материал"]  # the draft is erased
    assert author.full_name is None and author.forgotten_at is not None
    assert reviews == 1
