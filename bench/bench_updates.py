"""Update throughput and latency: ``python bench/bench_updates.py [--users 200] [--rounds 1]``.

Runs the real Application (``bot.app.build_application``) against the fake Bot API server with
50 ms added to every API call, a fresh database (SQLite in a temp dir, or ``--database-url``)
and N simulated users who all act at once:

- ~80 % are registered teachers (created directly in the database) using the menu: a burst of
  ``/menu``, ``/help``, ``/profile``, then the menu's buttons (Settings, back to the menu, Help);
- ~20 % are new people registering: ``/start``, consent, name and organisation sent together,
  position, subject, «Done», experience, category, municipality, «Save».

Each user waits for the bot's answer to their previous step (a burst of updates counts as one
step), so updates of one chat are in flight together and order matters (the organisation sent
right after the name must not be taken for the name). Latency of an update = from pushing it
into the fake server to the bot's answer to it (the last visible reply its handler makes,
recorded by the fake server). Per-chat order is checked on those answers: each answer must come
after the answer to the same user's previous update.

Two modes, same workload, same process:
  (a) sequential: one update at a time (``CONCURRENT_UPDATES=1``), which is what PTB's default
      ``concurrent_updates(False)`` does to throughput; our unit of work still runs (the
      handlers need its session), so the difference is only concurrency;
  (b) ours: ``OrderedUpdateProcessor`` with ``CONCURRENT_UPDATES`` from settings.

Users all start at once (a closed workload: throughput is the bot's capacity, latency mostly
queueing), or with ``--rate R`` they arrive at random (a Poisson process) so as to offer R
updates/s: an open workload, the way Telegram delivers people's updates. Offered/s counts the
pushes over the time they took; handled/s the pushes over the time until the last answer.

Prints a Markdown table. The target for (b): >= 250 updates/s offered and handled (open
workload), p95 < 300 ms, order kept.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import json
import logging
import os
import random
import resource
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bench.echo_bot import start_echo_bot, stop_echo_bot
from bot.settings import load_settings
from handlers.meetings.buttons import Going
from models import ReceivedUpdate
from models.db import create_engine, create_session_factory
from models.meetings import Meeting
from models.migrate import upgrade_async
from models.polls import Poll
from models.user import User
from services.clock import now
from tests.factories import add_member, make_association, make_teacher
from tests.fakebot import FakeBotApi
from tests.fakebot.server import Call
from tests.flows import button
from tests.harness import ADMIN_ID, BotHarness

PR_SET_PDEATHSIG = 1  # linux/prctl.h
LATENCY = 0.05
ANSWER_METHODS = frozenset({"sendMessage", "editMessageText"})
TEACHER_BASE = 500_000
LEADER_ID = 499_999
BENCH_GROUP_ID = -1_000_500_000
NEWCOMER_BASE = 600_000


# --- the fake server, recording answers per chat -------------------------------------------
class BenchApi(FakeBotApi):
    """The fake server, also filing each answer (sendMessage / editMessageText) by chat."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.answers: dict[int, list[Call]] = defaultdict(list)
        self._answer_events: dict[int, asyncio.Event] = {}

    def _record(self, call: Call, response: dict[str, Any], status: int) -> None:
        super()._record(call, response, status)
        chat_id = call.params.get("chat_id")
        if call.method == "answerCallbackQuery" and call.ok:  # a toast: filed with its text
            query = self.ctx.callback_queries.get(str(call.params.get("callback_query_id")))
            chat_id = query["message"]["chat"]["id"] if query else None
            toast = {"text": call.params.get("text", "")}
            call = replace(call, response={"ok": True, "result": toast})
        if (call.method in ANSWER_METHODS or call.method == "answerCallbackQuery") and isinstance(
            chat_id, int
        ):
            self.answers[chat_id].append(call)
            event = self._answer_events.pop(chat_id, None)
            if event is not None:
                event.set()

    async def next_answer(self, chat_id: int, deadline: float) -> bool:
        """Wait until a new answer is filed for ``chat_id``; False when the deadline passed."""
        event = self._answer_events.setdefault(chat_id, asyncio.Event())
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            await asyncio.wait_for(event.wait(), remaining)
        except TimeoutError:
            return False
        return True


