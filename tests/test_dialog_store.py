"""Open dialogs in the update's session: a miss is remembered, a dialog begun is found."""

from sqlalchemy import event

from services import dialogs


async def test_a_miss_is_asked_once_and_a_begun_dialog_is_found(session, engine) -> None:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        assert await dialogs.load(session, chat_id=1, user_id=2) is None
        assert await dialogs.load(session, chat_id=1, user_id=2) is None
        asked = len(statements)
        await dialogs.begin(session, chat_id=1, user_id=2, dialog="reg", step="name")
        found = await dialogs.load(session, chat_id=1, user_id=2)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)

    assert asked == 1
    assert found is not None and (found.dialog, found.step) == ("reg", "name")
    assert await dialogs.end(session, chat_id=1, user_id=2) is True
