"""/upload end to end: a document through the whole form (the reviewers are told), an album
of photos answered by one message, a video and a link, a link alone, every check of the
form, the summary's edit buttons, a half-filled form surviving a crash, withdrawing."""

from __future__ import annotations

from sqlalchemy import func, select

from models import ActivityEvent
from models.db import unit_of_work
from models.resources import FileKind, Material, MaterialFile, MaterialKind, MaterialStatus
from tests.factories import make_teacher
from tests.flows import button, press, say
from tests.uploads_flows import (
    AUTHOR,
    EXPERT,
    LEADER,
    MEMBER,
    STRANGER,
    calls_to,
    drain,
    open_form,
    reviewers_world,
    submit_link,
)

MB = 1024 * 1024


async def _materials(harness) -> list[Material]:  # type: ignore[no-untyped-def]
    await harness.idle(0.1)
    async with harness.sessions() as session:
        return list((await session.scalars(select(Material).order_by(Material.id))).all())


async def _files(harness, material_id: int) -> list[MaterialFile]:  # type: ignore[no-untyped-def]
    async with harness.sessions() as session:
        rows = await session.scalars(
            select(MaterialFile)
            .where(MaterialFile.material_id == material_id)
            .order_by(MaterialFile.position)
        )
        return list(rows.all())


async def test_a_document_through_the_whole_form(harness, fake_api):
    await reviewers_world(harness, fake_api)
    files = await open_form(fake_api, AUTHOR)
    assert "до 10 штук, каждый до 50 МБ" in files["text"]
    fake_api.user_sends_document(AUTHOR, "дроби.pdf", b"%PDF-1.4 fractions", "application/pdf")
    added = await fake_api.wait_for_message(AUTHOR, "1 файл: дроби.pdf")
    kind = await press(fake_api, AUTHOR, added, "Готово", "Как называется")
    kind = await say(fake_api, AUTHOR, "Сложение   дробей", "Какой это материал")
    subject = await press(fake_api, AUTHOR, kind, "Дидактический", "По какому предмету")
    await press(fake_api, AUTHOR, subject, "Математика", "Для каких классов")
    await say(fake_api, AUTHOR, "5-6", "Коротко опишите")
    await say(fake_api, AUTHOR, "Карточки для устного счёта", "Теги")
    summary = await say(
        fake_api, AUTHOR, "дроби, #ОГЭ; 5 класс, дроби", "Проверьте материал", new=True
    )
    for line in (
        "📄 Сложение дробей",
        "🗂 Дидактический материал · Математика · 5–6 классы",
        "📝 Карточки для устного счёта",
        "🏷 дроби, огэ, 5 класс",
        "📎 1 файл: дроби.pdf",
        "🏛 «ВМО учителей математики»",  # the only association: not asked
    ):
        assert line in summary["text"], summary["text"]
    done = await press(fake_api, AUTHOR, summary, "Отправить на проверку", "отправлен на проверку")
    assert button(done, "Мои материалы")
    messages = fake_api.world.chat(AUTHOR).messages
    await fake_api.wait_for(lambda: not messages[summary["message_id"]].get("reply_markup"))

    (material,) = await _materials(harness)
    assert (material.title, material.kind, material.status) == (
        "Сложение дробей",
        MaterialKind.DIDACTIC,
        MaterialStatus.PENDING,
    )
    assert (material.subject, material.grade_from, material.grade_to) == ("math", 5, 6)
    assert material.tags == "дроби, огэ, 5 класс"
    (file,) = await _files(harness, material.id)
    assert (file.kind, file.file_name, file.mime_type) == (
        FileKind.DOCUMENT,
        "дроби.pdf",
        "application/pdf",
    )
    assert file.size == len(b"%PDF-1.4 fractions") and file.telegram_file_id.startswith("BQAC")
    async with harness.sessions() as session:
        uploaded = await session.scalar(
            select(func.count())
            .select_from(ActivityEvent)
            .where(ActivityEvent.kind == "material_uploaded", ActivityEvent.ref_id == material.id)
        )
    assert uploaded == 1

    await drain(harness)
    for reviewer in (LEADER, EXPERT):  # the association's leader and expert, not the member
        notice = await fake_api.wait_for_message(reviewer, "Новый материал ждёт проверки")
        assert "Сложение дробей" in notice["text"] and "Петров И. С." in notice["text"]
        assert button(notice, "Проверить") == f"upl1:rev:{material.id}"
        assert button(notice, "Открыть очередь") == "upl1:queue"
    assert not [m for m in fake_api.sent_to(MEMBER) if "проверки" in m.get("text", "")]