# --- the workload ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    """What the user does, and the text of the bot's answer that completes it."""

    name: str
    expect: str  # substring of the answer (sendMessage / editMessageText) ending the update
    text: str | None = None  # the user writes this...
    press: tuple[str, str] | None = None  # ...or presses (answer of action `name`, label)
    vote: bool = False  # ...or answers the association's poll: nothing comes back to wait for


Step = list[Action]  # pushed at once; the user waits for all answers before the next step

MENU_ROUND: list[Step] = [
    [
        Action("menu", "Main menu", text="/menu"),
        Action("help", "What you can do here", text="/help"),
        Action("profile", "Your profile", text="/profile"),
    ],
    [Action("settings", "Newsletters are", press=("menu", "Settings"))],
    [Action("home", "Main menu", press=("settings", "Menu"))],
    [Action("help2", "What you can do here", press=("home", "Help"))],
]

# The resource bank's search, with the words typed after the command (`--search`).
SEARCH_ROUND: list[Step] = [
    [Action("bank", "The resource bank", text="/resources")],
    [Action("find", "дроби»", text="/resources дроби")],
]

# A member's part in the association (`--mixed`): the poll's answer (`poll_answer`, silent),
# then «Will attend» under the meeting's invitation (answered by a toast, answerCallbackQuery).
MIXED_ROUND: list[Step] = [
    [Action("vote", "", vote=True)],
    [Action("rsvp", "you will attend", press=("invitation", "Will attend"))],
]
BENCH_POLL_ID = "bench-poll"

REGISTRATION: list[Step] = [
    [Action("start", "Consent to the processing", text="/start")],
    [Action("consent", "full name", press=("start", "I agree"))],
    [
        Action("name", "Where do you work", text="Ivanova Anna Petrovna"),
        Action("org", "Choose your position", text="MBOU Secondary School No. 5"),
    ],
    [Action("position", "Which subjects", press=("org", "Teacher"))],
    [Action("subject", "Chosen:", press=("position", "Mathematics"))],
    [Action("done", "How many full years", press=("subject", "Done"))],
    [Action("experience", "qualification category", text="7")],
    [Action("category", "Which municipality", press=("experience", "First category"))],
    [Action("municipality", "Please check your details", text="Tver")],
    [Action("save", "Main menu", press=("municipality", "Save"))],
]


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    by_action: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    pushed: int = 0
    order_violations: int = 0
    missing: int = 0
    missing_examples: list[str] = field(default_factory=list)
    first_push: float = float("inf")
    last_push: float = 0.0
    last_answer: float = 0.0


async def run_user(
    api: BenchApi,
    user_id: int,
    steps: list[Step],
    stats: Stats,
    wait_seconds: float,
    think: float = 0.0,
    arrives: float = 0.0,
    given: dict[str, dict[str, Any]] | None = None,
) -> None:
    if arrives:  # open workload: the user turns up at this offset from the start
        await asyncio.sleep(arrives)
    # action name -> the bot's answer (a message); `given`: messages the user already has
    answers: dict[str, dict[str, Any]] = dict(given or {})
    chat = api.world.chat(user_id)
    last_index = -1  # position in api.answers[user_id] of this user's previous answer
    pause = random.Random(user_id)
    for step in steps:
        if think:  # a person reads the answer before the next step (0.5x to 1.5x `think`)
            await asyncio.sleep(think * pause.uniform(0.5, 1.5))
        pushed: list[tuple[Action, float]] = []
        for action in step:
            if action.vote:
                api.user_answers_poll(user_id, {"poll": {"id": BENCH_POLL_ID}}, [0])
                stats.pushed += 1
                continue
            if action.press is not None:
                source, label = action.press
                if source not in answers:
                    stats.missing += 1  # nothing to press: an earlier answer never came
                    return
                message = chat.messages[answers[source]["message_id"]]
                started = time.monotonic()
                update = api.user_presses(user_id, message, button(message, label))
            else:
                started = time.monotonic()
                update = api.user_sends(user_id, action.text or "")
            if TRACE is not None:
                TRACE.marks[update["update_id"]]["push"] = started
            stats.pushed += 1
            stats.first_push = min(stats.first_push, started)
            stats.last_push = max(stats.last_push, started)
            pushed.append((action, started))
        claimed: set[int] = set()
        scan_from = last_index + 1
        for action, started in pushed:
            deadline = time.monotonic() + wait_seconds
            found: int | None = None
            while found is None:
                log = api.answers[user_id]
                for index in range(scan_from, len(log)):
                    call = log[index]
                    if index in claimed or call.time < started or not call.ok:
                        continue
                    if action.expect in (call.result or {}).get("text", ""):
                        found = index
                        break
                if found is None and not await api.next_answer(user_id, deadline):
                    break
            if found is None:
                stats.missing += 1
                if len(stats.missing_examples) < 3:
                    seen = [(c.method, (c.result or {}).get("text", "")[:60]) for c in log]
                    stats.missing_examples.append(f"{user_id} {action.name}: {seen}")
                return
            claimed.add(found)
            call = api.answers[user_id][found]
            if found < last_index:
                stats.order_violations += 1
            last_index = max(last_index, found)
            answers[action.name] = call.result
            stats.latencies.append(call.time - started)
            stats.by_action[action.name].append(call.time - started)
            stats.last_answer = max(stats.last_answer, call.time)


