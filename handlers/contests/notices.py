"""How the notices of contests read (services/contests/ records them): the announcement,
opening and the audience vote in the group, the jury's invitation, queue and reminder,
the organiser's results reminder, the results in the group and each participant's place."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from handlers.contests.buttons import Diploma, Manage, Queue, Rules
from handlers.contests.wording import contest_card, progress_text, ranking
from services.contests.cards import ContestCard
from services.contests.results import RankedEntry, Results
from services.formatting import format_date
from services.notices import Notice
from services.outbox import Buttons


def _rules_buttons(t: Translator, card: ContestCard) -> Buttons:
    return [[{"text": t.plain("📜 Contest rules"), "callback": Rules(card.contest_id).data()}]]


@renders("contests.announced")
def announced(t: Translator, notice: Notice) -> Rendered:
    card: ContestCard = notice.params["card"]
    text = t.gettext(
        "📣 A new contest is announced!\n\n{card}\n\nEntries are submitted in a private chat "
        "with the bot: /contest",
        card=contest_card(t, card),
    )
    return Rendered(text)


@renders("contests.opened")
def opened(t: Translator, notice: Notice) -> Rendered:
    card: ContestCard = notice.params["card"]
    text = t.gettext(
        "🟢 Submissions are open!\n\n{card}\n\nSubmit your work in a private chat with the "
        "bot: /contest",
        card=contest_card(t, card),
    )
    return Rendered(text)


@renders("contests.vote_open")
def vote_open(t: Translator, notice: Notice) -> Rendered:
    card: ContestCard = notice.params["card"]
    return Rendered(
        t.gettext(
            "👥 The audience vote of the contest «{title}» is open: choose the work you like "
            "best in a private chat with the bot, /contest. One vote per member; it can be "
            "changed until the results.",
            title=card.title,
        )
    )


@renders("contests.jury")
def jury(t: Translator, notice: Notice) -> Rendered:
    card: ContestCard = notice.params["card"]
    text = t.gettext(
        "⚖️ You are on the jury of a contest.\n\n{card}\n\nYou will score the entries after "
        "submissions close; the bot will tell you.",
        card=contest_card(t, card),
    )
    return Rendered(text, _rules_buttons(t, card))


def _queue_button(t: Translator, card: ContestCard) -> Buttons:
    return [[{"text": t.plain("⚖️ Score the entries"), "callback": Queue(card.contest_id).data()}]]


@renders("contests.judging")
def judging(t: Translator, notice: Notice) -> Rendered:
    card: ContestCard = notice.params["card"]
    left: int = notice.params["left"]
    text = t.ngettext(
        "⚖️ Submissions to «{title}» are closed. {n} entry waits for your scores; please "
        "finish by {day}.",
        "⚖️ Submissions to «{title}» are closed. {n} entries wait for your scores; please "
        "finish by {day}.",
        left,
        title=card.title,
        day=_day(t, card),
    )
    return Rendered(text, _queue_button(t, card) if left else None)


def _day(t: Translator, card: ContestCard) -> str:
    return format_date(card.judging_until, t.language)


@renders("contests.juror_reminder")
def juror_reminder(t: Translator, notice: Notice) -> Rendered:
    card: ContestCard = notice.params["card"]
    text = t.ngettext(
        "⏰ The judging of «{title}» ends on {day}. {n} entry still waits for your scores.",
        "⏰ The judging of «{title}» ends on {day}. {n} entries still wait for your scores.",
        notice.params["left"],
        title=card.title,
        day=_day(t, card),
    )
    return Rendered(text, _queue_button(t, card))


@renders("contests.results_due")
def results_due(t: Translator, notice: Notice) -> Rendered:
    card: ContestCard = notice.params["card"]
    text = t.gettext(
        "📅 Today is the results day of «{title}».\n\n{progress}\n\nPublish the results from "
        "the contest's screen.",
        title=card.title,
        progress=progress_text(t, notice.params["progress"]),
    )
    buttons: Buttons = [
        [{"text": t.plain("⚙️ The contest"), "callback": Manage(card.contest_id).data()}]
    ]
    return Rendered(text, buttons)


@renders("contests.results")
def results(t: Translator, notice: Notice) -> Rendered:
    found: Results = notice.params["results"]
    text = t.gettext(
        "🏆 The results of the contest «{title}»\n\n{ranking}\n\nCongratulations to the winners "
        "and thanks to every participant! Diplomas are in /contest.",
        title=found.title,
        ranking=ranking(t, found, limit=3),
    )
    return Rendered(text)


@renders("contests.placed")
def placed(t: Translator, notice: Notice) -> Rendered:
    entry: RankedEntry = notice.params["entry"]
    params = {
        "contest": notice.params["contest"],
        "nomination": notice.params["nomination"],
        "title": entry.title,
    }
    if entry.place is not None and entry.place <= 3:
        text = t.gettext(
            "🏆 Congratulations! Your work «{title}» took place {place} in the nomination "
            "«{nomination}» of the contest «{contest}».",
            place=entry.place,
            **params,
        )
    else:
        text = t.gettext(
            "🎓 The results of the contest «{contest}» are published. Thank you for taking "
            "part with «{title}» in the nomination «{nomination}»!",
            **params,
        )
    buttons: Buttons = [
        [
            {
                "text": t.plain("🎓 My diploma"),
                "callback": Diploma(notice.params["diploma_id"]).data(),
            }
        ]
    ]
    return Rendered(text, buttons)
