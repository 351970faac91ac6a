"""Several machines: one receiver stores updates, two `python -m bot worker` processes on
PostgreSQL handle them; a worker killed mid-burst loses nothing, each person's answers stay
in order, and every update is committed once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import DialogState, ReceivedUpdate
from models.db import create_engine, create_session_factory
from tests.flows import button
from tests.harness import BotHarness, make_settings

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["Анна", "Мария", "Ольга", "Ирина", "Елена", "Наталья", "Татьяна", "Светлана"]
PEOPLE = [731_000 + n for n in range(len(NAMES))]
CLAIM_SECONDS = 3


async def _worker(api, database_url: str, log: Path) -> asyncio.subprocess.Process:  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "BOT_TOKEN": api.token,
        "DATABASE_URL": database_url,
        "BOT_API_BASE_URL": api.base_url,
        "BOT_API_BASE_FILE_URL": api.base_file_url,
        "WORKER_CLAIM_SECONDS": str(CLAIM_SECONDS),
        "LOG_LEVEL": "WARNING",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "worker",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=log.open("wb"),
    )


async def _holding_claims(
    receiver: BotHarness, workers: list[asyncio.subprocess.Process]
) -> tuple[asyncio.subprocess.Process, set[int]]:
    """Waits until one of the workers holds a claim (either may take the whole burst:
    the one that finishes an update claims the next at once); that worker and its ids."""
    for _ in range(400):
        async with receiver.sessions() as session:
            rows = await session.execute(
                select(ReceivedUpdate.update_id, ReceivedUpdate.claimed_by).where(
                    ReceivedUpdate.handled_at.is_(None), ReceivedUpdate.claimed_by.is_not(None)
                )
            )
            claims = rows.all()
        for worker in workers:
            held = {update_id for update_id, by in claims if f"-{worker.pid}-" in by}
            if held:
                return worker, held
        await asyncio.sleep(0.025)
    raise AssertionError("no worker ever claimed an update")


async def _until_all_handled(receiver: BotHarness) -> None:
    """The dead worker's claims lapse after CLAIM_SECONDS; the other one finishes them."""
    for _ in range(40 * CLAIM_SECONDS):
        async with receiver.sessions() as session:
            waiting = await session.scalar(
                select(func.count())
                .select_from(ReceivedUpdate)
                .where(ReceivedUpdate.handled_at.is_(None))
            )
        if not waiting:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{waiting} update(s) still waiting")


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        await process.wait()


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)
async def test_two_workers_and_a_killed_one_keep_order_and_lose_nothing(
    fake_api, database_url, tmp_path
):
    settings = make_settings(fake_api, database_url, handle_updates=False)
    receiver = BotHarness(fake_api, settings)
    await receiver.start()  # migrates; stores and delivers, handles nothing itself
    logs = [tmp_path / f"worker{n}.log" for n in range(2)]
    workers = [await _worker(fake_api, database_url, log) for log in logs]
    try:
        for person in PEOPLE:
            fake_api.add_user(person, language_code="ru")
            fake_api.user_sends(person, "/start")
        consents = {
            person: await fake_api.wait_for_message(person, "Согласие", timeout=60)
            for person in PEOPLE
        }
        for person in PEOPLE:
            fake_api.user_presses(person, consents[person], button(consents[person], "✅"))
        for person in PEOPLE:
            await fake_api.wait_for_message(person, "Как вас зовут", timeout=30)
        # Each person sends two answers at once: their order decides where each is kept.
        fake_api.latency = 0.3  # slow answers: updates are in hand when the worker dies
        for n, person in enumerate(PEOPLE):
            fake_api.user_sends(person, f"Кузнецова {NAMES[n]} Ивановна")
            fake_api.user_sends(person, f"СОШ № {n}")
        killed, in_hand = await _holding_claims(receiver, workers)
        killed.send_signal(signal.SIGKILL)  # mid-burst, holding claims
        await killed.wait()
        for person in PEOPLE:
            await fake_api.wait_for_message(person, "должность", timeout=60)
        await _until_all_handled(receiver)
    except AssertionError:
        for log in logs:
            print(log.read_text(errors="replace")[-3000:])
        raise
    finally:
        for process in workers:
            await _stop(process)
        await receiver.stop()

    engine = create_engine(database_url)
    async with create_session_factory(engine)() as session:
        states = {
            s.user_id: s for s in await session.scalars(select(DialogState)) if s.user_id in PEOPLE
        }
        taken_over = await session.scalars(
            select(ReceivedUpdate.handled_at).where(ReceivedUpdate.update_id.in_(in_hand))
        )
        assert all(moment is not None for moment in taken_over.all())
        waiting = await session.scalar(
            select(func.count())
            .select_from(ReceivedUpdate)
            .where(ReceivedUpdate.handled_at.is_(None))
        )
    await engine.dispose()
    assert waiting == 0
    for n, person in enumerate(PEOPLE):
        state = states[person]
        assert state.step == "position", person
        assert state.data["org"] == f"СОШ № {n}", state.data
        assert state.data["name"] == f"Кузнецова {NAMES[n]} Ивановна", state.data
