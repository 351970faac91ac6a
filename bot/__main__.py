"""Command line: `python -m bot [run|worker|migrate|check|backup|archive-files|grant|revoke]`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from pydantic import ValidationError

from bot.observability import setup_logging
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


def _require_token(settings: Settings) -> None:
    if not settings.bot_token.strip():
        sys.stderr.write(NO_TOKEN)
        sys.exit(2)


def _serve_metrics(settings: Settings) -> None:
    if settings.metrics_port:
        from bot.observability import start_metrics_server

        start_metrics_server(settings.metrics_port)


def run(settings: Settings) -> None:
    _require_token(settings)
    from telegram import Update

    from bot.app import build_application

    application = build_application(settings)
    _serve_metrics(settings)
    if settings.webhook_url:
        if not settings.webhook_secret:
            sys.exit(
                "WEBHOOK_SECRET must be set with WEBHOOK_URL: Telegram sends it with every "
                "update and the bot refuses requests without it."
            )
        from bot.webhook import serve

        asyncio.run(serve(application, settings))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


def work(settings: Settings) -> None:
    """`python -m bot worker`: handle stored updates (PostgreSQL; any number, any machine)."""
    _require_token(settings)
    from bot.workers import serve_worker

    _serve_metrics(settings)
    asyncio.run(serve_worker(settings))


def migrate(settings: Settings) -> None:
    from models.migrate import upgrade

    upgrade(settings.database_url)
    print("The database schema is up to date.")


def copy_database(settings: Settings, path: str) -> None:
    from pathlib import Path

    from bot.ops import BackupError, backup

    try:
        written = backup(settings, Path(path))
    except BackupError as error:
        sys.exit(f"Not done: {error}")
    print(f"The database was copied to {written}.")


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


async def _report(
    settings: Settings,
    association_id: int | None,
    start: str,
    end: str,
    network: bool = False,
    anonymous: bool = False,
) -> bytes:
    from datetime import date

    from bot.i18n import translations
    from documents.report import build_network, build_report
    from models.db import create_engine, create_session_factory, unit_of_work
    from services import report
    from services.activity import Period
    from services.offload import offload

    engine = create_engine(settings.database_url)
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            period = None
            if start and end:
                period = Period(date.fromisoformat(start), date.fromisoformat(end))
            if network or association_id is None:
                if period is None:
                    period = Period(*report.academic_year(date.today()), settings.default_timezone)
                summary = await report.gather_network(session, period)
                return await offload(build_network, summary)
            data = await report.gather(
                session,
                association_id,
                period,
                anonymous=anonymous,
                word=translations("ru").gettext,  # built-in survey questions, in Russian
            )
        return await offload(build_report, data)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (default)")
    sub.add_parser("migrate", help="create or upgrade the database schema")
    sub.add_parser("check", help="check settings, database, schema, Bot API and group rights")
    backup = sub.add_parser("backup", help="a consistent copy of the SQLite database")
    backup.add_argument("path", help="the file (or folder) to write the copy to")
    i18n = sub.add_parser("i18n", help="add untranslated strings to locales/*/LC_MESSAGES")
    i18n.add_argument("--domain", default="new", help="the .po file to add to (default new)")
    i18n.add_argument("paths", nargs="*", help="only strings from these files/folders")
    sub.add_parser("worker", help="handle stored updates (PostgreSQL; run as many as needed)")
    sub.add_parser(
        "archive-files",
        help="copy the resource bank's files (up to 20 MB each) into FILES_DIR",
    )
    rep = sub.add_parser("report", help="the annual analytical report of an association (PDF)")
    rep.add_argument("--association", type=int, help="the association's id")
    rep.add_argument("--network", action="store_true", help="the summary of every association")
    rep.add_argument(
        "--anonymous", action="store_true", help="the most and least active without names"
    )
    rep.add_argument("--from", dest="start", default="", help="YYYY-MM-DD")
    rep.add_argument("--to", dest="end", default="", help="YYYY-MM-DD")
    rep.add_argument("-o", dest="output", required=True, help="the PDF file to write")
    for name in ("grant", "revoke"):
        cmd = sub.add_parser(name, help=f"{name} a network role")
        cmd.add_argument("telegram_id", type=int)
        cmd.add_argument("role", help="methodist, approver or expert")
    args = parser.parse_args(argv)
    settings = _settings()
    setup_logging(settings.log_level, settings.log_format)
    if args.command in (None, "run"):
        run(settings)
    elif args.command == "migrate":
        migrate(settings)
    elif args.command == "check":
        from bot.ops import run_check

        sys.exit(run_check(settings))
    elif args.command == "backup":
        copy_database(settings, args.path)
    elif args.command == "worker":
        work(settings)
    elif args.command == "archive-files":
        archive_files(settings)
    elif args.command == "report":
        from pathlib import Path

        from services.errors import DomainError

        if args.association is None and not args.network:
            sys.exit("Give --association ID or --network.")
        try:
            pdf = asyncio.run(
                _report(
                    settings, args.association, args.start, args.end, args.network, args.anonymous
                )
            )
        except (DomainError, ValueError) as error:  # ValueError: a date not as YYYY-MM-DD
            sys.exit(f"Not done: {error}")
        Path(args.output).write_bytes(pdf)
        print(f"The report was written to {args.output}.")
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
