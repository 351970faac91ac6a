"""Meetings benchmark: 150 and 200 RSVP presses on one card (its edits through the outbox),
a protocol PDF with 150 present, a plan PDF, a reminder sweep over 1,000 upcoming meetings
(three fresh runs). Prints a table.
Run: .venv/bin/python -m bench.bench_meetings
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import update

from bot.i18n import Translator
from documents import (
    AgendaItem,
    AssociationInfo,
    Decision,
    Person,
    ProtocolData,
    Speech,
    Vote,
    build_protocol,
)
from documents.data import Approval
from documents.plan import PlanData, PlanItem, build_plan
from handlers.meetings.texts import card as card_words
from models import OutboxMessage, OutboxStatus
from models.db import create_engine, create_session_factory, unit_of_work
from models.meetings import Meeting
from models.migrate import upgrade_async
from scheduler.meetings import sweep_reminders
from scheduler.outbox import keyboard
from scheduler.reminders import edit_dirty_cards
from services import meetings as service
from services.clock import set_clock
from services.outbox import Outgoing, enqueue
from tests.delivery import sweep_committed, swept
from tests.factories import add_member, make_association, make_teacher
from tests.fakebot import FakeBotApi
from tests.harness import BotHarness, make_settings

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
START = datetime(2026, 12, 12, 5, 0, tzinfo=UTC)
GROUP = -100_900_001


async def _post_card(harness: BotHarness, meeting: Meeting) -> dict:
    """The meeting's card in the group, recorded as the outbox row that delivered it."""
    async with unit_of_work(harness.sessions) as session:
        meeting = await session.get_one(Meeting, meeting.id)
        text, buttons = card_words(await service.view_of(session, meeting), Translator("ru"))
    card = (
        await harness.app.bot.send_message(
            GROUP, text, reply_markup=keyboard([list(r) for r in buttons])
        )
    ).to_dict()
    async with unit_of_work(harness.sessions) as session:
        key = service.card_key(meeting)
        await enqueue(session, [Outgoing(chat_id=GROUP, text="x", dedupe_key=key)])
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedupe_key == key)
            .values(status=OutboxStatus.SENT, message_id=card["message_id"])
        )
    return card


async def _card_sweep(harness: BotHarness) -> None:
    """The card sweep as the runner runs it: edits into the outbox, the worker woken."""
    await sweep_committed(harness.sessions, edit_dirty_cards)
    harness.app.bot_data["outbox"].wake()


async def bench_rsvp(url: str, presses: int) -> list[tuple[str, str]]:
    """150 members press on one card; past 150 presses, the first ones change their mind."""
    origin = time.monotonic()
    set_clock(lambda: NOW + timedelta(seconds=time.monotonic() - origin))  # a running clock
    async with FakeBotApi() as api:
        harness = BotHarness(api, make_settings(api, url))
        await harness.start()
        try:
            api.add_chat(GROUP, "ВМО")
            async with unit_of_work(harness.sessions) as session:
                leader = await make_teacher(session, 990_000)
                association = await make_association(session, leader=leader, chat_id=GROUP)
                ids = []
                for i in range(150):
                    telegram_id = 991_000 + i
                    api.add_user(telegram_id, f"У{i}")
                    await add_member(session, association, await make_teacher(session, telegram_id))
                    ids.append(telegram_id)
                meeting = Meeting(
                    association_id=association.id,
                    number=1,
                    academic_year=2026,
                    topic="Тема",
                    form="webinar",
                    starts_at=START,
                    duration_minutes=60,
                    link="https://meet.example.ru/x",
                    announced_at=NOW,
                    reminders_done=[],
                )
                session.add(meeting)
            card = await _post_card(harness, meeting)
            labels = ["g", "m", "n"]
            plan = [(user, labels[i % 3]) for i, user in enumerate(ids)]
            plan += [(user, "n") for user in ids[::3][: presses - len(plan)]]
            final = {user: label for user, label in plan}
            before = len(api.calls_of("answerCallbackQuery"))
            edits_before = len(api.calls_of("editMessageText"))
            started = time.perf_counter()
            stop = asyncio.Event()

            async def sweeper() -> None:  # the card sweep, more often than the job queue
                while not stop.is_set():
                    await _card_sweep(harness)
                    await asyncio.sleep(0.25)

            task = asyncio.create_task(sweeper())
            for telegram_id, label in plan:
                api.user_presses(telegram_id, card, f"rsvp:{label}:{meeting.id}")
                await asyncio.sleep(10 / 150 / 4)
            await api.wait_for(
                lambda: len(api.calls_of("answerCallbackQuery")) >= before + len(plan), timeout=60
            )
            answered = time.perf_counter() - started
            await asyncio.sleep(4.5)  # the last window between two edits of one card
            stop.set()
            await task
            await _card_sweep(harness)
            await harness.app.bot_data["outbox"].drain()
            shown = api.world.chat(GROUP).messages[card["message_id"]]["text"]
            edits = [c for c in api.calls_of("editMessageText")[edits_before:] if c.ok]
            counts = {
                name: list(final.values()).count(label)
                for name, label in (("Будут", "g"), ("Возможно", "m"), ("Не смогут", "n"))
            }
            right = all(f"{name}: {n}" in shown for name, n in counts.items())
            spread = edits[-1].time - edits[0].time if len(edits) > 1 else 0.0
            return [
                (f"{len(plan)} RSVP presses answered", f"{answered:.2f} s"),
                (
                    f"card counts right ({'/'.join(str(n) for n in counts.values())})",
                    "yes" if right else "NO",
                ),
                (
                    f"card edits for {len(plan)} presses (outbox)",
                    f"{len(edits)} over {spread:.1f} s",
                ),
            ]
        finally:
            await harness.stop()
            set_clock(None)


