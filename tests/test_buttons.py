"""Typed button presses: encoded and decoded in one place; stale and forged data refused."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pytest

from bot.buttons import ButtonTable, Press
from bot.callbacks import parse


class Answer(enum.Enum):
    YES = "y"
    NO = "n"


@dataclass(frozen=True)
class Vote(Press, prefix="tst1", action="vote"):
    meeting_id: int
    answer: Answer
    anonymous: bool
    note: str | None = None


@dataclass(frozen=True)
class Open(Press, prefix="tst1", action="open"):
    item_id: int


def test_a_press_round_trips_through_its_callback_data() -> None:
    press = Vote(42, Answer.NO, True)
    assert press.data() == "tst1:vote:42:n:1:-"
    assert Vote.decode(parse(press.data())) == press  # type: ignore[arg-type]
    assert Vote.decode(parse("tst1:vote:7:y:0:abc")) == Vote(7, Answer.YES, False, "abc")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        "tst1:vote:x:y:0:-",
        "tst1:vote:1:maybe:0:-",
        "tst1:vote:1:y:2:-",
        "tst1:vote:1:y",
        "tst1:open:1",
    ],
)
def test_data_that_does_not_fit_is_refused(data: str) -> None:
    with pytest.raises(ValueError):
        Vote.decode(parse(data))  # type: ignore[arg-type]


def test_a_table_takes_one_route_per_action_of_its_own_prefix() -> None:
    table = ButtonTable("tst1", stale="stale")

    @table.on(Open)
    async def first(update, context, press):  # type: ignore[no-untyped-def]
        return None

    with pytest.raises(ValueError, match="two routes"):
        table.on(Open)(first)

    @dataclass(frozen=True)
    class Foreign(Press, prefix="other", action="x"):
        value: int

    with pytest.raises(ValueError, match="prefix"):
        table.on(Foreign)


def test_data_over_64_bytes_is_refused_when_built() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Vote(1, Answer.YES, False, "x" * 60).data()


def test_a_keyboard_without_buttons_is_none() -> None:
    from bot.keyboards import inline

    assert inline([]) is None and inline([[]]) is None
    keyboard = inline([[("A", "x:a")], []])
    assert keyboard is not None and len(keyboard.inline_keyboard) == 1
