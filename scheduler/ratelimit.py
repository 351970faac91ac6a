"""Telegram's send limits: one object per process, shared by direct replies and the outbox.

Both kinds of message spend the same budgets, so a newsletter running while people talk
to the bot never pushes the bot as a whole past Telegram's limits (bot/request.py books
the direct replies, scheduler/outbox.py its own sends).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class SendLimits:
    """Pacing for the whole bot plus per-chat budgets and 429 pauses.

    - overall: at most `rate` messages per second, evenly spaced; a slot missed by a few
      milliseconds (event-loop jitter, a slow claim) may be caught up, but never more than
      `catch_up` slots early, so any one second holds at most `rate + catch_up` sends, which
      stays within Telegram's 30/s (`catch_up` shrinks to 0 as `rate` approaches 30);
    - a private chat: the outbox sends one message per `private_interval` seconds, counted
      from the chat's last message of either kind. Direct replies are not spaced: Telegram
      tolerates a short burst to a person who is talking to the bot, and a 429 pauses the
      chat (see `pause_chat`);
    - a group: at most `group_per_minute` messages of either kind in any 60 seconds;
    - 429: the scope it came from waits the whole `retry_after` (`pause_chat`, or `pause`
      for everything).

    Overall slots can be booked ahead (`book`): a reply that must wait for the pace holds
    its place, so those who come later queue behind it instead of taking its turn.
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
    _chat_paused_until: dict[int, float] = field(default_factory=dict)

    def now(self) -> float:
        return self.clock()  # type: ignore[operator]

    # 429 pauses ----------------------------------------------------------------------
    def pause(self, seconds: float) -> None:
        """Telegram said 429 to the bot as a whole: hold every send for `retry_after`."""
        self._paused_until = max(self._paused_until, self.now() + seconds)

    def pause_chat(self, chat_id: int, seconds: float) -> None:
        """Telegram said 429 to a message for `chat_id`: that chat waits `seconds`.

        Telegram does not say which limit was hit. One chat told to wait is that chat's
        limit; a second chat told to wait while the first still waits means the bot as a
        whole is over the limit, and then every send waits.
        """
        moment = self.now()
        self._chat_paused_until = {
            chat: until for chat, until in self._chat_paused_until.items() if until > moment
        }
        others = any(chat != chat_id for chat in self._chat_paused_until)
        until = max(self._chat_paused_until.get(chat_id, 0.0), moment + seconds)
        self._chat_paused_until[chat_id] = until
        if others:
            self.pause(seconds)

    def pause_wait(self) -> float:
        """Seconds left of an overall 429 pause (0 when not paused)."""
        return max(0.0, self._paused_until - self.now())

    def chat_pause_wait(self, chat_id: int) -> float:
        """Seconds before anything may be sent to `chat_id` again (either pause)."""
        moment = self.now()
        until = max(self._paused_until, self._chat_paused_until.get(chat_id, 0.0))
        return max(0.0, until - moment)

    # the overall pace ----------------------------------------------------------------
    def global_wait(self) -> float:
        """Seconds until the next message may leave, overall."""
        moment = self.now()
        return max(0.0, self._paused_until - moment, self._next_slot - moment)

    def take_global_slot(self, at: float | None = None) -> None:
        """Spend the slot due at `at` (now by default): the next is one interval later.

        Scheduling from the due time (not from "now") keeps the average at `rate` even
        when each send starts a little late; the lower bound keeps the catch-up bounded.
        """
        moment = self.now() if at is None else at
        interval = 1.0 / self.rate
        allowance = max(0, min(self.catch_up, int(29 - self.rate)))
        earliest = moment - allowance * interval
        self._next_slot = max(self._next_slot, earliest) + interval

    # one chat's budget ---------------------------------------------------------------
    def chat_wait(self, chat_id: int) -> float:
        """Seconds until the outbox may send this chat another message."""
        moment = self.now()
        if chat_id > 0:
            spacing = self._private_next.get(chat_id, 0.0) - moment
            return max(0.0, spacing, self.chat_pause_wait(chat_id))
        return max(self._group_wait(chat_id, moment), self.chat_pause_wait(chat_id))

    def _group_wait(self, chat_id: int, moment: float) -> float:
        sent = self._group_sent.get(chat_id)
        if not sent or len(sent) < self.group_per_minute:
            return 0.0
        return max(0.0, sent[0] + 60.0 - moment)

    def record_chat_send(self, chat_id: int, at: float | None = None) -> None:
        """Count one message to `chat_id`, leaving now or at the booked moment `at`."""
        moment = self.now() if at is None else at
        if chat_id > 0:
            following = moment + self.private_interval
            self._private_next[chat_id] = max(self._private_next.get(chat_id, 0.0), following)
            if len(self._private_next) > 50_000:
                self._forget_old_private(self.now())
            return
        sent = self._group_sent.setdefault(chat_id, deque())
        sent.append(max(moment, sent[-1]) if sent else moment)
        while sent and sent[0] <= self.now() - 60.0:
            sent.popleft()
        while len(sent) > self.group_per_minute:
            sent.popleft()

    def _forget_old_private(self, moment: float) -> None:
        self._private_next = {k: v for k, v in self._private_next.items() if v > moment}

    # direct replies ------------------------------------------------------------------
    def ready_wait(self, chat_id: int) -> float:
        """Seconds until `chat_id` itself may get a direct reply: its pause and, in a
        group, its minute's budget (the overall pace is booked after, see `book`)."""
        wait = self.chat_pause_wait(chat_id)
        if chat_id < 0:
            wait = max(wait, self._group_wait(chat_id, self.now()))
        return wait

    def reply_wait(self, chat_id: int) -> float:
        """About how long a direct reply to `chat_id` would wait: the longer of its chat's
        wait and the queue for the overall pace."""
        return max(self.global_wait(), self.ready_wait(chat_id))

    def book(self, chat_id: int) -> float:
        """Hold the next overall slot for a message to `chat_id` (which may receive now)
        and count it for the chat; returns the seconds until that slot.

        Booked only once the chat is ready, so a chat that must wait never holds the
        overall queue for the others.
        """
        wait = self.global_wait()
        at = self.now() + wait
        self.take_global_slot(at)
        self.record_chat_send(chat_id, at)
        return wait
