"""`python -m bot check` and `backup`, JSON logs and the metrics an operator reads."""

from __future__ import annotations

import io
import json
import logging
import sqlite3

import pytest
from prometheus_client import REGISTRY, generate_latest
from sqlalchemy import text

from bot import ops
from bot.observability import JsonFormatter, current_update, setup_logging, update_kind
from models.db import create_engine, unit_of_work
from models.migrate import upgrade_async
from tests.factories import make_association, make_teacher
from tests.harness import make_settings

GROUP = -100_990_001
FORUM = -100_990_002


def _lines(found: list[ops.Finding]) -> list[str]:
    return [finding.line() for finding in found]


async def test_check_reports_a_missing_right_and_passes_a_good_group(
    fake_api, sessions, database_url
) -> None:  # type: ignore[no-untyped-def]
    fake_api.add_chat(GROUP, "ВМО математиков", bot_rights={"can_pin_messages": False})
    fake_api.add_chat(FORUM, "ВМО историков", is_forum=True)
    async with unit_of_work(sessions) as session:
        leader = await make_teacher(session)
        await make_association(session, leader=leader, name="ВМО математиков", chat_id=GROUP)
        await make_association(session, name="ВМО историков", chat_id=FORUM, chat_is_forum=True)
    settings = make_settings(fake_api, database_url)

    found = await ops.check(settings)

    lines = _lines(found)
    assert "ok    schema: at " in "\n".join(lines)
    assert any(line.startswith("ok    Bot API: reachable") for line in lines)
    (math,) = [line for line in lines if "ВМО математиков" in line]
    assert math.startswith("FAIL") and "missing rights: pin messages" in math
    (history,) = [line for line in lines if "ВМО историков" in line]
    assert history.startswith("ok") and "every right" in history


async def test_check_reports_a_schema_behind_and_an_unreachable_api(fake_api, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine(url)
    await upgrade_async(engine, "0014")
    await engine.dispose()
    settings = make_settings(fake_api, url, bot_api_base_url="http://127.0.0.1:9/bot")

    lines = _lines(await ops.check(settings))

    (schema,) = [line for line in lines if "schema" in line]
    assert schema.startswith("FAIL") and "at 0014" in schema and "python -m bot migrate" in schema
    (api,) = [line for line in lines if "Bot API" in line]
    assert api.startswith("FAIL") and "127.0.0.1:9" in api


async def test_check_says_a_missing_token_plainly(fake_api, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"
    settings = make_settings(fake_api, url, bot_token="")
    lines = _lines(await ops.check(settings))
    assert lines[0].startswith("FAIL  BOT_TOKEN: not set")
    assert not any("Bot API" in line for line in lines)


async def test_backup_copies_a_live_database_that_opens_and_holds_the_data(
    fake_api, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    engine = create_engine(url)
    await upgrade_async(engine)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO users (telegram_id, full_name, subjects, "
                "newsletters_enabled, materials_digest_enabled, created_at) "
                "VALUES (5, 'Иванова Анна', '[]', 1, 1, '2026-12-01')"
            )
        )
    (tmp_path / "copies").mkdir()
    # The bot keeps its connection open (WAL mode) while the copy is taken.
    async with engine.connect() as held:
        await held.execute(text("SELECT 1"))
        written = ops.backup(make_settings(fake_api, url), tmp_path / "copies")
    await engine.dispose()

    assert written == tmp_path / "copies" / "bot.sqlite3"
    copy = sqlite3.connect(written)
    try:
        assert copy.execute("SELECT full_name FROM users").fetchall() == [("Иванова Анна",)]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        copy.close()


def test_backup_refuses_postgresql_and_itself(fake_api, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pg = make_settings(fake_api, "postgresql+asyncpg://postgres@127.0.0.1/test")
    with pytest.raises(ops.BackupError, match="pg_dump"):
        ops.backup(pg, tmp_path / "x")
    missing = make_settings(fake_api, f"sqlite+aiosqlite:///{tmp_path / 'none.sqlite3'}")
    with pytest.raises(ops.BackupError, match="no database"):
        ops.backup(missing, tmp_path / "copy")


def test_json_logs_carry_the_update_being_handled() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("test.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    token = current_update.set({"update_id": 42, "user_id": 7, "chat_id": 7, "handler": "x"})
    try:
        logger.info("update handled", extra={"fields": {"duration_ms": 12.5}})
    finally:
        current_update.reset(token)
        logger.removeHandler(handler)
    entry = json.loads(stream.getvalue())
    assert entry["message"] == "update handled"
    assert (entry["update_id"], entry["user_id"], entry["handler"]) == (42, 7, "x")
    assert entry["duration_ms"] == 12.5 and entry["level"] == "info"


def test_setup_logging_keeps_text_logs_for_people() -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging("WARNING", "json")
        assert isinstance(root.handlers[0].formatter, JsonFormatter)
        setup_logging("INFO", "text")
        assert not isinstance(root.handlers[0].formatter, JsonFormatter)
        assert root.level == logging.INFO
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])


def _metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_updates_are_counted_and_timed(harness, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.add_user(990_100, "Анна")
    before = _metric("vmo_updates_handled_total", kind="command:/start")
    timed = _metric("vmo_update_seconds_count")

    fake_api.user_sends(990_100, "/start")
    await fake_api.wait_for_message(990_100)
    await harness.idle()

    assert _metric("vmo_updates_handled_total", kind="command:/start") == before + 1
    assert _metric("vmo_update_seconds_count") >= timed + 1
    exposition = generate_latest(REGISTRY).decode()
    for name in ("vmo_outbox_backlog", "vmo_telegram_429_total", "vmo_outbox_delivered_total"):
        assert name in exposition


def test_update_kinds_are_bounded_names() -> None:
    from telegram import Update

    start = Update.de_json(
        {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 5, "type": "private"},
                "from": {"id": 5, "is_bot": False, "first_name": "А"},
                "text": "/start@vmo_bot join_X",
            },
        },
        None,
    )
    press = Update.de_json(
        {
            "update_id": 2,
            "callback_query": {
                "id": "q",
                "chat_instance": "c",
                "from": {"id": 5, "is_bot": False, "first_name": "А"},
                "data": "task1:ok:5",
            },
        },
        None,
    )
    assert update_kind(start) == "command:/start"
    assert update_kind(press) == "button:task1"


def test_the_metrics_endpoint_serves_prometheus_text() -> None:
    import socket
    import urllib.request

    from prometheus_client import CollectorRegistry, Counter

    from bot.observability import start_metrics_server

    registry = CollectorRegistry()
    Counter("vmo_probe_total", "a probe", registry=registry).inc(3)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    start_metrics_server(port, registry)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        body = response.read().decode()
    assert "vmo_probe_total 3.0" in body
