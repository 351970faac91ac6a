"""The process's one set of flood limits, on a clock the test moves."""

from __future__ import annotations

from scheduler.ratelimit import SendLimits

PERSON, OTHER, GROUP = 1001, 1002, -100_1


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _limits(**overrides: float) -> tuple[SendLimits, Clock]:
    clock = Clock()
    return SendLimits(clock=clock, **overrides), clock  # type: ignore[arg-type]


def test_a_429_pauses_only_its_chat() -> None:
    limits, clock = _limits()
    limits.pause_chat(PERSON, 3)
    assert limits.chat_pause_wait(PERSON) == 3
    assert limits.chat_pause_wait(OTHER) == 0
    assert limits.reply_wait(OTHER) == 0
    clock.now += 3
    assert limits.chat_pause_wait(PERSON) == 0


def test_a_second_chat_told_to_wait_meanwhile_pauses_everything() -> None:
    limits, clock = _limits()
    limits.pause_chat(PERSON, 3)
    clock.now += 1
    limits.pause_chat(OTHER, 2)
    assert limits.chat_pause_wait(GROUP) == 2
    assert limits.pause_wait() == 2
    # Once the first pause is over, a new 429 is again one chat's.
    clock.now += 5
    limits.pause_chat(PERSON, 1)
    assert limits.pause_wait() == 0


def test_booked_replies_queue_behind_each_other_at_the_overall_pace() -> None:
    limits, _ = _limits(rate=20.0, catch_up=0)
    waits = []
    for person in range(1, 6):
        waits.append(round(limits.book(person), 3))
    assert waits == [0.0, 0.05, 0.1, 0.15, 0.2]


def test_a_paused_chat_does_not_hold_the_overall_queue() -> None:
    limits, _ = _limits(rate=20.0, catch_up=0)
    limits.pause_chat(PERSON, 5)
    assert limits.ready_wait(PERSON) == 5
    assert limits.reply_wait(PERSON) == 5
    assert limits.book(OTHER) == 0  # nothing was booked for the paused chat


def test_a_group_gets_twenty_a_minute_from_replies_and_the_outbox_together() -> None:
    limits, clock = _limits(rate=1000.0)
    for _ in range(10):
        limits.record_chat_send(GROUP)  # the outbox
    for _ in range(10):
        limits.book(GROUP)  # replies
    assert limits.chat_wait(GROUP) == 60
    assert limits.ready_wait(GROUP) == 60
    clock.now += 60
    assert limits.reply_wait(GROUP) == 0


def test_a_direct_reply_spaces_the_outbox_to_that_person() -> None:
    limits, _ = _limits(private_interval=1.0)
    limits.book(PERSON)
    assert limits.chat_wait(PERSON) == 1.0
    # Replies themselves are not spaced: Telegram tolerates a short burst.
    assert limits.reply_wait(PERSON) < 0.1