async def test_an_album_of_photos_a_video_and_a_link(harness, fake_api):
    await reviewers_world(harness, fake_api)
    await open_form(fake_api, AUTHOR)
    before = calls_to(fake_api, "sendMessage", AUTHOR)
    for _ in range(3):
        fake_api.user_sends_photo(AUTHOR, album="album-1")
    album = await fake_api.wait_for_message(AUTHOR, "3 файла: фото")
    await harness.idle()
    assert calls_to(fake_api, "sendMessage", AUTHOR) == before + 1  # one answer, edited
    fake_api.user_sends_video(AUTHOR, "опыт.mp4", size=12 * MB)
    await fake_api.wait_for_message(AUTHOR, "опыт.mp4 (12,0 МБ)")
    reply = await say(fake_api, AUTHOR, "https://resh.edu.ru/subject/lesson/7700/", "🔗")
    assert "4 файла" in reply["text"] and "resh.edu.ru/subject/lesson/7700/" in reply["text"]
    assert album["message_id"] != reply["message_id"]
    kind = await press(fake_api, AUTHOR, reply, "Готово", "Как называется")
    kind = await say(fake_api, AUTHOR, "Опыт с магнитами", "Какой это материал")
    subject = await press(fake_api, AUTHOR, kind, "Видео", "По какому предмету")
    other = await press(fake_api, AUTHOR, subject, "Другой предмет", "Напишите предмет")
    grades = await say(fake_api, AUTHOR, "Естествознание", "Для каких классов")
    description = await press(fake_api, AUTHOR, grades, "Без привязки к классам", "опишите")
    tags = await press(fake_api, AUTHOR, description, "Без описания", "Теги")
    summary = await press(fake_api, AUTHOR, tags, "Без тегов", "Проверьте материал", new=True)
    assert "Видео · Естествознание" in summary["text"] and "🏷" not in summary["text"]
    await press(fake_api, AUTHOR, summary, "Отправить на проверку", "отправлен на проверку")
    del other

    (material,) = await _materials(harness)
    assert material.url == "https://resh.edu.ru/subject/lesson/7700/"
    assert (material.subject, material.grade_from, material.description) == (
        "Естествознание",
        None,
        "",
    )
    kinds = [file.kind for file in await _files(harness, material.id)]
    assert kinds == [FileKind.PHOTO] * 3 + [FileKind.VIDEO]


