"""Telegram-like flood control, on by default (``enforce_limits``).

Telegram answers 429 with ``retry_after`` beyond about 30 messages a second overall, about
one a second sustained to a private chat (a short burst is tolerated) and 20 a minute to
a group. A simulated person who got an answer reads it before the next step: their chat's
budget refills over ``PERSON_READS`` seconds, as it would while a real person reads
(:meth:`FloodControl.person_read`); someone firing updates without waiting gets no credit.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

GLOBAL_PER_SECOND = 30
PRIVATE_BURST = 5
PRIVATE_PER_SECOND = 1.0
GROUP_PER_MINUTE = 20
PERSON_READS = 2.0


class _Window:
    """At most ``limit`` events in any ``span`` seconds (sliding window)."""

    def __init__(self, limit: int, span: float) -> None:
        self.limit = limit
        self.span = span
        self.events: deque[float] = deque()

    def wait_time(self, at: float) -> float:
        while self.events and self.events[0] <= at - self.span:
            self.events.popleft()
        if len(self.events) < self.limit:
            return 0.0
        return self.events[0] + self.span - at

    def record(self, at: float) -> None:
        self.events.append(at)


class _Bucket:
    """Token bucket: a burst of ``capacity``, refilled at ``rate`` per second."""

    def __init__(self, capacity: float, rate: float, at: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = at

    def wait_time(self, at: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (at - self.updated) * self.rate)
        self.updated = at
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def record(self, at: float) -> None:
        self.tokens -= 1

    def refill(self, seconds: float, at: float) -> None:
        self.wait_time(at)
        self.tokens = min(self.capacity, self.tokens + seconds * self.rate)


class FloodControl:
    """30 messages/s overall, ~1/s per private chat (burst 5), 20/min per group."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._global = _Window(GLOBAL_PER_SECOND, 1.0)
        self._private: dict[int, _Bucket] = {}
        self._groups: dict[int, _Window] = {}

    def check(self, chat_id: int, is_private: bool) -> int | None:
        """Record one message to ``chat_id``; return ``retry_after`` seconds if over a limit."""
        at = self.clock()
        limiter = self._private_bucket(chat_id, at) if is_private else self._group_window(chat_id)
        wait = max(self._global.wait_time(at), limiter.wait_time(at))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._global.record(at)
        limiter.record(at)
        return None

    def person_read(self, chat_id: int, seconds: float = PERSON_READS) -> None:
        """The person in private chat ``chat_id`` read the answer before acting again."""
        at = self.clock()
        self._private_bucket(chat_id, at).refill(seconds, at)

    def _private_bucket(self, chat_id: int, at: float) -> _Bucket:
        bucket = self._private.get(chat_id)
        if bucket is None:
            bucket = self._private[chat_id] = _Bucket(PRIVATE_BURST, PRIVATE_PER_SECOND, at)
        return bucket

    def _group_window(self, chat_id: int) -> _Window:
        window = self._groups.get(chat_id)
        if window is None:
            window = self._groups[chat_id] = _Window(GROUP_PER_MINUTE, 60.0)
        return window
