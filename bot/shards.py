"""Handling updates in several processes (`WORKERS` > 1).

One process of Python handles about 80 updates a second on one core (bench/README.md):
past that the event loop is busy, not waiting. With `WORKERS=N` the process started by
`python -m bot run` still receives every update (polling or webhook), stores it and runs
the outbox and the scheduled jobs; it handles the updates of shard 0 itself and hands the
others to N−1 child processes (`python -m bot shard K`), one JSON line per update on the
child's standard input. The shard of an update is its chat (or, without a chat, its
user) modulo N, so one chat is always handled by one process, in order.

A child that dies is started again and given the updates of its shard that were stored
but not handled: the processor's "handled" mark, committed with the handler's writes,
makes each update count once. A child writes `wake` on its standard output after a
transaction that added to the outbox, so the delivery worker in the first process looks
at once rather than at its next idle poll.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, Update

from bot.inbox import unhandled
from bot.processor import ordering_key
from bot.settings import Settings

log = logging.getLogger(__name__)

SETTINGS_VARIABLE = "VMO_SHARD_SETTINGS"
READY = b"READY"
WAKE = b"wake"
RESTART_DELAY = 1.0
STOP_TIMEOUT = 10.0


def shard_of(update: object, count: int) -> int:
    """Which of `count` processes handles this update (0 is the receiving process)."""
    key = ordering_key(update)
    if count <= 1 or key is None:
        return 0
    chat_id, user_id = key
    anchor = chat_id if chat_id is not None else user_id
    return abs(anchor or 0) % count


class ShardProcess:
    """One child process handling the updates of one shard."""

    def __init__(self, index: int, settings: Settings, on_wake: Callable[[], None]) -> None:
        self.index = index
        self.settings = settings
        self.on_wake = on_wake
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        environment = dict(os.environ)
        environment[SETTINGS_VARIABLE] = self.settings.model_dump_json()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "shard",
            str(self.index),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=environment,
        )
        assert self.process.stdout is not None
        while (line := await self.process.stdout.readline()) and not line.startswith(READY):
            pass
        if not line:
            raise RuntimeError(
                f"shard {self.index} did not start (exit code {self.process.returncode})"
            )
        self._reader = asyncio.create_task(self._read_signals(), name=f"shard-{self.index}-signals")
        log.info("shard %d started (pid %d)", self.index, self.process.pid)

    async def _read_signals(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        while line := await self.process.stdout.readline():
            if line.strip() == WAKE:
                self.on_wake()

    def send(self, update: Update) -> bool:
        """Queue the update for the child (synchronously, so arrival order is kept)."""
        process = self.process
        if process is None or process.stdin is None or process.returncode is not None:
            return False
        if process.stdin.is_closing():
            return False
        process.stdin.write(json.dumps(update.to_dict()).encode() + b"\n")
        return True

    async def drain(self) -> None:
        process = self.process
        if process is not None and process.stdin is not None and not process.stdin.is_closing():
            try:
                await process.stdin.drain()
            except (ConnectionError, BrokenPipeError):
                log.warning("shard %d is gone; its updates wait for its restart", self.index)

    async def wait(self) -> int:
        assert self.process is not None
        return await self.process.wait()

    async def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.stdin is not None and not process.stdin.is_closing():
            process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            log.warning("shard %d did not stop in %s s; killed", self.index, STOP_TIMEOUT)
            process.kill()
            await process.wait()
        if self._reader is not None:
            self._reader.cancel()


class ShardRouter:
    """In the receiving process: keeps the children running and hands them their updates."""

    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        bot: Bot,
        on_wake: Callable[[], None],
    ) -> None:
        self.count = settings.workers
        self.settings = settings
        self.sessions = sessions
        self.bot = bot
        self.children = {
            index: ShardProcess(index, settings, on_wake) for index in range(1, self.count)
        }
        self.forwarded = 0
        self._stopping = False
        self._watchers: list[asyncio.Task[None]] = []

    def owner(self, update: object) -> int:
        return shard_of(update, self.count)

    async def start(self) -> None:
        await asyncio.gather(*(child.start() for child in self.children.values()))
        self._watchers = [
            asyncio.create_task(self._watch(child), name=f"shard-{child.index}-watch")
            for child in self.children.values()
        ]

    async def forward(self, update: Update) -> None:
        child = self.children[self.owner(update)]
        if child.send(update):
            self.forwarded += 1
            await child.drain()
        else:
            log.warning("shard %d is down; update %s waits for it", child.index, update.update_id)

    async def _watch(self, child: ShardProcess) -> None:
        while not self._stopping:
            code = await child.wait()
            if self._stopping:
                return
            log.error("shard %d exited with code %s; starting it again", child.index, code)
            await asyncio.sleep(RESTART_DELAY)
            try:
                await child.start()
            except (OSError, RuntimeError):
                log.exception("shard %d could not be started again", child.index)
                continue
            await self._replay(child)

    async def _replay(self, child: ShardProcess) -> None:
        """Hand a restarted child what its shard had stored and not handled."""
        waiting = [
            u for u in await unhandled(self.sessions, self.bot) if self.owner(u) == child.index
        ]
        for update in waiting:
            child.send(update)
        await child.drain()
        if waiting:
            log.info(
                "shard %d: %d unhandled update(s) handed over again", child.index, len(waiting)
            )

    async def stop(self) -> None:
        self._stopping = True
        for watcher in self._watchers:
            watcher.cancel()
        await asyncio.gather(*(child.stop() for child in self.children.values()))
