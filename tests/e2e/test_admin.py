"""Platform admins grant and revoke network roles in the bot and from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from models import AuditEntry, NetworkRole, NetworkRoleGrant
from models.db import create_engine, create_session_factory, unit_of_work
from models.migrate import upgrade_async
from tests.factories import make_teacher
from tests.flows import TEACHER, press, register_teacher, say
from tests.harness import ADMIN_ID

ROOT = Path(__file__).resolve().parents[2]


async def test_admin_grants_and_revokes_a_role_in_the_bot(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    await register_teacher(harness, fake_api, ADMIN_ID, name="Соколов Пётр Ильич")
    panel = await say(fake_api, ADMIN_ID, "/admin", "Сетевые роли")
    await press(fake_api, ADMIN_ID, panel, "Назначить роль", "Кому назначить")
    people = await say(fake_api, ADMIN_ID, "иванова", "Выберите человека")
    roles = await press(fake_api, ADMIN_ID, people, "Иванова Анна Петровна", "Какую роль")
    await press(fake_api, ADMIN_ID, roles, "сетевой методист", "назначена роль")
    panel = await fake_api.wait_for_message(ADMIN_ID, "Сетевые роли")
    assert "Иванова Анна Петровна — сетевой методист" in panel["text"]
    await press(fake_api, ADMIN_ID, panel, "✖", "Сетевые роли пока никому")
    await harness.idle()
    async with harness.sessions() as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
        assert await session.scalar(select(NetworkRoleGrant)) is None
    assert "role.granted" in actions and "role.revoked" in actions


async def test_a_teacher_cannot_open_the_admin_panel(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    reply = await say(fake_api, TEACHER, "/admin", "доступно только")
    assert "администраторам платформы" in reply["text"]


async def test_help_lists_only_what_this_person_may_do(harness, fake_api):
    await register_teacher(harness, fake_api, TEACHER)
    await register_teacher(harness, fake_api, ADMIN_ID, name="Соколов Пётр Ильич")
    teacher_help = await say(fake_api, TEACHER, "/help", "Что здесь можно сделать")
    admin_help = await say(fake_api, ADMIN_ID, "/help", "Что здесь можно сделать")
    assert "/admin" not in teacher_help["text"] and "/profile" in teacher_help["text"]
    assert "/admin" in admin_help["text"]


async def test_commands_are_published_per_language_and_scope(harness, fake_api):
    russian = fake_api.commands({"type": "all_private_chats"}, "ru")
    english = fake_api.commands({"type": "all_private_chats"}, "en")
    groups = fake_api.commands({"type": "all_group_chats"}, "ru")
    assert {"command": "profile", "description": "Ваш профиль"} in russian
    assert {"command": "profile", "description": "Your profile"} in english
    assert [c["command"] for c in groups] and "profile" not in [c["command"] for c in groups]
    assert fake_api.commands({"type": "all_chat_administrators"}, "ru")


def _cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "BOT_TOKEN": ""}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_command_line_grant_and_revoke(database_url):
    engine = create_engine(database_url)
    await upgrade_async(engine)
    async with unit_of_work(create_session_factory(engine)) as session:
        await make_teacher(session, 555_001, full_name="Орлова Вера Павловна")
    granted = _cli("grant", "555001", "approver", database_url=database_url)
    assert granted.returncode == 0 and "Орлова Вера Павловна" in granted.stdout
    again = _cli("grant", "555001", "approver", database_url=database_url)
    assert again.returncode == 1 and "already has" in again.stdout
    unknown = _cli("grant", "999", "approver", database_url=database_url)
    assert unknown.returncode == 1
    async with create_session_factory(engine)() as session:
        grant = await session.scalar(select(NetworkRoleGrant))
    assert grant.role is NetworkRole.APPROVER
    revoked = _cli("revoke", "555001", "approver", database_url=database_url)
    assert revoked.returncode == 0
    async with create_session_factory(engine)() as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
    await engine.dispose()
    assert actions.count("role.granted") == 1 and actions.count("role.revoked") == 1


def test_without_a_token_the_bot_explains_how_to_get_one(tmp_path):
    result = _cli("run", database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2
    assert "@BotFather" in result.stderr and ".env" in result.stderr
    assert "Traceback" not in result.stderr