def bench_protocol_pdf() -> tuple[str, str]:
    people = [Person(f"Иванова{i} Анна Петровна") for i in range(150)]
    data = ProtocolData(
        association=AssociationInfo(name="ВМО учителей математики", organisation="МБОУ «СОШ № 5»"),
        number=3,
        held_at=START,
        chair=people[0],
        secretary=people[1],
        present=people,
        absent=[Person("Петров Иван Сергеевич")],
        agenda=[
            AgendaItem(
                title=f"Вопрос {i}",
                speakers=["Смирнова Е. В."],
                heard=[Speech("Смирнова Е. В.", "о диагностике")],
                decisions=[Decision("Принять к сведению", vote=Vote(140, 0, 10))],
            )
            for i in range(1, 5)
        ],
    )
    started = time.perf_counter()
    pdf = build_protocol(data)
    elapsed = time.perf_counter() - started
    return ("protocol PDF, 150 present", f"{elapsed:.3f} s ({len(pdf) // 1024} KB)")


def bench_plan_pdf() -> tuple[str, str]:
    months = [(2026, m) for m in range(9, 13)] + [(2027, m) for m in range(1, 6)]
    data = PlanData(
        association=AssociationInfo(
            name="Виртуальное методическое объединение учителей математики",
            organisation="МБОУ «СОШ № 5»",
        ),
        academic_year=2026,
        items=[
            PlanItem(
                topic=f"Функциональная грамотность на уроках математики, часть {i + 1}",
                month=months[i % len(months)],
                form="webinar",
                responsible=("Иванова А. П.", "Петрова О. И."),
                expected_result="Методические рекомендации",
                done_mark="проведено" if i < 6 else "",
            )
            for i in range(27)
        ],
        agreed=Approval(
            "Заместитель директора по УМР", "МБОУ «СОШ № 5»", "Сидорова Мария Ивановна"
        ),
        approved=Approval("Директор", "МБОУ «СОШ № 5»", "Кузнецов Олег Викторович"),
        status="approved",
        leader=Person("Иванова Анна Петровна"),
    )
    started = time.perf_counter()
    pdf = build_plan(data)
    elapsed = time.perf_counter() - started
    return ("plan PDF, 27 items", f"{elapsed:.3f} s ({len(pdf) // 1024} KB)")


async def bench_sweep(url: str) -> tuple[float, int, float, int]:
    set_clock(lambda: NOW)
    engine = create_engine(url)
    await upgrade_async(engine)
    sessions = create_session_factory(engine)
    async with unit_of_work(sessions) as session:
        association = await make_association(session, leader=await make_teacher(session))
        for _ in range(20):
            await add_member(session, association, await make_teacher(session))
        session.add_all(
            Meeting(
                association_id=association.id,
                number=i + 1,
                academic_year=2026,
                topic="Т",
                form="webinar",
                starts_at=NOW + timedelta(hours=1, minutes=i % 40),
                duration_minutes=60,
                link="https://x.ru",
                announced_at=NOW,
                reminders_done=[],
            )
            for i in range(1000)
        )
    started = time.perf_counter()
    async with unit_of_work(sessions) as session:
        added = await swept(session, sweep_reminders)
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    async with unit_of_work(sessions) as session:
        again = await swept(session, sweep_reminders)
    second = time.perf_counter() - started
    await engine.dispose()
    set_clock(None)
    return elapsed, added, second, again


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        rows = []
        for presses in (150, 200):
            url = f"sqlite+aiosqlite:///{Path(folder) / f'rsvp{presses}.db'}"
            rows += await bench_rsvp(url, presses)
        rows.append(bench_protocol_pdf())
        rows.append(bench_plan_pdf())
        runs = [
            await bench_sweep(f"sqlite+aiosqlite:///{Path(folder) / f'sweep{run}.db'}")
            for run in range(3)
        ]
        rows.append(
            (
                "reminder sweep, 1,000 upcoming meetings",
                ", ".join(f"{r[0]:.3f}" for r in runs)
                + f" s, 3 fresh runs ({runs[0][1]} enqueued each); "
                + f"re-run {max(r[2] for r in runs):.3f} s ({runs[0][3]})",
            )
        )
    width = max(len(name) for name, _ in rows)
    print(f"{'measure'.ljust(width)} | result")
    print(f"{'-' * width}-+-{'-' * 40}")
    for name, value in rows:
        print(f"{name.ljust(width)} | {value}")


if __name__ == "__main__":
    asyncio.run(main())
