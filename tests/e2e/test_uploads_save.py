"""/save in the association's group: a member's file goes on in the private form with the
file and the association filled in; somebody who never started the bot gets a polite answer
in the group with a link that opens the form (after registration); a non-member, a message
without a file, an unbound group and /save in private chat are answered with the reason."""

from __future__ import annotations

from sqlalchemy import select

from models import DialogState, User
from models.db import unit_of_work
from models.resources import FileKind, Material, MaterialFile
from tests.factories import add_member, make_teacher
from tests.flows import press, register_teacher, say
from tests.uploads_flows import AUTHOR, GROUP, LEADER, STRANGER, drain, reviewers_world

NEWCOMER = 771_050


async def _finish_form(fake_api, user_id: int) -> dict:  # type: ignore[no-untyped-def]
    """From the title to the summary, the rest skipped."""
    kind = await say(fake_api, user_id, "Фото с мастер-класса", "Какой это материал")
    subject = await press(fake_api, user_id, kind, "Работа для галереи", "По какому предмету")
    grades = await press(fake_api, user_id, subject, "Без привязки к предмету", "классов")
    description = await press(fake_api, user_id, grades, "Без привязки к классам", "опишите")
    tags = await press(fake_api, user_id, description, "Без описания", "Теги")
    return await press(fake_api, user_id, tags, "Без тегов", "Проверьте материал", new=True)


async def _saved_file(harness) -> tuple[Material, MaterialFile]:  # type: ignore[no-untyped-def]
    await harness.idle(0.1)
    async with harness.sessions() as session:
        material = await session.scalar(select(Material))
        file = await session.scalar(select(MaterialFile))
    return material, file


async def test_a_member_saves_a_file_from_the_group(harness, fake_api):
    association = await reviewers_world(harness, fake_api)
    posted = fake_api.user_sends_document(
        AUTHOR, "презентация.pptx", b"PK pptx", chat_id=GROUP, caption="Вчерашний семинар"
    )
    fake_api.user_sends(AUTHOR, "/save", chat_id=GROUP, reply_to=posted["message"]["message_id"])
    await fake_api.wait_for_message(GROUP, "Иван, форма продолжается в личных сообщениях")
    await fake_api.wait_for_message(AUTHOR, "предложили в «ВМО учителей математики», сохранено")
    await fake_api.wait_for_message(AUTHOR, "Как называется")
    summary = await _finish_form(fake_api, AUTHOR)
    assert "презентация.pptx" in summary["text"]
    assert "🏛 «ВМО учителей математики»" in summary["text"]  # from the group, not asked
    await press(fake_api, AUTHOR, summary, "Отправить на проверку", "отправлен на проверку")
    material, file = await _saved_file(harness)
    assert material.association_id == association.id
    assert file.telegram_file_id == posted["message"]["document"]["file_id"]
    assert file.file_name == "презентация.pptx"
    await drain(harness)
    await fake_api.wait_for_message(LEADER, "Новый материал ждёт проверки")


