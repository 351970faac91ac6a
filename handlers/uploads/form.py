"""The upload form (dialog `upl`): files or a link → title → type → subject → grades →
description → tags → where → the summary with a button to change each answer → Submit.

The draft lives in the dialog's state (services/resources/drafts.py says how), so a
half-filled form survives a restart. The same form, pre-filled, corrects a material sent
back for revision (`material_id` in its data). The files' step is in `files.py`, the
summary in `summary.py`."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.callbacks import Callback, cb
from bot.context import BotContext
from bot.dialogs import Dialog, Then, Turn
from bot.dialogs import register as register_dialog
from bot.keyboards import columns, inline
from handlers.uploads.wording import KIND_BUTTONS
from models.resources import MaterialKind
from services.catalogs import SUBJECTS
from services.resources import drafts
from services.resources import submission as service
from services.resources.drafts import NETWORK, MaterialDraft
from services.texts import N_

FORM = register_dialog(Dialog("upl"))
ORDER = ("files", "title", "kind", "subject", "grades", "description", "tags", "target")
OTHER, NONE = "other", "none"


def after(step: str) -> Then:
    """Where the form goes after `step`: the next question, or back to the summary when
    one answer is being changed."""

    async def go_on(turn: Turn) -> None:
        if turn.data.get("editing") or step == ORDER[-1]:
            await turn.goto("summary")
            return
        await turn.goto(ORDER[ORDER.index(step) + 1])

    return go_on


def draft_of(turn: Turn) -> MaterialDraft:
    return MaterialDraft.from_data(turn.data)


async def start_new(update: Update, context: BotContext, *, url: str | None = None) -> None:
    """A new material: the form opens at the files (or, with a link given, shows it)."""
    await service.require_targets(context.session, context.actor)
    await FORM.start(update, context, "files", MaterialDraft(url=url).as_data())


async def start_correction(update: Update, context: BotContext, material_id: int) -> None:
    view = await service.correction_of(context.session, context.actor, material_id)
    data: dict[str, Any] = {
        **view.draft.as_data(),
        "material_id": view.material_id,
        "comment": view.comment,
    }
    await FORM.start(update, context, "summary", data)


# type, subject ---------------------------------------------------------------------------


def _kinds(turn: Turn) -> list[tuple[str, str]]:
    return [(kind.value, turn.t.plain(KIND_BUTTONS[kind])) for kind in MaterialKind]


def _subjects(turn: Turn) -> list[tuple[str, str]]:
    t = turn.t
    options = [(key, t.plain(title)) for key, title in SUBJECTS.items()]
    return [
        *options,
        (OTHER, t.plain("Another subject…")),
        (NONE, t.plain("Not tied to a subject")),
    ]


async def _after_subject(turn: Turn) -> None:
    chosen = turn.data.get("subject")
    if chosen == OTHER:
        turn.put(subject=None)
        await turn.goto("subject_other")
        return
    if chosen == NONE:
        turn.put(subject=None)
    await after("subject")(turn)


def _description_prompt(turn: Turn) -> str:
    if turn.data.get("kind") == MaterialKind.DIGITAL.value:
        return turn.t.gettext(
            "Describe the resource and your experience: in which lessons and how you use it, "
            "what it gives the pupils (up to {limit} characters).",
            limit=drafts.MAX_DESCRIPTION,
        )
    return turn.t.gettext(
        "A short description: what the material is for and how to use it (up to {limit} "
        "characters).",
        limit=drafts.MAX_DESCRIPTION,
    )


# where -----------------------------------------------------------------------------------


def _target_options(turn: Turn) -> list[tuple[str, str]]:
    network = turn.t.plain("🌐 The whole network")
    return [(value, label or network) for value, label in turn.data.get("targets", [])]


async def ask_target(turn: Turn) -> None:
    """The places are read anew each time: one may have joined an association meanwhile."""
    t = turn.t
    found = await service.targets(turn.context.session, turn.context.actor)
    options = [
        [str(p.association_id) if p.association_id is not None else NETWORK, p.name] for p in found
    ]
    turn.put(targets=options)
    values = [value for value, _ in options]
    preset = turn.data.get("group_target")
    if not turn.data.get("editing") and (len(values) == 1 or preset in values):
        turn.put(target=preset if preset in values else values[0])
        await turn.goto("summary")
        return
    if not values:
        await turn.say(
            t.error(service.NoPlaceToShare()),
            inline([[(t.plain("🔄 Check again"), cb(FORM.name, "target", "again"))]]),
        )
        return
    buttons = [(label, cb(FORM.name, "target", value)) for value, label in _target_options(turn)]
    await turn.say(
        t.gettext("Where to publish it? The reviewers of that place will check it first."),
        inline(columns(buttons, 1)),
    )


async def on_target(turn: Turn, data: Callback) -> None:
    value = data.arg(0)
    if data.action != "target" or value not in {v for v, _ in _target_options(turn)}:
        await turn.repeat()
        return
    turn.put(target=value)
    await turn.goto("summary")


def has_choice_of_targets(turn: Turn) -> bool:
    return len(turn.data.get("targets", [])) > 1


# the steps -------------------------------------------------------------------------------

FORM.text_step(
    "title",
    prompt=N_("What is the material called? Write its title."),
    key="title",
    clean=drafts.clean_title,
    then=after("title"),
)
FORM.choice_step(
    "kind",
    prompt=N_("What kind of material is it?"),
    options=_kinds,
    key="kind",
    then=after("kind"),
    width=2,
)
FORM.choice_step(
    "subject",
    prompt=N_("Which subject is it for?"),
    options=_subjects,
    key="subject",
    then=_after_subject,
    width=2,
)
FORM.text_step(
    "subject_other",
    prompt=N_("Write the subject:"),
    key="subject",
    clean=drafts.clean_subject,
    then=after("subject"),
)
FORM.text_step(
    "grades",
    prompt=N_("For which grades? One number or a range: <i>5</i>, <i>5–7</i>, <i>1–11</i>."),
    key="grades",
    clean=lambda text: list(drafts.parse_grades(text)),
    then=after("grades"),
    skip=N_("Not tied to grades"),
)
FORM.text_step(
    "description",
    prompt=_description_prompt,
    key="description",
    clean=drafts.clean_description,
    then=after("description"),
    skip=N_("Without a description"),
)
FORM.text_step(
    "tags",
    prompt=N_(
        "Tags help colleagues find it: a few words separated by commas, for example "
        "<i>дроби, ОГЭ, 5 класс</i>."
    ),
    key="tags",
    clean=lambda text: list(drafts.parse_tags(text)),
    then=after("tags"),
    skip=N_("Without tags"),
)
FORM.step("target", ask=ask_target, on_button=on_target)