# --- optional trace: where an update's time goes --------------------------------------------
class Trace:
    """Timestamps per update id along the flow (push, fetched, processor, unit of work)."""

    def __init__(self) -> None:
        self.marks: dict[int, dict[str, float]] = defaultdict(dict)
        self.commits: list[float] = []
        self.http: list[float] = []
        self.connects: list[float] = []
        self.scopes: list[float] = []
        self.gates: list[float] = []
        self._undo: list[Callable[[], None]] = []

    def mark(self, update_id: int, what: str) -> None:
        self.marks[update_id].setdefault(what, time.monotonic())

    def install(self) -> None:
        from sqlalchemy.ext.asyncio import AsyncSession

        from bot import processor
        from bot.inbox import InboxBot

        trace = self
        get_updates = InboxBot.get_updates
        do_process = processor.OrderedUpdateProcessor.do_process_update
        unit = processor.OrderedUpdateProcessor._in_unit_of_work
        commit = AsyncSession.commit

        async def traced_get_updates(bot: Any, *a: Any, **kw: Any) -> Any:
            updates = await get_updates(bot, *a, **kw)
            for update in updates:
                trace.mark(update.update_id, "fetched")
            return updates

        async def traced_do_process(proc: Any, update: Any, coroutine: Any) -> None:
            trace.mark(update.update_id, "processor")
            await do_process(proc, update, coroutine)
            trace.mark(update.update_id, "done")

        async def traced_unit(proc: Any, update: Any, coroutine: Any) -> None:
            trace.mark(update.update_id, "unit")
            return await unit(proc, update, coroutine)

        async def traced_commit(session: Any) -> None:
            started = time.monotonic()
            await commit(session)
            trace.commits.append(time.monotonic() - started)

        from bot.request import AiohttpRequest

        do_request = AiohttpRequest.do_request
        connection = AsyncSession.connection

        async def traced_do_request(request: Any, url: str, *a: Any, **kw: Any) -> Any:
            started = time.monotonic()
            try:
                return await do_request(request, url, *a, **kw)
            finally:
                if not url.endswith("getUpdates"):
                    trace.http.append(time.monotonic() - started)

        async def traced_connection(session: Any, *a: Any, **kw: Any) -> Any:
            started = time.monotonic()
            try:
                return await connection(session, *a, **kw)
            finally:
                trace.connects.append(time.monotonic() - started)

        open_scope = processor.OrderedUpdateProcessor._open_scope
        gate = processor.write_gate

        async def traced_open_scope(proc: Any, *a: Any, **kw: Any) -> Any:
            started = time.monotonic()
            try:
                return await open_scope(proc, *a, **kw)
            finally:
                trace.scopes.append(time.monotonic() - started)

        @contextlib.asynccontextmanager
        async def traced_gate(session: Any) -> Any:
            started = time.monotonic()
            try:
                async with gate(session):
                    yield
            finally:
                trace.gates.append(time.monotonic() - started)

        processor.OrderedUpdateProcessor._open_scope = traced_open_scope  # type: ignore[method-assign]
        processor.write_gate = traced_gate  # type: ignore[assignment]
        AiohttpRequest.do_request = traced_do_request  # type: ignore[method-assign]
        AsyncSession.connection = traced_connection  # type: ignore[method-assign]
        InboxBot.get_updates = traced_get_updates  # type: ignore[method-assign]
        processor.OrderedUpdateProcessor.do_process_update = traced_do_process  # type: ignore[method-assign]
        processor.OrderedUpdateProcessor._in_unit_of_work = traced_unit  # type: ignore[method-assign]
        AsyncSession.commit = traced_commit  # type: ignore[method-assign]
        self._undo = [
            lambda: setattr(InboxBot, "get_updates", get_updates),
            lambda: setattr(processor.OrderedUpdateProcessor, "do_process_update", do_process),
            lambda: setattr(processor.OrderedUpdateProcessor, "_in_unit_of_work", unit),
            lambda: setattr(AsyncSession, "commit", commit),
            lambda: setattr(AiohttpRequest, "do_request", do_request),
            lambda: setattr(AsyncSession, "connection", connection),
            lambda: setattr(processor.OrderedUpdateProcessor, "_open_scope", open_scope),
            lambda: setattr(processor, "write_gate", gate),
        ]

    def uninstall(self) -> None:
        for undo in self._undo:
            undo()

    def summary(self) -> str:
        stages = [
            ("push->fetched", "push", "fetched"),
            ("fetched->processor", "fetched", "processor"),
            ("order lock+slot wait", "processor", "unit"),
            ("unit of work", "unit", "done"),
        ]
        parts = []
        for label, a, b in stages:
            values = sorted(m[b] - m[a] for m in self.marks.values() if a in m and b in m)
            if values:
                parts.append(
                    f"{label}: p50 {statistics.median(values) * 1000:.0f} ms, "
                    f"p95 {values[int(0.95 * len(values))] * 1000:.0f} ms"
                )
        for label, values in (
            ("commit", self.commits),
            ("API call", self.http),
            ("session.connection()", self.connects),
            ("person read (open scope)", self.scopes),
            ("handled mark + commit, gate included", self.gates),
        ):
            if values:
                values = sorted(values)
                parts.append(
                    f"{label}: p50 {statistics.median(values) * 1000:.1f} ms, "
                    f"p95 {values[int(0.95 * len(values))] * 1000:.1f} ms"
                )
        return "; ".join(parts)