async def test_somebody_who_never_started_the_bot_gets_a_link_to_the_form(harness, fake_api):
    association = await reviewers_world(harness, fake_api)
    fake_api.add_user(NEWCOMER, "Елена", started=False)
    fake_api.world.chat(GROUP).members[NEWCOMER] = "member"
    photo = fake_api.user_sends_photo(NEWCOMER, chat_id=GROUP)
    fake_api.user_sends(NEWCOMER, "/save", chat_id=GROUP, reply_to=photo["message"]["message_id"])
    answer = await fake_api.wait_for_message(GROUP, "откройте чат со мной")
    link = answer["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert link == f"https://t.me/vmo_test_bot?start=upl_{GROUP}"
    assert not fake_api.sent_to(NEWCOMER)

    await register_teacher(harness, fake_api, NEWCOMER, start=f"/start upl_{GROUP}")
    await fake_api.wait_for_message(NEWCOMER, "Как называется")
    waiting = await _finish_form_until_target(fake_api)
    # registered now, but not a member yet: asked to join first, the form waits
    assert "вступите в одно из них" in waiting["text"]
    async with unit_of_work(harness.sessions) as session:
        user = await session.scalar(select(User).where(User.telegram_id == NEWCOMER))
        await add_member(session, association, user)
    summary = await press(fake_api, NEWCOMER, waiting, "Проверить снова", "Проверьте")
    assert "1 файл: фото" in summary["text"]
    await press(fake_api, NEWCOMER, summary, "Отправить на проверку", "отправлен на проверку")
    material, file = await _saved_file(harness)
    assert material.association_id == association.id and file.kind is FileKind.PHOTO
    assert file.telegram_file_id == photo["message"]["photo"][-1]["file_id"]
    # the link, followed again, finds nothing waiting
    await say(fake_api, NEWCOMER, f"/start upl_{GROUP}", "больше не ждёт")


async def _finish_form_until_target(fake_api) -> dict:  # type: ignore[no-untyped-def]
    kind = await say(fake_api, NEWCOMER, "Фото с мастер-класса", "Какой это материал")
    subject = await press(fake_api, NEWCOMER, kind, "Работа для галереи", "По какому предмету")
    grades = await press(fake_api, NEWCOMER, subject, "Без привязки к предмету", "классов")
    description = await press(fake_api, NEWCOMER, grades, "Без привязки к классам", "опишите")
    tags = await press(fake_api, NEWCOMER, description, "Без описания", "Теги")
    return await press(fake_api, NEWCOMER, tags, "Без тегов", "Материалами делятся")


async def test_save_is_refused_with_the_reason(harness, fake_api):
    await reviewers_world(harness, fake_api)
    fake_api.add_user(STRANGER, "Ольга")
    fake_api.world.chat(GROUP).members[STRANGER] = "member"
    async with unit_of_work(harness.sessions) as session:
        await make_teacher(session, STRANGER, full_name="Смирнова Ольга Петровна")
    text = fake_api.user_sends(AUTHOR, "просто текст", chat_id=GROUP)
    fake_api.user_sends(AUTHOR, "/save", chat_id=GROUP, reply_to=text["message"]["message_id"])
    await fake_api.wait_for_message(GROUP, "Ответьте /save на сообщение с файлом или ссылкой")
    fake_api.user_sends(AUTHOR, "/save", chat_id=GROUP)
    await fake_api.wait_for_message(GROUP, "Ответьте /save на сообщение с файлом или ссылкой")
    sticker = fake_api.user_sends_sticker(AUTHOR, chat_id=GROUP)
    fake_api.user_sends(AUTHOR, "/save", chat_id=GROUP, reply_to=sticker["message"]["message_id"])
    await fake_api.wait_for_message(GROUP, "Стикер нельзя положить в копилку")
    big = fake_api.user_sends_document(AUTHOR, "фильм.mp4", b"x", chat_id=GROUP, size=80 << 20)
    fake_api.user_sends(AUTHOR, "/save", chat_id=GROUP, reply_to=big["message"]["message_id"])
    await fake_api.wait_for_message(GROUP, "Файл весит 80 МБ")
    link = fake_api.user_sends(AUTHOR, "Смотрите https://resh.edu.ru/subject/12/", chat_id=GROUP)
    fake_api.user_sends(STRANGER, "/save", chat_id=GROUP, reply_to=link["message"]["message_id"])
    await fake_api.wait_for_message(GROUP, "предлагают участники «ВМО учителей математики»")
    fake_api.add_chat(-100_771_999, "Чужая группа", members={AUTHOR: "member"})
    other = fake_api.user_sends_photo(AUTHOR, chat_id=-100_771_999)
    fake_api.user_sends(
        AUTHOR, "/save", chat_id=-100_771_999, reply_to=other["message"]["message_id"]
    )
    await fake_api.wait_for_message(-100_771_999, "не привязана к объединению")
    await say(fake_api, AUTHOR, "/save", "/save работает в группе объединения")
    # a link in a member's message is proposed as a link
    fake_api.user_sends(AUTHOR, "/save", chat_id=GROUP, reply_to=link["message"]["message_id"])
    await fake_api.wait_for_message(AUTHOR, "Как называется")
    await harness.idle()
    async with harness.sessions() as session:
        state = await session.get(DialogState, (AUTHOR, AUTHOR))
    assert state.data["url"] == "https://resh.edu.ru/subject/12/" and state.data["files"] == []
