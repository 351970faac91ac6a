"""Command line: `python -m bot [run|migrate|grant|revoke|archive-files]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from pydantic import ValidationError

from bot.settings import Settings, load_settings

NO_TOKEN = """\
BOT_TOKEN is not set, so the bot cannot connect to Telegram.

How to get a token:
  1. Open Telegram and write to @BotFather.
  2. Send /newbot, choose a name and a username ending in "bot".
  3. BotFather answers with a token like 123456789:AAE...; copy it.

Where to put it (either way):
  - in the file .env next to README.md:   BOT_TOKEN=123456789:AAE...
    (copy .env.example to .env to see every setting)
  - or in the environment:                export BOT_TOKEN=123456789:AAE...

Then run the bot again (make run).
"""


def _settings() -> Settings:
    try:
        return load_settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors()
        )
        sys.exit(f"The settings are not valid: {problems}")


def webhook_options(settings: Settings) -> dict[str, object]:
    """Where the webhook server listens and what Telegram is told (with the secret token)."""
    from urllib.parse import urlsplit

    path = urlsplit(settings.webhook_url).path.strip("/") or "telegram"
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": path,
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret,
    }


def run(settings: Settings) -> None:
    if not settings.bot_token.strip():
        sys.stderr.write(NO_TOKEN)
        sys.exit(2)
    from telegram import Update

    from bot.app import build_application

    application = build_application(settings)
    if settings.webhook_url:
        if not settings.webhook_secret:
            sys.exit(
                "WEBHOOK_SECRET must be set with WEBHOOK_URL: Telegram sends it with every "
                "update and the bot refuses requests without it."
            )
        application.run_webhook(**webhook_options(settings), allowed_updates=Update.ALL_TYPES)
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


def migrate(settings: Settings) -> None:
    from models.migrate import upgrade

    upgrade(settings.database_url)
    print("The database schema is up to date.")


async def _change_role(settings: Settings, telegram_id: int, role_name: str, grant: bool) -> str:
    from models import NetworkRole
    from models.db import create_engine, create_session_factory, unit_of_work
    from models.migrate import ensure_schema_current
    from services import users
    from services.access import Actor
    from services.errors import DomainError

    try:
        role = NetworkRole(role_name)
    except ValueError:
        return f"Unknown role {role_name!r}; use one of: {', '.join(r.value for r in NetworkRole)}"
    engine = create_engine(settings.database_url)
    try:
        await ensure_schema_current(engine)
        # The command line acts as a platform administrator (it has the server).
        actor = Actor(telegram_id=0, is_platform_admin=True)
        async with unit_of_work(create_session_factory(engine)) as session:
            change = users.grant_role if grant else users.revoke_role
            user = await change(session, actor=actor, telegram_id=telegram_id, role=role)
        return f"{'Granted' if grant else 'Revoked'} {role.value}: {user.full_name} ({telegram_id})"
    except DomainError as error:
        return f"Not done: {error}"
    finally:
        await engine.dispose()


def archive_files(settings: Settings) -> None:
    from bot.archive import archive_files as archive

    report = asyncio.run(archive(settings))
    print(f"Files of the resource bank in {settings.files_dir}:")
    print("\n".join(report.lines()))
    if report.failed:
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (default)")
    sub.add_parser("migrate", help="create or upgrade the database schema")
    i18n = sub.add_parser("i18n", help="add untranslated strings to locales/*/LC_MESSAGES")
    i18n.add_argument("--domain", default="new", help="the .po file to add to (default new)")
    i18n.add_argument("paths", nargs="*", help="only strings from these files/folders")
    shard = sub.add_parser("shard", help="(started by run when WORKERS > 1) handle one shard")
    shard.add_argument("index", type=int)
    sub.add_parser(
        "archive-files",
        help="copy the resource bank's files (up to 20 MB each) into FILES_DIR",
    )
    for name in ("grant", "revoke"):
        cmd = sub.add_parser(name, help=f"{name} a network role")
        cmd.add_argument("telegram_id", type=int)
        cmd.add_argument("role", help="methodist, approver or expert")
    args = parser.parse_args(argv)
    settings = _settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.command in (None, "run"):
        run(settings)
    elif args.command == "migrate":
        migrate(settings)
    elif args.command == "shard":
        from bot.shard_child import serve_shard

        asyncio.run(serve_shard(args.index))
    elif args.command == "archive-files":
        archive_files(settings)
    elif args.command == "i18n":
        from bot.catalogs import add_missing

        for language, count in add_missing(args.domain, tuple(args.paths)).items():
            print(f"{language}: {count} string(s) without a translation")
    else:
        message = asyncio.run(
            _change_role(settings, args.telegram_id, args.role, args.command == "grant")
        )
        print(message)
        if message.startswith(("Not done", "Unknown")):
            sys.exit(1)


if __name__ == "__main__":
    main()