TRACE: Trace | None = None


async def child_main(args: argparse.Namespace) -> None:
    """The bot alone in this process (the fake server and the users run in the parent)."""
    global TRACE
    settings = load_settings(_env_file=None, **json.loads(args.child))
    errors = _ErrorCounter()
    logging.getLogger().addHandler(errors)
    if args.echo:
        await _echo_child(args, settings, errors)
        return
    if args.trace:
        TRACE = Trace()
        TRACE.install()
    engine_kwargs = {"pool_size": args.db_pool, "max_overflow": 0} if args.db_pool else {}
    harness = BotHarness(None, settings, engine_kwargs)  # type: ignore[arg-type]
    app = await harness.start()
    if args.no_limits:  # the bot's own pacing off too: what is left is its CPU
        app.bot.request.limits = None  # type: ignore[attr-defined]
    workers = await spawn_workers(json.loads(args.child), args.workers, paced=not args.no_limits)
    print("READY", flush=True)
    cpu_start = time.process_time()
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    report = {
        "cpu": time.process_time() - cpu_start,
        "errors": errors.count,
        "first_error": errors.first,
        "trace": TRACE.summary() if TRACE else "",
    }
    await stop_workers(workers)
    await harness.stop()
    # The update workers (`python -m bot worker`) have exited and been waited for by now.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    report["cpu_workers"] = children.ru_utime + children.ru_stime
    # Peak resident memory (Linux: KiB): this process, and the largest of its workers.
    report["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report["peak_worker_mb"] = children.ru_maxrss / 1024 if workers else 0
    print("REPORT " + json.dumps(report), flush=True)


async def _echo_child(args: argparse.Namespace, settings: Any, errors: _ErrorCounter) -> None:
    """The yardstick (bench/echo_bot.py) in the bot's place: same report, no database."""
    application = await start_echo_bot(
        settings.bot_token,
        settings.bot_api_base_url,
        settings.bot_api_base_file_url,
        aiohttp=args.echo == "aiohttp",
    )
    print("READY", flush=True)
    cpu_start = time.process_time()
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    cpu = time.process_time() - cpu_start
    await stop_echo_bot(application)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {"cpu": cpu, "errors": errors.count, "first_error": errors.first, "peak_mb": peak_mb}
    print("REPORT " + json.dumps(report), flush=True)


async def spawn_workers(
    values: dict[str, Any], count: int, *, paced: bool = True
) -> list[asyncio.subprocess.Process]:
    """`count` update workers on the bot's database (PostgreSQL), started and listening."""
    if values.get("handle_updates", True) or count < 1:
        return []
    env = {**os.environ, **{name.upper(): _env_value(v) for name, v in values.items()}}
    env["AUTO_MIGRATE"] = "false"
    # Unpaced (`--no-limits`): the worker without the bot's own flood pacing.
    command = ["-m", "bot", "worker"] if paced else [str(ROOT / "bench" / "unlimited_worker.py")]
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            *command,
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        for _ in range(count)
    ]
    await asyncio.sleep(3.0)  # their imports and first claim (a cold start, not measured)
    return workers


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGTERM when the bench's bot process dies, so a
    killed or crashed run leaves no worker claiming updates from the next run's database."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _env_value(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value).lower() if isinstance(value, bool) else str(value)


