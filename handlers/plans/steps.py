"""The one question of /plan's dialogs that has no generic shape: «when?»."""

from __future__ import annotations

from datetime import date

from bot.dialogs import Dialog, Then, Turn, cleaned_answer
from services import plans as service

When = tuple[int, int, date | None]


def when_step(dialog: Dialog, name: str, *, prompt: str, then: Then) -> None:
    """A month or a date, read in the dialog's academic year (`academic_year`) and kept
    under `when`; an unreadable answer is explained and asked again."""

    async def ask(turn: Turn) -> None:
        await turn.say(turn.t.gettext(prompt))

    async def on_text(turn: Turn, text: str) -> None:
        year = turn.data["academic_year"]

        def clean(answer: str) -> list[object]:
            found_year, month, on = service.parse_when(answer, year)
            return [found_year, month, on.isoformat() if on else None]

        await cleaned_answer("when", clean, then)(turn, text)

    dialog.step(name, ask=ask, on_text=on_text)


def when_of(turn: Turn) -> When:
    """The answer of a `when_step`."""
    year, month, on = turn.data["when"]
    return year, month, date.fromisoformat(on) if on else None