async def test_a_link_alone_and_the_summarys_edit_buttons(harness, fake_api):
    await reviewers_world(harness, fake_api)
    summary = await submit_link(
        fake_api, AUTHOR, "Интерактивные тренажёры", url="https://learningapps.org", send=False
    )
    title = await press(fake_api, AUTHOR, summary, "✏️ Название", "Как называется")
    summary = await say(fake_api, AUTHOR, "Тренажёры LearningApps", "Проверьте материал", new=True)
    assert "📄 Тренажёры LearningApps" in summary["text"]
    files = await press(fake_api, AUTHOR, summary, "Файлы и ссылка", "learningapps.org")
    files = await press(fake_api, AUTHOR, files, "Выбрать файлы заново", "Пришлите материал")
    fake_api.user_sends_document(AUTHOR, "инструкция.docx", b"PK\x03\x04 docx")
    added = await fake_api.wait_for_message(AUTHOR, "инструкция.docx")
    summary = await press(fake_api, AUTHOR, added, "Готово", "Проверьте материал", new=True)
    assert "инструкция.docx" in summary["text"] and "learningapps" not in summary["text"]
    # a useful link without a link is refused at Submit, and the summary is offered again
    await press(fake_api, AUTHOR, summary, "Отправить на проверку", "нужна ссылка")
    summary = await fake_api.wait_for_message(AUTHOR, "Проверьте материал", edits=False)
    kinds = await press(fake_api, AUTHOR, summary, "🗂 Тип", "Какой это материал")
    summary = await press(fake_api, AUTHOR, kinds, "Методический", "Проверьте материал", new=True)
    await press(fake_api, AUTHOR, summary, "Отправить на проверку", "отправлен на проверку")
    (material,) = await _materials(harness)
    assert (material.title, material.kind, material.url) == (
        "Тренажёры LearningApps",
        MaterialKind.METHODOLOGICAL,
        None,
    )
    del title


async def test_every_check_of_the_form_says_what_is_wrong(harness, fake_api):
    await reviewers_world(harness, fake_api)
    files = await open_form(fake_api, AUTHOR)
    await press(fake_api, AUTHOR, files, "Готово", "Сначала пришлите хотя бы один файл")
    for send, expect in (
        (lambda: fake_api.user_sends_sticker(AUTHOR), "Стикер нельзя положить в копилку"),
        (lambda: fake_api.user_sends_voice(AUTHOR), "Голосовое сообщение нельзя"),
        (lambda: fake_api.user_sends(AUTHOR, "resh.edu.ru"), "«resh.edu.ru» — не ссылка"),
        (lambda: fake_api.user_sends(AUTHOR, "ftp://files.ru/a.pdf"), "— не ссылка"),
        (
            lambda: fake_api.user_sends_document(AUTHOR, "фильм.avi", b"x", size=60 * MB),
            "Файл весит 60 МБ, а можно не больше 50 МБ",
        ),
    ):
        send()
        await fake_api.wait_for_message(AUTHOR, expect)
        await fake_api.wait_for_message(AUTHOR, "Пришлите материал")  # asked again
    photos = [fake_api.user_sends_photo(AUTHOR, album="ten") for _ in range(10)]
    ten = await fake_api.wait_for_message(AUTHOR, "10 файлов")
    fake_api.user_sends_photo(AUTHOR)
    await fake_api.wait_for_message(AUTHOR, "не больше 10 файлов")
    fake_api.user_resends(AUTHOR, photos[3]["message"])  # the same file again
    await fake_api.wait_for_message(AUTHOR, "уже добавлен")
    title = await press(fake_api, AUTHOR, ten, "Готово", "Как называется")
    await say(fake_api, AUTHOR, "  ab ", "название длиной от 3 до 200 символов")
    kind = await say(fake_api, AUTHOR, "Лучшие работы конкурса", "Какой это материал")
    subject = await press(fake_api, AUTHOR, kind, "ЦОР", "По какому предмету")
    grades = await press(fake_api, AUTHOR, subject, "Информатика", "Для каких классов")
    await say(fake_api, AUTHOR, "12", "от 1 до 11")
    await say(fake_api, AUTHOR, "9-7", "от 1 до 11")
    description = await say(fake_api, AUTHOR, "7–9 класс", "свой опыт")
    await say(fake_api, AUTHOR, "я" * 2001, "не длиннее 2000 символов")
    tags = await say(fake_api, AUTHOR, "Удобно", "Теги")
    await say(fake_api, AUTHOR, ", ".join(f"тег{n}" for n in range(11)), "Не больше 10 тегов")
    summary = await say(fake_api, AUTHOR, "информатика", "Проверьте материал", new=True)
    await press(fake_api, AUTHOR, summary, "Отправить на проверку", "нужна ссылка")
    summary = await fake_api.wait_for_message(AUTHOR, "Проверьте материал", edits=False)
    files = await press(fake_api, AUTHOR, summary, "Файлы и ссылка", "10 файлов")
    summary = await say(fake_api, AUTHOR, "https://code.org", "🔗")
    summary = await press(fake_api, AUTHOR, summary, "Готово", "Проверьте материал", new=True)
    await press(fake_api, AUTHOR, summary, "Отправить на проверку", "не меньше 20 символов")
    assert await _materials(harness) == []
    del title, grades, description, tags, files


