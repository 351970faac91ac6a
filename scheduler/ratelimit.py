"""Telegram's send limits, kept in memory by each delivery worker."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class SendLimits:
    """Pacing for the whole bot plus per-chat spacing.

    - overall: at most `rate` messages per second, evenly spaced; a slot missed by a few
      milliseconds (event-loop jitter, a slow claim) may be caught up, but never more than
      `catch_up` slots early, so any one second holds at most `rate + catch_up` sends, which
      stays within Telegram's 30/s (`catch_up` shrinks to 0 as `rate` approaches 30);
    - a private chat: one message per `private_interval` seconds;
    - a group: at most `group_per_minute` messages in any 60 seconds.
    """

    rate: float = 25.0
    private_interval: float = 1.0
    group_per_minute: int = 20
    clock: object = field(default=time.monotonic)
    catch_up: int = 2
    _next_slot: float = 0.0
    _paused_until: float = 0.0
    _private_next: dict[int, float] = field(default_factory=dict)
    _group_sent: dict[int, deque[float]] = field(default_factory=dict)

    def now(self) -> float:
        return self.clock()  # type: ignore[operator]

    def pause(self, seconds: float) -> None:
        """Telegram said 429: hold every send for the whole `retry_after`."""
        self._paused_until = max(self._paused_until, self.now() + seconds)

    def global_wait(self) -> float:
        """Seconds until the next message may leave, overall."""
        moment = self.now()
        return max(0.0, self._paused_until - moment, self._next_slot - moment)

    def pause_wait(self) -> float:
        """Seconds left of a 429 pause (0 when not paused)."""
        return max(0.0, self._paused_until - self.now())

    def take_global_slot(self) -> None:
        """Spend the current slot: the next one is one interval after this one was due.

        Scheduling from the due time (not from "now") keeps the average at `rate` even
        when each send starts a little late; the lower bound keeps the catch-up bounded.
        """
        interval = 1.0 / self.rate
        allowance = max(0, min(self.catch_up, int(29 - self.rate)))
        earliest = self.now() - allowance * interval
        self._next_slot = max(self._next_slot, earliest) + interval

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until this chat may get another message."""
        moment = self.now()
        if chat_id > 0:
            return max(0.0, self._private_next.get(chat_id, 0.0) - moment)
        sent = self._group_sent.get(chat_id)
        if not sent or len(sent) < self.group_per_minute:
            return 0.0
        return max(0.0, sent[0] + 60.0 - moment)

    def record_chat_send(self, chat_id: int) -> None:
        moment = self.now()
        if chat_id > 0:
            self._private_next[chat_id] = moment + self.private_interval
            if len(self._private_next) > 50_000:
                self._forget_old_private(moment)
            return
        sent = self._group_sent.setdefault(chat_id, deque())
        sent.append(moment)
        while sent and sent[0] <= moment - 60.0:
            sent.popleft()
        while len(sent) > self.group_per_minute:
            sent.popleft()

    def _forget_old_private(self, moment: float) -> None:
        self._private_next = {k: v for k, v in self._private_next.items() if v > moment}
