"""How a poll and its result read, for the group, the author and the /poll screen."""

from __future__ import annotations

from bot.i18n import Html, Translator
from models.polls import Poll, PollStatus
from services.formatting import format_datetime
from services.polls import Result, Tally

BAR = 10  # cells of the bar drawn for each option


def kind_of(t: Translator, *, anonymous: bool, multiple: bool) -> str:
    """«anonymous, one answer» and the like."""
    return t.plain(
        "{secrecy}, {answers}",
        secrecy=t.plain("anonymous") if anonymous else t.plain("named"),
        answers=t.plain("several options") if multiple else t.plain("one option"),
    )


def _bar(share: float) -> str:
    filled = round(share * BAR)
    return "▓" * filled + "░" * (BAR - filled)


def option_lines(t: Translator, poll: Poll, tally: Tally) -> list[str]:
    """One line per option: a bar, the votes and the share of the voters."""
    voters = tally.voters
    lines = []
    for option, votes in zip(poll.options, tally.totals, strict=True):
        share = votes / voters if voters else 0.0
        lines.append(
            t.ngettext(
                "{bar} {option}: {n} vote ({percent}%)",
                "{bar} {option}: {n} votes ({percent}%)",
                votes,
                bar=_bar(share),
                option=option,
                percent=round(share * 100),
            )
        )
    return lines


def answered_line(t: Translator, result: Result) -> str:
    voters = result.tally.voters
    if result.members is None:
        return t.ngettext("{n} person answered.", "{n} people answered.", voters)
    return t.ngettext(
        "{answered} of {n} member answered.",
        "{answered} of {n} members answered.",
        result.members,
        answered=voters,
    )


def result_text(t: Translator, result: Result) -> Html:
    """The result with its heading: final once the poll is closed, so far while open."""
    poll = result.poll
    heading = (
        t.gettext("📊 <b>Poll result: «{question}»</b>", question=poll.question)
        if poll.status is PollStatus.CLOSED
        else t.gettext(
            "📊 <b>«{question}»</b> — open until {when}",
            question=poll.question,
            when=format_datetime(poll.closes_at, result.association.timezone, t.language),
        )
    )
    return Html(
        "\n".join([heading, *option_lines(t, poll, result.tally), answered_line(t, result)])
    )
