"""Notices: services record who is told what; one renderer words them per recipient."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.i18n import Translator
from bot.notices import NoticeRenderer, Rendered, renders
from models import OutboxMessage
from models.db import unit_of_work
from services.notices import Notice, tell
from tests.factories import make_teacher


@renders("test.greeting")
def _greeting(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext("Hello, {name}!", name=notice.params["name"]),
        buttons=[[{"text": t.language, "callback": "x:y"}]],
    )


@renders("test.nothing")
def _nothing(t: Translator, notice: Notice) -> None:
    return None


async def _rows(sessions) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def test_each_recipient_reads_it_in_their_language_escaped(sessions) -> None:  # type: ignore[no-untyped-def]
    renderer = NoticeRenderer("ru")
    async with unit_of_work(sessions) as session:
        russian = await make_teacher(session, 1001, language="ru")
        english = await make_teacher(session, 1002, language="en")
        tell(
            session,
            Notice("test.greeting", {"name": "<Аня>"}, user=russian, dedupe_key="g:1"),
            Notice("test.greeting", {"name": "Ann"}, user=english, dedupe_key="g:2"),
            Notice("test.greeting", {"name": "all"}, chat_id=-100500, batch="b"),
            Notice("test.nothing", user=russian),
        )
        assert await renderer.deliver(session) == 3
    rows = await _rows(sessions)
    assert [row.chat_id for row in rows] == [1001, 1002, -100500]
    assert rows[0].payload["text"] == "Hello, &lt;Аня&gt;!"
    assert [row.payload["buttons"][0][0]["text"] for row in rows] == ["ru", "en", "ru"]
    assert rows[2].batch == "b" and rows[0].dedupe_key == "g:1"


async def test_a_forgotten_person_is_not_told(sessions) -> None:  # type: ignore[no-untyped-def]
    async with unit_of_work(sessions) as session:
        person = await make_teacher(session, 1003)
        person.telegram_id = None
        tell(session, Notice("test.greeting", {"name": "x"}, user=person))
        assert await NoticeRenderer("ru").deliver(session) == 0
    assert await _rows(sessions) == []


async def test_a_commit_with_undelivered_notices_is_refused(sessions) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError, match="not delivered"):
        async with unit_of_work(sessions) as session:
            tell(session, Notice("test.greeting", {"name": "x"}, chat_id=-1))


def test_a_notice_has_exactly_one_recipient() -> None:
    with pytest.raises(ValueError, match="exactly one recipient"):
        Notice("test.greeting")


async def test_an_unknown_kind_fails_loudly(sessions) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        tell(session, Notice("test.unknown", chat_id=-1))
        with pytest.raises(LookupError, match="test.unknown"):
            await NoticeRenderer("ru").deliver(session)
