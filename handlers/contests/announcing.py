"""Announcing a contest (dialog `conn`): title → rules → an optional rules file →
nominations → criteria with their maxima → the four dates → who may take part → the
audience vote → the jury, chosen among the members → confirmation."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Then, Turn, cleaned_answer
from bot.dialogs import register as register_dialog
from bot.replies import ack, choose_association
from handlers.contests.buttons import BUTTONS, Announce, AnnounceIn, AnnounceNetwork
from models.contests import ContestAudience
from services.contests import announcing as service
from services.formatting import format_date
from services.texts import N_

NEW = register_dialog(Dialog("conn"))


@BUTTONS.on(Announce)
async def announce(update: Update, context: BotContext, press: Announce) -> None:
    found = await service.organised_associations(context.session, context.actor)
    if len(found) != 1:  # one association: its dialog answers the press when it starts
        await ack(update)
    await choose_association(
        update,
        context,
        found,
        prefix=AnnounceIn.prefix,
        nothing=context.t.gettext(
            "Contests are announced by the leader of an association or a methodist."
        ),
        open_one=lambda association: _start(update, context, association.id),
    )


@BUTTONS.on(AnnounceIn)
async def announce_in(update: Update, context: BotContext, press: AnnounceIn) -> None:
    await _start(update, context, press.association_id)


@BUTTONS.on(AnnounceNetwork)
async def announce_network(update: Update, context: BotContext, press: AnnounceNetwork) -> None:
    await _start(update, context, None)


async def _start(update: Update, context: BotContext, association_id: int | None) -> None:
    zone = await service.check_organiser(context.session, context.actor, association_id)
    people = await service.jury_candidates(context.session, context.actor, association_id)
    if not people:
        raise service.BadJury(limit=service.MAX_JURORS)
    await ack(update)
    data = {"association_id": association_id, "tz": zone, "people": people}
    await NEW.start(update, context, "title", data)


def _criteria(text: str) -> list[list[object]]:
    return [[c.name, c.max_score] for c in service.clean_criteria(text)]


def _nominations(text: str) -> list[str]:
    return list(service.clean_nominations(text))


# the dates ---------------------------------------------------------------------------------

DATES = (
    (
        "opens",
        N_("On which day do submissions open? For example, <i>1.12</i> or <i>1 декабря</i>."),
    ),
    ("closes", N_("The last day of submissions?")),
    ("judging", N_("The last day of judging? (After submissions close.)")),
    ("results", N_("On which day are the results announced?")),
)


def _after(turn: Turn, key: str) -> date | None:
    """The day the answer to `key` must come after."""
    d = turn.data
    if key == "closes":
        return date.fromisoformat(d["opens"]) - timedelta(days=1)
    if key == "judging":
        return date.fromisoformat(d["closes"])
    if key == "results":
        return date.fromisoformat(d["judging"]) - timedelta(days=1)
    return None


def _date_step(key: str, prompt: str, then: Then) -> None:
    async def ask(turn: Turn) -> None:
        await turn.say(turn.t.gettext(prompt))

    async def on_text(turn: Turn, text: str) -> None:
        def clean(answer: str) -> str:
            return service.parse_day(answer, turn.data["tz"], after=_after(turn, key)).isoformat()

        await cleaned_answer(key, clean, then)(turn, text)

    NEW.step(key, ask=ask, on_text=on_text)


# who, the vote, the jury -------------------------------------------------------------------


def _audiences(turn: Turn) -> list[tuple[str, str]]:
    t = turn.t
    return [
        (ContestAudience.MEMBERS.value, t.plain("The association's members")),
        (ContestAudience.NETWORK.value, t.plain("Every teacher of the network")),
    ]


def _vote_options(turn: Turn) -> list[tuple[str, str]]:
    t = turn.t
    return [("y", t.plain("Yes, with an audience vote")), ("n", t.plain("No audience vote"))]


def _people(turn: Turn) -> list[tuple[str, str]]:
    return [(str(user_id), name) for user_id, name in turn.data["people"]]


# confirmation ------------------------------------------------------------------------------


def _summary(turn: Turn) -> str:
    t, d = turn.t, turn.data
    lang = t.language
    chosen = set(d.get("jury", []))
    return t.gettext(
        "Check the contest:\n\n🏆 <b>{title}</b>\n{rules}\n\nRules file: {file}\n"
        "Nominations: {nominations}\nCriteria: {criteria}\n"
        "Submissions: {opens} – {closes}\nJudging until {judging}, results on {results}\n"
        "Who may take part: {audience}\nAudience vote: {vote}\nJury: {jury}\n\n"
        "Announce the contest?",
        title=d["title"],
        rules=d["rules"],
        file=(d["file"]["name"] or t.plain("attached")) if d.get("file") else t.plain("none"),
        nominations="; ".join(d["nominations"]),
        criteria="; ".join(f"{name} ({top})" for name, top in d["criteria"]),
        opens=format_date(date.fromisoformat(d["opens"]), lang),
        closes=format_date(date.fromisoformat(d["closes"]), lang),
        judging=format_date(date.fromisoformat(d["judging"]), lang),
        results=format_date(date.fromisoformat(d["results"]), lang),
        audience=dict(_audiences(turn))[d["audience"]],
        vote=t.plain("yes") if d["vote"] == "y" else t.plain("no"),
        jury=", ".join(name for value, name in _people(turn) if value in chosen),
    )


async def _announce(turn: Turn) -> None:
    d, file = turn.data, turn.data.get("file") or {}
    draft = service.ContestDraft(
        title=d["title"],
        rules=d["rules"],
        nominations=tuple(d["nominations"]),
        criteria=tuple(service.CriterionDraft(name, top) for name, top in d["criteria"]),
        opens_on=date.fromisoformat(d["opens"]),
        closes_on=date.fromisoformat(d["closes"]),
        judging_until=date.fromisoformat(d["judging"]),
        results_on=date.fromisoformat(d["results"]),
        jurors=tuple(int(value) for value in d.get("jury", [])),
        audience=ContestAudience(d["audience"]),
        audience_vote=d["vote"] == "y",
        rules_file_id=file.get("id"),
        rules_file_name=file.get("name"),
    )
    contest = await service.announce(
        turn.context.session, turn.context.actor, association_id=d["association_id"], draft=draft
    )
    await turn.finish()
    await turn.say(
        turn.t.gettext(
            "✅ The contest «{title}» is announced. The jury and the association's group are "
            "told; its progress is in /contest.",
            title=contest.title,
        )
    )


async def _drop(turn: Turn) -> None:
    await turn.finish()
    await turn.say(turn.t.gettext("The contest is not announced. Nothing was saved."))


NEW.text_step(
    "title",
    prompt=N_("Write the contest's title (up to 200 characters):"),
    key="title",
    clean=service.clean_title,
    then="rules",
)
NEW.text_step(
    "rules",
    prompt=N_("Write the rules: the topic, the requirements for the works, the procedure."),
    key="rules",
    clean=service.clean_rules,
    then="file",
)
NEW.optional_document_step(
    "file",
    prompt=N_("Attach the rules as a file (a document), or go on without one."),
    then="nominations",
)
NEW.text_step(
    "nominations",
    prompt=N_("Write the nominations, one per line."),
    key="nominations",
    clean=_nominations,
    then="criteria",
)
NEW.text_step(
    "criteria",
    prompt=N_(
        "Write the criteria, one per line, each with its maximum score: <i>Originality — 10</i>."
    ),
    key="criteria",
    clean=_criteria,
    then="opens",
)


async def _after_dates(turn: Turn) -> None:
    if turn.data["association_id"] is None:  # network-wide: open to every teacher
        turn.put(audience=ContestAudience.NETWORK.value)
        await turn.goto("vote")
    else:
        await turn.goto("audience")


for (_key, _prompt), (_next, _) in zip(DATES, (*DATES[1:], ("", "")), strict=True):
    _date_step(_key, _prompt, _next or _after_dates)
NEW.choice_step(
    "audience", prompt=N_("Who may take part?"), options=_audiences, key="audience", then="vote"
)
NEW.choice_step(
    "vote",
    prompt=N_("Hold an audience vote (one vote per member)?"),
    options=_vote_options,
    key="vote",
    then="jury",
)
NEW.multi_choice_step(
    "jury", prompt=N_("Choose the jury:"), options=_people, key="jury", then="confirm"
)
NEW.confirm_step(
    "confirm",
    prompt=_summary,
    yes=N_("✅ Announce"),
    on_yes=_announce,
    no=N_("✖ Cancel"),
    on_no=_drop,
)