async def test_a_half_filled_form_survives_a_crash(harness, fake_api):
    await reviewers_world(harness, fake_api)
    await open_form(fake_api, AUTHOR)
    fake_api.user_sends_document(AUTHOR, "программа.docx", b"PK\x03\x04 programme")
    added = await fake_api.wait_for_message(AUTHOR, "программа.docx")
    await press(fake_api, AUTHOR, added, "Готово", "Как называется")
    kind = await say(fake_api, AUTHOR, "Рабочая программа по физике", "Какой это материал")
    await harness.crash()
    await harness.start()
    subject = await press(fake_api, AUTHOR, kind, "Рабочая программа", "По какому предмету")
    grades = await press(fake_api, AUTHOR, subject, "Физика", "Для каких классов")
    description = await say(fake_api, AUTHOR, "7-9", "Коротко опишите")
    tags = await press(fake_api, AUTHOR, description, "Без описания", "Теги")
    summary = await say(fake_api, AUTHOR, "физика, ФГОС", "Проверьте материал", new=True)
    assert "программа.docx" in summary["text"] and "Физика · 7–9 классы" in summary["text"]
    await press(fake_api, AUTHOR, summary, "Отправить на проверку", "отправлен на проверку")
    (material,) = await _materials(harness)
    assert material.kind is MaterialKind.WORK_PROGRAMME and material.tags == "физика, фгос"
    del grades, tags


async def test_the_author_sees_and_withdraws_their_materials(harness, fake_api):
    await reviewers_world(harness, fake_api)
    await submit_link(fake_api, AUTHOR, "Сайт учителя химии", url="https://chem-school.ru")
    menu = await say(fake_api, AUTHOR, "/upload", "Методическая копилка")
    assert "🔍" not in str(menu["reply_markup"])  # not a reviewer
    mine = await press(fake_api, AUTHOR, menu, "Мои материалы (1)", "Мои материалы")
    assert "⏳ ждёт проверки — «Сайт учителя химии»" in mine["text"]
    card = await press(fake_api, AUTHOR, mine, "Сайт учителя химии", "ждёт проверки")
    question = await press(fake_api, AUTHOR, card, "Отозвать", "уйдёт из очереди")
    await press(fake_api, AUTHOR, question, "Да, отозвать", "отозван")
    (material,) = await _materials(harness)
    assert material.status is MaterialStatus.WITHDRAWN
    menu = await say(fake_api, AUTHOR, "/upload", "Методическая копилка")
    mine = await press(fake_api, AUTHOR, menu, "Мои материалы (0)", "пока не делились")
    del mine


async def test_a_teacher_outside_associations_is_told_to_join_one(harness, fake_api):
    fake_api.add_user(STRANGER, "Ольга")
    async with unit_of_work(harness.sessions) as session:
        await make_teacher(session, STRANGER, full_name="Смирнова Ольга Петровна")
    menu = await say(fake_api, STRANGER, "/upload", "Методическая копилка")
    fake_api.user_presses(STRANGER, menu, button(menu, "Новый материал"))
    await fake_api.wait_for(lambda: fake_api.calls_of("answerCallbackQuery"))
    alert = fake_api.calls_of("answerCallbackQuery")[-1].params
    assert "вступите в одно из них" in alert["text"] and alert["show_alert"] is True
    await say(fake_api, STRANGER, "/upload https://resh.edu.ru", "вступите в одно из них")
    await say(fake_api, STRANGER, "/upload resh", "«resh» — не ссылка")
