"""The resource bank's journeys shared by its end-to-end tests: an association with a leader,
an expert, an author and a plain member; the upload form opened and a link submitted."""

from __future__ import annotations

from typing import Any

from models import Association, MemberRole
from models.db import unit_of_work
from tests.factories import add_member, make_association, make_teacher
from tests.fakebot import FakeBotApi
from tests.flows import press, say
from tests.harness import BotHarness

LEADER = 771_001
AUTHOR = 771_002
EXPERT = 771_003
MEMBER = 771_004
STRANGER = 771_099
GROUP = -100_771_000


async def reviewers_world(harness: BotHarness, fake_api: FakeBotApi) -> Association:
    """«ВМО учителей математики», bound to GROUP: its leader, an expert, an author, a member."""
    people = (
        (LEADER, "Анна", "Иванова Анна Петровна", MemberRole.LEADER),
        (AUTHOR, "Иван", "Петров Иван Сергеевич", MemberRole.MEMBER),
        (EXPERT, "Мария", "Сидорова Мария Ивановна", MemberRole.EXPERT),
        (MEMBER, "Олег", "Кузнецов Олег Викторович", MemberRole.MEMBER),
    )
    fake_api.add_chat(GROUP, "ВМО математиков", members={p[0]: "member" for p in people})
    async with unit_of_work(harness.sessions) as session:
        association = await make_association(session, chat_id=GROUP)
        for telegram_id, first_name, full_name, role in people:
            fake_api.add_user(telegram_id, first_name)
            user = await make_teacher(session, telegram_id, full_name=full_name)
            await add_member(session, association, user, role=role)
    return association


async def drain(harness: BotHarness) -> None:
    """Let the bot commit, then send what waits in the outbox."""
    await harness.idle(0.1)
    assert harness.app is not None
    await harness.app.bot_data["outbox"].drain()


def calls_to(fake_api: FakeBotApi, method: str, chat_id: int) -> int:
    return sum(1 for call in fake_api.calls_of(method) if call.params.get("chat_id") == chat_id)


async def open_form(fake_api: FakeBotApi, user_id: int) -> dict[str, Any]:
    menu = await say(fake_api, user_id, "/upload", "Методическая копилка")
    return await press(fake_api, user_id, menu, "Новый материал", "Пришлите материал")


async def submit_link(
    fake_api: FakeBotApi,
    user_id: int,
    title: str,
    *,
    url: str = "https://resh.edu.ru",
    send: bool = True,
) -> dict[str, Any]:
    """`/upload <url>` → Done → title → «Полезная ссылка», the rest skipped → the summary;
    submitted unless `send` is False. Returns the last message."""
    files = await say(fake_api, user_id, f"/upload {url}", "Пришлите ещё файлы")
    await press(fake_api, user_id, files, "Готово", "Как называется")
    kind = await say(fake_api, user_id, title, "Какой это материал")
    subject = await press(fake_api, user_id, kind, "Полезная ссылка", "По какому предмету")
    grades = await press(fake_api, user_id, subject, "Без привязки к предмету", "классов")
    description = await press(fake_api, user_id, grades, "Без привязки к классам", "опишите")
    tags = await press(fake_api, user_id, description, "Без описания", "Теги")
    summary = await press(fake_api, user_id, tags, "Без тегов", "Проверьте материал", new=True)
    if not send:
        return summary
    return await press(fake_api, user_id, summary, "Отправить на проверку", "на проверку")
