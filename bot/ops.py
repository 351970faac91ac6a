"""Operations from the command line: `python -m bot check` and `python -m bot backup PATH`.

`check` says in plain words what stops the bot from working: the settings, the database
and its schema, Telegram's Bot API, and the bot's rights in each bound group. `backup`
makes a consistent copy of the SQLite database while the bot runs (SQLite's online
backup), which a plain file copy of a database in WAL mode is not.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from models import Association, AssociationStatus
from models.db import create_engine, create_session_factory
from models.migrate import current_revisions, head_revisions
from services.associations import missing_rights


@dataclass(frozen=True, slots=True)
class Finding:
    ok: bool
    subject: str
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.subject}: {self.detail}"


def _settings_findings(settings: Settings) -> list[Finding]:
    found = []
    if not settings.bot_token.strip():
        found.append(Finding(False, "BOT_TOKEN", "not set (see README: Creating the bot)"))
    elif ":" not in settings.bot_token:
        found.append(Finding(False, "BOT_TOKEN", "does not look like 123456789:AAE…"))
    else:
        found.append(Finding(True, "BOT_TOKEN", "set"))
    if settings.webhook_url and not settings.webhook_secret:
        found.append(Finding(False, "WEBHOOK_SECRET", "must be set with WEBHOOK_URL"))
    if settings.webhook_url and not settings.webhook_url.startswith("https://"):
        found.append(Finding(False, "WEBHOOK_URL", "Telegram only calls https:// addresses"))
    return found + _web_findings(settings)


def _web_findings(settings: Settings) -> list[Finding]:
    """The public verification page: served, and reachable where the QR codes point."""
    if settings.web_port is None:
        if settings.web_base_url:
            return [
                Finding(
                    False,
                    "WEB_BASE_URL",
                    "set without WEB_PORT: no page is served, QR codes open the bot instead",
                )
            ]
        return []
    taken = {"METRICS_PORT": settings.metrics_port}
    if settings.webhook_url:
        taken["WEBHOOK_PORT"] = settings.webhook_port
    for name, port in taken.items():
        if port == settings.web_port:
            return [Finding(False, "WEB_PORT", f"{port} is also {name}: give each its own port")]
    if not settings.web_base_url:
        return [
            Finding(
                False,
                "WEB_BASE_URL",
                f"not set: the page is served on port {settings.web_port}, but QR codes "
                "open the bot; set the page's public address (https://…)",
            )
        ]
    found = [Finding(True, "WEB_BASE_URL", f"QR codes point to {settings.web_base_url}/verify/…")]
    if not settings.web_base_url.startswith("https://"):
        found.append(
            Finding(False, "WEB_BASE_URL", "not https://: phones may warn that the page is unsafe")
        )
    return found


async def _database_findings(engine: AsyncEngine) -> list[Finding]:
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver's error: the point is to say it plainly
        return [Finding(False, "database", f"cannot connect: {error}")]
    found = [Finding(True, "database", f"connected ({engine.url.get_backend_name()})")]
    current, heads = await current_revisions(engine), head_revisions()
    if current == heads:
        found.append(Finding(True, "schema", f"at {', '.join(sorted(heads))}"))
    else:
        have = ", ".join(sorted(current)) or "empty"
        found.append(
            Finding(
                False,
                "schema",
                f"at {have}, this version needs {', '.join(sorted(heads))}: "
                "run `python -m bot migrate`",
            )
        )
    return found


async def _call(http: aiohttp.ClientSession, settings: Settings, method: str, **params: Any) -> Any:
    url = f"{settings.bot_api_base_url}{settings.bot_token}/{method}"
    async with http.post(url, json=params) as response:
        body = await response.json(content_type=None)
    if not body.get("ok"):
        raise RuntimeError(body.get("description", f"HTTP {response.status}"))
    return body["result"]


async def _bound_groups(engine: AsyncEngine) -> list[Association]:
    async with create_session_factory(engine)() as session:
        rows = await session.scalars(
            select(Association)
            .where(Association.chat_id.is_not(None), Association.status == AssociationStatus.ACTIVE)
            .order_by(Association.id)
        )
        return list(rows.all())


async def _group_findings(
    http: aiohttp.ClientSession, settings: Settings, bot_id: int, groups: list[Association]
) -> list[Finding]:
    found = []
    for association in groups:
        subject = f"group of «{association.name}» ({association.chat_id})"
        try:
            member = await _call(
                http, settings, "getChatMember", chat_id=association.chat_id, user_id=bot_id
            )
        except RuntimeError as error:
            found.append(Finding(False, subject, f"cannot read the bot's rights: {error}"))
            continue
        missing = missing_rights(
            member,
            is_admin=member.get("status") in ("administrator", "creator"),
            is_forum=association.chat_is_forum,
        )
        if member.get("status") not in ("administrator", "creator"):
            found.append(Finding(False, subject, "the bot is not an administrator there"))
        elif missing:
            found.append(Finding(False, subject, "missing rights: " + ", ".join(missing)))
        else:
            found.append(Finding(True, subject, "the bot has every right it needs"))
    return found


async def _telegram_findings(settings: Settings, engine: AsyncEngine | None) -> list[Finding]:
    timeout = aiohttp.ClientTimeout(total=15)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        try:
            me = await _call(http, settings, "getMe")
        except (aiohttp.ClientError, TimeoutError, RuntimeError, json.JSONDecodeError) as error:
            return [Finding(False, "Bot API", f"{settings.bot_api_base_url} answers: {error}")]
        found = [Finding(True, "Bot API", f"reachable, the bot is @{me.get('username')}")]
        if engine is not None:
            found += await _group_findings(http, settings, me["id"], await _bound_groups(engine))
        return found


async def check(settings: Settings) -> list[Finding]:
    """Everything `python -m bot check` reports, in order."""
    found = _settings_findings(settings)
    engine = create_engine(settings.database_url)
    try:
        database = await _database_findings(engine)
        found += database
        schema_ok = all(f.ok for f in database)
        if settings.bot_token.strip():
            found += await _telegram_findings(settings, engine if schema_ok else None)
    finally:
        await engine.dispose()
    return found


def run_check(settings: Settings) -> int:
    """Print the findings; the exit status is 1 when anything is wrong."""
    found = asyncio.run(check(settings))
    for finding in found:
        print(finding.line())
    failed = sum(1 for f in found if not f.ok)
    print("Everything is in order." if not failed else f"{failed} problem(s) found.")
    return 1 if failed else 0


class BackupError(RuntimeError):
    pass


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise BackupError(
            "backup copies a SQLite database; for PostgreSQL use pg_dump (see README: Backups)"
        )
    return Path(url.database)


def backup(settings: Settings, target: Path) -> Path:
    """A consistent copy of the SQLite database at `target`, taken while the bot may run."""
    source_path = sqlite_path(settings.database_url)
    if not source_path.exists():
        raise BackupError(f"there is no database at {source_path}")
    if target.is_dir():
        target = target / source_path.name
    if target.resolve() == source_path.resolve():
        raise BackupError("the copy must not replace the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    copy = sqlite3.connect(partial)
    try:
        with copy:
            source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()
        source.close()
    partial.replace(target)
    return target
