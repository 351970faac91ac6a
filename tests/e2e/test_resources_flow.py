"""/resources end to end: the menu (Upload for all, Review for reviewers), the catalogue's
pages and filters, a card and Get (a document, a link, a gallery album) counted as views
and downloads, search by Russian word forms, the weekly digest once, forged presses."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from models import ActivityEvent, MemberRole, User
from models.db import unit_of_work
from models.resources import Material
from scheduler import jobs
from services.clock import set_clock
from tests.factories import add_member, make_association, make_material, make_teacher
from tests.flows import button, press, say

LEADER = 772_001
MEMBER = 772_002
QUIET = 772_003  # has switched the digest off
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # a Wednesday


async def _world(harness, fake_api) -> dict[str, int]:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    for telegram_id, name in ((LEADER, "Анна"), (MEMBER, "Иван"), (QUIET, "Мария")):
        fake_api.add_user(telegram_id, name)
    document = fake_api.world.files.add(b"%PDF-1.4", "Дроби.pdf", "application/pdf", "document")
    photos = [fake_api.world.files.add(b"jpg", None, "image/jpeg", "photo") for _ in range(3)]
    ids: dict[str, int] = {}
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Иванова Анна Петровна")
        club = await make_association(session, leader=leader)
        member = await make_teacher(session, MEMBER, full_name="Петров Иван Сергеевич")
        quiet = await make_teacher(session, QUIET, materials_digest_enabled=False)
        await add_member(session, club, member)
        await add_member(session, club, quiet, role=MemberRole.MEMBER)
        for n in range(20):
            await make_material(
                session, title=f"Задачи на движение, часть {n + 1}", association=club, author=member
            )
        lesson = await make_material(
            session,
            title="Дроби в 5 классе",
            kind="presentation",
            association=club,
            author=member,
            file_ids=[document.file_id],
            grades=(5, 5),
        )
        link = await make_material(
            session,
            title="Онлайн-тренажёр устного счёта",
            kind="link",
            url="https://example.org/trainer",
            association=club,
        )
        gallery = await make_material(
            session,
            title="Рисунки к задачам",
            kind="gallery",
            association=club,
            file_ids=[p.file_id for p in photos],
        )
        await make_material(session, title="Черновик", status="pending", association=club)
        ids.update(lesson=lesson.id, link=link.id, gallery=gallery.id)
    return ids


async def test_menu_pages_filters_card_and_get(harness, fake_api):
    ids = await _world(harness, fake_api)
    menu = await say(fake_api, MEMBER, "/resources", "Методическая копилка")
    assert button(menu, "Загрузить материал") == "upl1:new"
    assert not any(
        "Экспертиза" in b["text"] for row in menu["reply_markup"]["inline_keyboard"] for b in row
    )
    leaders_menu = await say(fake_api, LEADER, "/resources", "Методическая копилка")
    assert button(leaders_menu, "Экспертиза (1)") == "upl1:queue"

    first = await press(fake_api, MEMBER, menu, "Новые материалы", "23 материала. Страница 1 из 3")
    second = await press(fake_api, MEMBER, first, "Дальше", "Страница 2 из 3")
    third = await press(fake_api, MEMBER, second, "Дальше", "Страница 3 из 3")
    assert (
        sum(1 for row in third["reply_markup"]["inline_keyboard"] if "Задачи" in row[0]["text"])
        == 7
    )
    await press(fake_api, MEMBER, third, "Назад", "Страница 2 из 3")

    types = await press(fake_api, MEMBER, first, "Тип", "какого типа")
    presentations = await press(fake_api, MEMBER, types, "Презентация", "1 материал")
    card = await press(fake_api, MEMBER, presentations, "Дроби в 5 классе", "👁 1 · ⬇️ 0")
    assert "5 класс" in card["text"] and "Петров И. С." in card["text"]
    fake_api.user_presses(MEMBER, card, button(card, "Скачать"))
    sent = await fake_api.wait_for(
        lambda: [c for c in fake_api.calls_of("sendDocument") if c.params["chat_id"] == MEMBER]
    )
    assert sent[-1].params["document"].startswith("BQACAgIAAxDOC")

    link_card = await _open(harness, fake_api, ids["link"])
    await press(fake_api, MEMBER, link_card, "Получить ссылку", "https://example.org/trainer")
    gallery_card = await _open(harness, fake_api, ids["gallery"])
    fake_api.user_presses(MEMBER, gallery_card, button(gallery_card, "Скачать"))
    album = await fake_api.wait_for(lambda: fake_api.calls_of("sendMediaGroup"))
    assert len(album[-1].params["media"]) == 3

    await harness.idle()
    async with harness.sessions() as session:
        lesson = await session.get(Material, ids["lesson"])
        assert (lesson.views, lesson.downloads) == (1, 1)
        events = await session.scalar(
            select(func.count())
            .select_from(ActivityEvent)
            .where(ActivityEvent.kind == "material_downloaded")
        )
        assert events == 3


async def _open(harness, fake_api, material_id: int) -> dict:  # type: ignore[no-untyped-def]
    listing = await say(fake_api, MEMBER, "/resources", "Методическая копилка")
    forged = {
        **listing,
        "reply_markup": {
            "inline_keyboard": [[{"text": "x", "callback_data": f"res1:card:{material_id}"}]]
        },
    }
    fake_api.world.chat(MEMBER).messages[listing["message_id"]] = forged
    return await press(fake_api, MEMBER, forged, "x", "👁")


async def test_search_by_word_forms_and_a_forged_press(harness, fake_api):
    await _world(harness, fake_api)
    found = await say(fake_api, MEMBER, "/resources дробь", "найден 1 материал")
    assert button(found, "Дроби в 5 классе").startswith("res1:card:")
    menu = await say(fake_api, MEMBER, "/resources", "Методическая копилка")
    await press(fake_api, MEMBER, menu, "Поиск по словам", "Какие слова")
    results = await say(fake_api, MEMBER, "задачи движения", "найдено 20 материалов")
    assert "сузить поиск" in results["text"]
    await say(fake_api, MEMBER, "/resources география", "ничего не нашлось")
    await say(fake_api, MEMBER, "/resources черновик", "ничего не нашлось")  # not approved

    forged = {
        **menu,
        "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": "res1:card:999999"}]]},
    }
    fake_api.world.chat(MEMBER).messages[menu["message_id"]] = forged
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(MEMBER, forged, "res1:card:999999")
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    assert fake_api.calls_of("answerCallbackQuery")[-1].params.get("text")


async def test_the_weekly_digest_goes_once_to_those_who_want_it(harness, fake_api):
    await _world(harness, fake_api)
    set_clock(lambda: datetime(2026, 12, 7, 7, 30, tzinfo=UTC))  # Monday 10:30 in Moscow
    await jobs.runner_of(harness.app).renew()
    for _ in range(2):
        await jobs.run_now(harness.app, "materials-digest")
    await harness.idle(0.1)
    await harness.app.bot_data["outbox"].drain()
    digest = await fake_api.wait_for_message(MEMBER, "Новое в методической копилке")
    assert "одобрено 23 материала" in digest["text"] and "…и ещё 13" in digest["text"]
    texts = [m.get("text", "") for m in fake_api.sent_to(MEMBER)]
    assert sum("Новое в методической копилке" in t for t in texts) == 1
    assert not any("Новое в методической" in (m.get("text") or "") for m in fake_api.sent_to(QUIET))

    await press(fake_api, MEMBER, digest, "Не присылать", "больше не будет приходить")
    await harness.idle()
    async with harness.sessions() as session:
        user = await session.scalar(select(User).where(User.telegram_id == MEMBER))
        assert user.materials_digest_enabled is False