async def stop_workers(workers: list[asyncio.subprocess.Process]) -> None:
    for process in workers:
        process.terminate()
    for process in workers:
        await process.wait()


class BotProcess:
    """The real Application in a child process: it gets its own core, as against Telegram."""

    def __init__(self, values: dict[str, Any], args: argparse.Namespace) -> None:
        self.values = values
        self.args = args
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        command = [sys.executable, __file__, "--child", json.dumps(self.values)]
        command += ["--db-pool", str(self.args.db_pool), "--workers", str(self.args.workers)]
        command += ["--trace"] if self.args.trace else []
        command += ["--no-limits"] if self.args.no_limits else []
        command += ["--echo", self.args.echo] if self.args.echo else []
        self.proc = await asyncio.create_subprocess_exec(
            *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        assert self.proc.stdout is not None
        while (line := await self.proc.stdout.readline()) and not line.startswith(b"READY"):
            pass
        if not line:
            raise RuntimeError("the bot process did not start")

    async def stop(self) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(b"stop\n")
        await self.proc.stdin.drain()
        report: dict[str, Any] = {}
        while line := await self.proc.stdout.readline():
            if line.startswith(b"REPORT "):
                report = json.loads(line[len(b"REPORT ") :])
        await self.proc.wait()
        return report


# --- one mode --------------------------------------------------------------------------------
@dataclass
class Result:
    mode: str
    updates: int
    offered: float
    per_second: float
    p50_ms: float
    p95_ms: float
    order_violations: int
    errors: int
    notes: str
    cpu_ms: float | None = None  # the bot process's CPU per update (it runs alone)


class _ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.first is None:
            self.first = record.getMessage()[:120]
            if record.exc_info and record.exc_info[1] is not None:
                self.first += f" -> {record.exc_info[1]!r}"[:300]


async def _prepare_database(url: str, teachers: list[int], mixed: bool = False) -> int | None:
    """A fresh schema with the teachers; `mixed`: their association, a meeting, an open poll.

    Returns the meeting's id when `mixed`."""
    engine = create_engine(url)
    try:
        if not url.startswith("sqlite"):
            async with engine.begin() as connection:  # a clean schema for each mode
                await connection.execute(text("DROP SCHEMA public CASCADE"))
                await connection.execute(text("CREATE SCHEMA public"))
        await upgrade_async(engine)
        sessions = create_session_factory(engine)
        async with sessions() as session:
            people = [
                await make_teacher(session, telegram_id, language="en", telegram_language="en")
                for telegram_id in teachers
            ]
            meeting_id = await _association_of(session, people) if mixed else None
            await session.commit()
            return meeting_id
    finally:
        await engine.dispose()


async def _association_of(session: AsyncSession, people: list[User]) -> int:
    """Everyone in one association with a meeting next week and an open named poll."""
    leader = await make_teacher(session, LEADER_ID, language="en", telegram_language="en")
    association = await make_association(session, leader=leader, chat_id=BENCH_GROUP_ID)
    for person in people:
        await add_member(session, association, person)
    soon = now() + timedelta(days=7)
    meeting = Meeting(
        association_id=association.id,
        number=1,
        academic_year=soon.year if soon.month >= 9 else soon.year - 1,
        topic="Функциональная грамотность",
        form="online",
        starts_at=soon,
        link="https://meet.example.ru/vmo",
        created_by_user_id=leader.id,
    )
    session.add(meeting)
    session.add(
        Poll(
            association_id=association.id,
            author_user_id=leader.id,
            question="Удобное время встречи?",
            options=["15:00", "16:00"],
            is_anonymous=False,
            allows_multiple=False,
            closes_at=soon,
            chat_id=BENCH_GROUP_ID,
            message_id=1,
            telegram_poll_id=BENCH_POLL_ID,
            totals=[0, 0],
        )
    )
    await session.flush()
    return meeting.id


def invitation(api: BenchApi, user_id: int, meeting_id: int) -> dict[str, Any]:
    """The meeting's invitation with its answer buttons, as the bot had sent it before."""
    chat = api.world.chat(user_id)
    keyboard = [[{"text": "✅ Will attend", "callback_data": Going(meeting_id).data()}]]
    return api.world.add_message(
        chat,
        api.world.bot,
        {"text": "Invitation to the meeting", "reply_markup": {"inline_keyboard": keyboard}},
    )


async def _handled_count(url: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return int(
                await connection.scalar(
                    select(func.count()).where(ReceivedUpdate.handled_at.is_not(None))
                )
                or 0
            )
    finally:
        await engine.dispose()


def arrival_offsets(scripts: dict[int, list[Step]], rate: float) -> dict[int, float]:
    """When each user turns up: all at once, or (``rate`` > 0) as a Poisson process.

    Users arrive in random order at the rate that offers ``rate`` updates per second on
    average; each then goes through its steps as fast as the bot answers (plus ``--think``).
    """
    if rate <= 0:
        return dict.fromkeys(scripts, 0.0)
    updates = sum(len(step) for steps in scripts.values() for step in steps)
    users_per_second = rate * len(scripts) / updates
    draw = random.Random(2026)
    order = list(scripts)
    draw.shuffle(order)
    offsets, moment = {}, 0.0
    for uid in order:
        offsets[uid] = moment
        moment += draw.expovariate(users_per_second)
    return offsets


async def run_mode(mode: str, in_flight: int | None, args: argparse.Namespace) -> Result:
    """One workload against the bot (or, with `args.echo`, the plain PTB echo bot)."""
    global TRACE
    users = args.users
    newcomers = max(1, round(users * args.newcomers)) if args.newcomers > 0 else 0
    teachers = [TEACHER_BASE + i for i in range(users - newcomers)]
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        meeting_id = await _prepare_database(url, teachers, args.mixed)
        api = BenchApi(latency=args.latency, enforce_limits=not args.no_limits)
        await api.start()
        values: dict[str, Any] = {
            "bot_token": api.token,
            "database_url": url,
            "bot_api_base_url": api.base_url,
            "bot_api_base_file_url": api.base_file_url,
            "admin_ids": [ADMIN_ID],
            "default_language": "ru",
            "outbox_rate_per_second": 30,
            "outbox_private_interval": 0.0,
            "admin_alert_interval": 0,
            "log_level": "WARNING",
        }
        if in_flight is not None:
            values["concurrent_updates"] = in_flight
        if in_flight != 1 and args.workers:
            values["handle_updates"] = False
        for telegram_id in teachers:
            api.add_user(telegram_id, first_name="Anna", language_code="en")
        errors = _ErrorCounter()
        logging.getLogger().addHandler(errors)
        bot_report: dict[str, Any] = {}
        harness: BotHarness | None = None
        in_process_workers: list[asyncio.subprocess.Process] = []
        process: BotProcess | None = None
        try:
            if args.in_process:
                engine_kwargs = (
                    {"pool_size": args.db_pool, "max_overflow": 0} if args.db_pool else {}
                )
                harness = BotHarness(api, load_settings(_env_file=None, **values), engine_kwargs)
                app = await harness.start()
                if args.no_limits:
                    app.bot.request.limits = None  # type: ignore[attr-defined]
                in_process_workers = await spawn_workers(
                    values, args.workers, paced=not args.no_limits
                )
            else:
                process = BotProcess(values, args)
                await process.start()
            await asyncio.sleep(0.5)
            calls_before, errors_before = len(api.calls), api.stats["errors"]
            if args.trace and args.in_process:
                TRACE = Trace()
                TRACE.install()
            stats = Stats()
            cpu_before = time.process_time()
            round_ = MENU_ROUND + (SEARCH_ROUND if args.search else [])
            round_ += MIXED_ROUND if args.mixed else []
            scripts: dict[int, list[Step]] = {t: round_ * args.rounds for t in teachers}
            given = {
                t: {"invitation": invitation(api, t, meeting_id)} if meeting_id else {}
                for t in teachers
            }
            for n in range(newcomers):
                telegram_id = NEWCOMER_BASE + n
                api.add_user(telegram_id, first_name="Olga", language_code="en")
                scripts[telegram_id] = REGISTRATION[:1] if args.first_contacts else REGISTRATION
            if args.echo:  # the echo bot's answer is the user's own text
                scripts = {
                    uid: [[replace(a, expect=a.text or "") for a in step] for step in steps]
                    for uid, steps in scripts.items()
                }
            arrivals = arrival_offsets(scripts, args.rate)
            await asyncio.gather(
                *(
                    run_user(
                        api,
                        uid,
                        steps,
                        stats,
                        args.timeout,
                        args.think,
                        arrivals[uid],
                        given.get(uid),
                    )
                    for uid, steps in scripts.items()
                )
            )
            cpu = time.process_time() - cpu_before
            await asyncio.sleep(0.5)  # the last commits
            calls = len(api.calls) - calls_before
            api_errors = api.stats["errors"] - errors_before
        finally:
            if TRACE is not None:
                TRACE.uninstall()
            if harness is not None:
                await stop_workers(in_process_workers)
                await harness.stop()
            if process is not None:
                bot_report = await process.stop()
            await api.stop()
            logging.getLogger().removeHandler(errors)
        # The echo bot keeps no record: what it answered is what it handled.
        handled = stats.pushed - stats.missing if args.echo else await _handled_count(url)
    elapsed = max(stats.last_answer - stats.first_push, 1e-9)
    unhandled = stats.pushed - handled
    latencies = sorted(stats.latencies) or [0.0]
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    logged = errors.count + int(bot_report.get("errors", 0))
    total_errors = api_errors + len(api.violations) + logged + stats.missing + unhandled
    where = "bot+fake+users" if args.in_process else "fake+users"
    notes = (
        f"{elapsed:.1f} s, {calls} API calls ({calls / elapsed:.0f}/s), "
        f"CPU: {where} {cpu / elapsed:.0%} of a core"
    )
    if bot_report:
        notes += f", bot process {bot_report['cpu'] / elapsed:.0%}"
        if bot_report.get("cpu_workers"):
            notes += f", its worker processes {bot_report['cpu_workers'] / elapsed:.0%}"
        notes += f"; peak memory: bot {bot_report.get('peak_mb', 0):.0f} MB"
        if bot_report.get("peak_worker_mb"):
            notes += f", largest worker {bot_report['peak_worker_mb']:.0f} MB"
    notes += (
        f"; errors: API {api_errors}, spec {len(api.violations)}, logged {logged}, "
        f"unanswered {stats.missing}, not marked handled {unhandled}"
    )
    if bot_report.get("trace"):
        notes += f"\n  trace: {bot_report['trace']}"
    if bot_report.get("first_error"):
        notes += f"; first logged error: {bot_report['first_error']!r}"
    if TRACE is not None:
        notes += f"\n  trace: {TRACE.summary()}"
        TRACE = None
    if args.trace:
        notes += "\n  latency by step (p50/p95 ms): " + ", ".join(
            f"{name} {_percentile(values, 0.5):.0f}/{_percentile(values, 0.95):.0f}"
            for name, values in stats.by_action.items()
        )
    if stats.missing_examples:
        notes += f"; unanswered: {stats.missing_examples}"
    if errors.first:
        notes += f"; first logged error: {errors.first!r}"
    return Result(
        mode=mode,
        updates=stats.pushed,
        offered=stats.pushed / max(stats.last_push - stats.first_push, 1e-9),
        per_second=stats.pushed / elapsed,
        p50_ms=statistics.median(latencies) * 1000,
        p95_ms=p95 * 1000,
        order_violations=stats.order_violations,
        errors=total_errors,
        notes=notes,
        cpu_ms=bot_report["cpu"] * 1000 / max(stats.pushed, 1) if bot_report else None,
    )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def table(results: list[Result]) -> str:
    lines = [
        "| mode | updates | offered/s | handled/s | p50 ms | p95 ms | order violations | errors "
        "| bot CPU per update, ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cpu = f"{r.cpu_ms:.2f}" if r.cpu_ms is not None else "—"
        lines.append(
            f"| {r.mode} | {r.updates} | {r.offered:.1f} | {r.per_second:.1f} | {r.p50_ms:.0f} | "
            f"{r.p95_ms:.0f} | {r.order_violations} | {r.errors} | {cpu} |"
        )
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> None:
    ours = args.concurrent or load_settings(_env_file=None).concurrent_updates
    modes: list[tuple[str, Callable[[], int | None]]] = []
    if "sequential" in args.modes:
        modes.append(("(a) sequential (1 at a time)", lambda: 1))
    if "ours" in args.modes:
        processes = f", {args.workers} update workers" if args.workers else ""
        modes.append(
            (f"(b) ours (OrderedUpdateProcessor, {ours} in flight{processes})", lambda: ours)
        )
    echoes = [
        (e, f"(e) plain PTB echo bot, {e}")
        for e in ("httpx", "aiohttp")
        if f"echo-{e}" in args.modes
    ]
    results = []
    for echo, name in echoes:
        result = await run_mode(name, None, argparse.Namespace(**{**vars(args), "echo": echo}))
        print(f"{name}: {result.notes}", file=sys.stderr, flush=True)
        results.append(result)
    for name, in_flight in modes:
        result = await run_mode(name, in_flight(), args)
        print(f"{name}: {result.notes}", file=sys.stderr, flush=True)
        results.append(result)
    newcomers = max(1, round(args.users * args.newcomers)) if args.newcomers > 0 else 0
    print(
        f"\n{args.users} users ({args.users - newcomers} on the menu x {args.rounds} round(s), "
        f"{newcomers} registering), {args.latency * 1000:.0f} ms per API call, "
        f"database: {'PostgreSQL' if args.database_url else 'SQLite'}"
        + (f", {args.think:g} s to read each answer" if args.think else ", no pause between steps")
        + (
            f", users arriving at random to offer {args.rate:g} updates/s"
            if args.rate
            else ", all users at once"
        )
        + "\n"
    )
    print(table(results))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=1, help="menu rounds per teacher")
    parser.add_argument("--newcomers", type=float, default=0.2, help="share registering")
    parser.add_argument("--latency", type=float, default=LATENCY, help="seconds per API call")
    parser.add_argument("--database-url", default="", help="e.g. postgresql+asyncpg://...")
    parser.add_argument("--concurrent", type=int, default=0, help="override CONCURRENT_UPDATES")
    parser.add_argument(
        "--modes",
        default="sequential,ours",
        help="sequential,ours,echo-httpx,echo-aiohttp (the echo bots: the yardstick)",
    )
    parser.add_argument("--db-pool", type=int, default=0, help="try this engine pool size")
    parser.add_argument("--in-process", action="store_true", help="bot in the bench process")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--echo", default="", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help="print where the time goes")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="mode (b) with HANDLE_UPDATES=false and N `python -m bot worker` (PostgreSQL)",
    )
    parser.add_argument(
        "--think", type=float, default=0.0, help="seconds a user pauses before each step"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="open workload: users arrive at random, offering this many updates/s",
    )
    parser.add_argument("--search", action="store_true", help="teachers also search the bank")
    parser.add_argument(
        "--first-contacts",
        action="store_true",
        help="newcomers only send /start (with --newcomers 1: a burst of first contacts)",
    )
    parser.add_argument(
        "--mixed", action="store_true", help="teachers also answer a poll and a meeting's RSVP"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per answer")
    parser.add_argument(
        "--no-limits",
        action="store_true",
        help="Telegram's flood limits off in the fake server and the bot (measures its capacity)",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.child:  # the bot's errors are counted and the first one is reported
        logging.getLogger().setLevel(logging.WARNING)
    else:
        logging.basicConfig(level=logging.WARNING)
    asyncio.run(child_main(arguments) if arguments.child else main(arguments))
