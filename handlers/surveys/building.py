"""A new survey (dialog `srvn`): a template to copy, the audience, anonymous or named, the
opening and closing dates. The draft then opens on its screen (editing.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Update

from bot.callbacks import Callback, cb
from bot.context import BotContext
from bot.dialogs import Dialog, Then, Turn, cleaned_answer, register
from bot.keyboards import inline
from bot.replies import ack
from handlers.surveys.buttons import BUTTONS, NewSurvey
from handlers.surveys.editing import say_screen
from handlers.surveys.wording import TEMPLATE_CHOICES
from models.surveys import SurveyTemplate
from services import surveys as service
from services.audience import Audience
from services.catalogs import SUBJECTS
from services.clock import now
from services.dateparse import parse_local
from services.errors import InvalidInput
from services.texts import N_

NETWORK_CHOICES = {
    "all": N_("🌐 All teachers of the network"),
    "subj": N_("📚 Teachers of a subject"),
    "mun": N_("🏙 Teachers of a municipality"),
}
ZONE = "Europe/Moscow"  # the network's zone, for a network survey's dates
MAX_PLACE = 100

BUILDING = register(Dialog("srvn"))


class BadPlace(InvalidInput):
    message = N_("Please write the municipality's name (at most 100 characters).")


@BUTTONS.on(NewSurvey)
async def new_survey(update: Update, context: BotContext, press: NewSurvey) -> None:
    scope = await service.author_scope(context.session, context.actor)
    data = {
        "assocs": [[a.id, a.name[:60], a.timezone] for a in scope.associations],
        "network": scope.network,
    }
    await BUILDING.start(update, context, "template", data)
    await ack(update)


def _templates(turn: Turn) -> list[tuple[str, str]]:
    return [(key.value, turn.t.plain(label)) for key, label in TEMPLATE_CHOICES.items()]


def _audiences(turn: Turn) -> list[tuple[str, str]]:
    options = [(f"a{a_id}", name) for a_id, name, _ in turn.data["assocs"]]
    if turn.data["network"]:
        options += [(key, turn.t.plain(label)) for key, label in NETWORK_CHOICES.items()]
    return options


def _subjects(turn: Turn) -> list[tuple[str, str]]:
    return [(key, turn.t.plain(title)) for key, title in SUBJECTS.items()]


async def _after_audience(turn: Turn) -> None:
    choice = turn.data["audience"]
    zone = next((tz for a_id, _, tz in turn.data["assocs"] if f"a{a_id}" == choice), ZONE)
    turn.put(zone=zone)
    await turn.goto({"subj": "subject", "mun": "place"}.get(choice, "anonymous"))


def _place(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > MAX_PLACE:
        raise BadPlace()
    return cleaned


def _moment(text: str, zone: str) -> str:
    """A date (the end of that day) or a date and time, as ISO text."""
    has_time = ":" in text
    moment = parse_local(text if has_time else f"{text.strip()} 23:59", zone, now())
    return moment.isoformat()


def _date_step(name: str, *, prompt: str, key: str, then: Then, skip: str | None = None) -> None:
    """A date (or a date and time) in the dialog's zone, kept under `key` as ISO text;
    with `skip` a button keeps None."""

    async def ask(turn: Turn) -> None:
        keyboard = None
        if skip:
            keyboard = inline([[(turn.t.plain(skip), cb(BUILDING.name, name))]])
        await turn.say(turn.t.gettext(prompt), keyboard)

    async def on_text(turn: Turn, text: str) -> None:
        zone = turn.data["zone"]
        await cleaned_answer(key, lambda answer: _moment(answer, zone), then)(turn, text)

    async def on_button(turn: Turn, data: Callback) -> None:
        if data.action != name or data.args:
            await turn.repeat()
            return
        turn.put(**{key: None})
        await (turn.goto(then) if isinstance(then, str) else then(turn))

    BUILDING.step(name, ask=ask, on_text=on_text, on_button=on_button if skip else None)


async def _anonymous(turn: Turn) -> None:
    turn.put(anonymous=True)
    await turn.goto("opens")


async def _named(turn: Turn) -> None:
    turn.put(anonymous=False)
    await turn.goto("opens")


def _audience(choice: str, data: dict[str, Any]) -> tuple[int | None, Audience | None]:
    if choice.startswith("a"):
        return int(choice[1:]), None
    if choice == "subj":
        return None, Audience(subject=data["subject"])
    if choice == "mun":
        return None, Audience(municipality=data["place"])
    return None, Audience()


async def _create(turn: Turn) -> None:
    data = turn.data
    association_id, audience = _audience(data["audience"], data)
    opens = data.get("opens")
    try:
        survey = await service.create_survey(
            turn.context.session,
            turn.context.actor,
            template=SurveyTemplate(data["template"]),
            association_id=association_id,
            audience=audience,
            anonymous=data["anonymous"],
            opens_at=datetime.fromisoformat(opens) if opens else None,
            closes_at=datetime.fromisoformat(data["closes"]),
            title=data.get("title"),
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await turn.finish()
    await turn.say(
        turn.t.gettext(
            "✅ The draft is ready. Check the questions, change them if needed, "
            "then open the survey."
        )
    )
    await say_screen(turn, survey.id)


BUILDING.choice_step(
    "template",
    prompt=N_("<b>A new survey.</b> What shall we start from?"),
    options=_templates,
    key="template",
    then="title",
)
BUILDING.text_step(
    "title",
    prompt=N_("Write the survey's title, or keep the template's."),
    key="title",
    clean=service.clean_title,
    then="audience",
    skip=N_("Keep the template's title"),
)
BUILDING.choice_step(
    "audience",
    prompt=N_("Who is the survey for?"),
    options=_audiences,
    key="audience",
    then=_after_audience,
)
BUILDING.choice_step(
    "subject",
    prompt=N_("Teachers of which subject?"),
    options=_subjects,
    key="subject",
    then="anonymous",
    width=2,
)
BUILDING.text_step(
    "place",
    prompt=N_("Which municipality? Write its name."),
    key="place",
    clean=_place,
    then="anonymous",
)
BUILDING.confirm_step(
    "anonymous",
    prompt=N_(
        "Anonymous or named? In an anonymous survey nobody, the author included, "
        "can see who answered what."
    ),
    yes=N_("🕶 Anonymous"),
    on_yes=_anonymous,
    no=N_("👤 Named"),
    on_no=_named,
)
_date_step(
    "opens",
    prompt=N_(
        "When does the survey open? Write a date (for example, 15.12), "
        "or press the button to open it as soon as it is ready."
    ),
    key="opens",
    then="closes",
    skip=N_("▶️ When I open it"),
)
_date_step(
    "closes",
    prompt=N_("Until when can teachers answer? Write a date (for example, 20.12 or 20.12 18:00)."),
    key="closes",
    then=_create,
)
