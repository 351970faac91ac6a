"""/new_association (a methodist creates) and /propose (a teacher proposes): the questions
of the creation dialog. The period, the member limit, the parent and the leader are asked
in creation_steps.py; the summary and saving in summary.py."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Options, Turn
from handlers.associations import creation_steps, summary
from handlers.associations.draft import CREATE, next_step
from services import associations
from services.access import require_registered
from services.catalogs import SUBJECTS
from services.formatting import TIME_ZONES
from services.texts import N_


async def new_association(update: Update, context: BotContext) -> None:
    creator = await associations.ensure_can_create(context.session, actor=context.actor)
    data = {"mode": "create", "organisation_suggested": creator.organisation}
    await CREATE.start(update, context, "kind", data)


async def propose(update: Update, context: BotContext) -> None:
    initiator = await require_registered(context.session, context.actor)
    data = {"mode": "propose", "organisation_suggested": initiator.organisation}
    await CREATE.start(update, context, "kind", data)


def _kind_prompt(turn: Turn) -> str:
    t = turn.t
    intro = (
        t.gettext("<b>A new association.</b>")
        if turn.data.get("mode") == "create"
        else t.gettext(
            "<b>A proposal of a new association.</b> Until a network methodist or an approver "
            "approves it, the association stays a draft."
        )
    )
    kinds = "\n".join("• " + t.plain(title) for title in associations.KIND_TITLES.values())
    return f"{intro}\n\n{kinds}\n\n" + t.gettext("Choose the kind of association:")


def _policy_prompt(turn: Turn) -> str:
    t = turn.t
    return t.gettext(
        "How do people join?\n• <b>Open</b>: anyone registered joins at once;\n"
        "• <b>With the leader's approval</b>: the leader decides on each request;\n"
        "• <b>By invitation</b>: only through the leader's invitation link."
    )


def _organisation_prompt(turn: Turn) -> str:
    t = turn.t
    text = t.gettext(
        "<b>The organisation</b> the association belongs to (a school, a methodological "
        "service): its name heads the plan, the protocols and the roster."
    )
    suggested = turn.data.get("organisation_suggested")
    if suggested:
        text += "\n" + t.gettext(
            "Send another name, or keep: <b>{organisation}</b>", organisation=suggested
        )
    return text


def _options(titles: Mapping[StrEnum, str]) -> Options:
    """Choice options from a {enum: title} table."""

    def options(turn: Turn) -> list[tuple[str, str]]:
        return [(key.value, turn.t.plain(title)) for key, title in titles.items()]

    return options


def _subjects(turn: Turn) -> list[tuple[str, str]]:
    return [(key, turn.t.plain(title)) for key, title in SUBJECTS.items()]


def _zones(turn: Turn) -> list[tuple[str, str]]:
    return [(str(i), turn.t.plain(title)) for i, title in enumerate(TIME_ZONES.values())]


async def _keep_zone(turn: Turn) -> None:
    turn.put(timezone=list(TIME_ZONES)[int(turn.data["zone"])])
    turn.drop("zone")
    await turn.goto("summary")


def _setup() -> None:
    subjects_prompt = N_("Which subjects? Tap all that apply, then «Done».")
    CREATE.choice_step(
        "kind",
        prompt=_kind_prompt,
        options=_options(associations.KIND_BUTTONS),
        key="kind",
        then=next_step("kind"),
        width=2,
    )
    CREATE.text_step(
        "name",
        prompt=N_("The association's name, for example: <i>VMO of mathematics teachers</i>."),
        key="name",
        clean=associations.clean_name,
        then=next_step("name"),
    )
    CREATE.text_step(
        "topic",
        prompt=N_("The methodological topic it works on."),
        key="topic",
        clean=associations.clean_topic,
        then=next_step("topic"),
    )
    CREATE.text_step(
        "organisation",
        prompt=_organisation_prompt,
        key="organisation",
        clean=associations.clean_organisation,
        then=next_step("organisation"),
        skip=N_("Keep it"),
    )
    CREATE.text_step(
        "goals",
        prompt=N_(
            "<b>Goals and objectives</b> of the association: what it works towards and what it "
            "will do (3 to 1000 characters). Or press «Skip»."
        ),
        key="goals",
        clean=associations.clean_goals,
        then=next_step("goals"),
        skip=N_("Skip"),
    )
    CREATE.choice_step(
        "scope",
        prompt=N_("The association by its subjects:"),
        options=_options(associations.SCOPE_TITLES),
        key="scope",
        then=next_step("scope"),
    )
    CREATE.multi_choice_step(
        "subjects",
        prompt=subjects_prompt,
        options=_subjects,
        key="subjects",
        then=next_step("subjects"),
    )
    CREATE.multi_choice_step(
        "subject",
        prompt=subjects_prompt,
        options=_subjects,
        key="subjects",
        then=next_step("subjects"),
        check=associations.check_mono_subjects,
    )
    CREATE.choice_step(
        "policy",
        prompt=_policy_prompt,
        options=_options(associations.POLICY_TITLES),
        key="policy",
        then=next_step("policy"),
    )
    CREATE.text_step(
        "order",
        prompt=N_(
            "The approving order, if there is one: its number and date, for example "
            "<i>№ 15 from 01.09.2026</i>. Or press «Skip»."
        ),
        key="order",
        clean=associations.clean_order,
        then=next_step("order"),
        skip=N_("Skip"),
    )
    CREATE.choice_step(
        "timezone",
        prompt=N_("In which time zone does the association work? Meeting times follow it."),
        options=_zones,
        key="zone",
        then=_keep_zone,
        width=2,
    )
    creation_steps.setup(CREATE)
    summary.setup(CREATE)


_setup()
