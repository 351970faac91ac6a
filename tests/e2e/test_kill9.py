"""`python -m bot` killed with SIGKILL mid-registration: nothing answered is asked again."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from models import DialogState
from models.db import create_engine, create_session_factory
from tests.flows import button, press, say

USER = 730_001
ROOT = Path(__file__).resolve().parents[2]


async def _spawn(api, database_url: str) -> asyncio.subprocess.Process:  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "BOT_TOKEN": api.token,
        "DATABASE_URL": database_url,
        "BOT_API_BASE_URL": api.base_url,
        "BOT_API_BASE_FILE_URL": api.base_file_url,
        "OUTBOX_PRIVATE_INTERVAL": "0",
        "LOG_LEVEL": "WARNING",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_kill_9_mid_registration_loses_no_answer(fake_api, database_url):
    fake_api.add_user(USER, language_code="ru")
    process = await _spawn(fake_api, database_url)
    try:
        fake_api.user_sends(USER, "/start")
        # A cold start (imports, migrations) may take a while on a busy machine.
        consent = await fake_api.wait_for_message(USER, "Согласие", timeout=60)
        await press(fake_api, USER, consent, "✅", "Как вас зовут")
        await say(fake_api, USER, "Кузнецова Мария Ивановна", "Где вы работаете")
        fake_api.user_sends(USER, "СОШ № 12")
        await fake_api.wait_for_message(USER, "должность", timeout=10)
        process.send_signal(signal.SIGKILL)
        await process.wait()
        process = await _spawn(fake_api, database_url)
        positions = fake_api.last_message(USER)
        fake_api.user_presses(USER, positions, button(positions, "Учитель"))
        await fake_api.wait_for_message(USER, "предметы", timeout=60)
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
    names_asked = [m for m in fake_api.sent_to(USER) if "Как вас зовут" in (m.get("text") or "")]
    assert len(names_asked) == 1
    engine = create_engine(database_url)
    async with create_session_factory(engine)() as session:
        state = await session.scalar(select(DialogState).where(DialogState.user_id == USER))
    await engine.dispose()
    assert state is not None and state.step == "subjects"
    assert state.data["org"] == "СОШ № 12" and state.data["position"] == "teacher"
