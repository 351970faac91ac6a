"""`python -m bot archive-files`: copies of the resource bank's files in `FILES_DIR`.

A Telegram file id works only for the bot that received the file, so these copies keep
the materials through a change of bot token. Telegram lets a bot download files up to
20 MB: bigger ones are reported, not tried. Run it as often as you like: a file copied
before (and still on disk) is skipped, and each copy is recorded as soon as it is made,
so an interrupted run goes on where it stopped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.settings import Settings
from models.db import create_engine, create_session_factory, unit_of_work
from models.migrate import ensure_schema_current
from services.resources.archive import FileToKeep, files_to_keep, mark_archived

DOWNLOAD_LIMIT = 20 * 1024 * 1024
MEGABYTE = 1024 * 1024
_UNSAFE = re.compile(r"[^\w.\-]+")


@dataclass
class ArchiveReport:
    copied: int = 0
    copied_bytes: int = 0
    already: int = 0
    too_big: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"Copied: {self.copied} file(s), {self.copied_bytes / MEGABYTE:.1f} MB",
            f"Already archived: {self.already}",
            f"Over Telegram's 20 MB download limit, not copied: {len(self.too_big)}",
            *(f"  {item}" for item in self.too_big),
            f"Failed: {len(self.failed)}",
            *(f"  {item}" for item in self.failed),
        ]
        return lines


def _describe(file: FileToKeep) -> str:
    return f"material {file.material_id}, file {file.position + 1} ({file.file_name or file.kind})"


def relative_path(file: FileToKeep, telegram_path: str | None) -> str:
    """`<material id>/<number>-<name>`: readable, and unique within the material."""
    suffix = Path(telegram_path or "").suffix
    name = file.file_name or f"{file.kind.value}-{file.file_unique_id}{suffix}"
    safe = _UNSAFE.sub("_", name).strip("._") or file.file_unique_id
    return f"{file.material_id}/{file.position + 1:02d}-{safe[:150]}"


async def _copy(bot: Bot, file: FileToKeep, root: Path) -> tuple[str, int]:
    """Download one file into `root`; its relative path and size."""
    remote = await bot.get_file(file.telegram_file_id)
    relative = relative_path(file, remote.file_path)
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    await remote.download_to_drive(partial)
    partial.replace(target)  # a copy is whole or absent
    return relative, target.stat().st_size


async def archive_files(settings: Settings, *, bot: Bot | None = None) -> ArchiveReport:
    """Copy every kept file that has no copy on disk yet; a summary of what happened."""
    engine = create_engine(settings.database_url)
    sessions = create_session_factory(engine)
    bot = bot or Bot(
        settings.bot_token,
        base_url=settings.bot_api_base_url,
        base_file_url=settings.bot_api_base_file_url,
    )
    root, report = settings.files_dir, ArchiveReport()
    try:
        await ensure_schema_current(engine)
        async with sessions() as session:
            files = await files_to_keep(session)
        async with bot:
            for file in files:
                await _archive_one(bot, sessions, file, root, report)
    finally:
        await engine.dispose()
    return report


async def _archive_one(
    bot: Bot,
    sessions: async_sessionmaker[AsyncSession],
    file: FileToKeep,
    root: Path,
    report: ArchiveReport,
) -> None:
    if file.archived_path and (root / file.archived_path).is_file():
        report.already += 1
        return
    if file.size is not None and file.size > DOWNLOAD_LIMIT:
        report.too_big.append(f"{_describe(file)}: {file.size / MEGABYTE:.1f} MB")
        return
    try:
        relative, size = await _copy(bot, file, root)
    except BadRequest as error:
        if "too big" in error.message.lower():
            report.too_big.append(f"{_describe(file)}: Telegram says it is too big")
        else:
            report.failed.append(f"{_describe(file)}: {error.message}")
        return
    except (TelegramError, OSError) as error:
        report.failed.append(f"{_describe(file)}: {error}")
        return
    async with unit_of_work(sessions) as session:
        await mark_archived(session, file.file_id, relative)
    report.copied += 1
    report.copied_bytes += size
