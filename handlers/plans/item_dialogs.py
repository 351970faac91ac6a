"""Adding an item to a plan (dialog `plani`) and changing one (`plane`: topic or date)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.keyboards import inline
from bot.meeting_forms import FORM_TITLES
from bot.replies import ack
from handlers.plans.buttons import BUTTONS, AddItem, EditTopic, MoveItem, OpenPlan
from handlers.plans.steps import when_of, when_step
from services import plans as service
from services.errors import InvalidInput
from services.formatting import short_name
from services.texts import N_

ITEM = register_dialog(Dialog("plani"))
EDIT = register_dialog(Dialog("plane"))

WHEN = N_(
    "When is it? Write a month or a date, for example: <i>December</i>, <i>декабрь</i>, "
    "<i>12.2026</i> or <i>15.12.2026</i>. /cancel stops."
)

PEOPLE = N_("Choose who is responsible: one or more members, then press «Done».")


@BUTTONS.on(AddItem)
async def add_item(update: Update, context: BotContext, press: AddItem) -> None:
    year, members = await service.start_item(context.session, context.actor, press.association_id)
    await ack(update)
    people = [[str(m.id), short_name(m.full_name or "?")] for m in members[:60]]
    data = {"association_id": press.association_id, "academic_year": year, "members": people}
    await ITEM.start(update, context, "when", data)


def _forms(turn: Turn) -> list[tuple[str, str]]:
    return [(key, turn.t.plain(title)) for key, title in FORM_TITLES.items()]


def _members(turn: Turn) -> list[tuple[str, str]]:
    return [(value, label) for value, label in turn.data["members"]]


async def _responsible_chosen(turn: Turn) -> None:
    """The answered question shows who was chosen (not only «Done»), without buttons."""
    chosen = set(turn.data["people"])
    names = [label for value, label in turn.data["members"] if value in chosen]
    t = turn.t
    answer = t.gettext("Responsible: {people}", people=", ".join(names))
    await turn.show(f"{t.gettext(PEOPLE)}\n\n➡️ {answer}")
    await turn.goto("result")


async def _save_item(turn: Turn) -> None:
    try:
        await service.add_item(
            turn.context.session,
            turn.context.actor,
            association_id=turn.data["association_id"],
            when=when_of(turn),
            topic=turn.data["topic"],
            form=turn.data["form"],
            responsible=[int(value) for value in turn.data["people"]],
            expected_result=turn.data["result"],
        )
    except InvalidInput as error:  # the limit of items: said, and the last answer asked again
        await turn.refuse(error)
        return
    await turn.finish()
    t, association_id = turn.t, turn.data["association_id"]
    await turn.say(
        t.gettext("✅ The item is added."),
        inline(
            [
                [(t.plain("➕ Add another"), AddItem(association_id).data())],
                [(t.plain("📋 The plan"), OpenPlan(association_id).data())],
            ]
        ),
    )


when_step(ITEM, "when", prompt=WHEN, then="topic")
ITEM.text_step(
    "topic",
    prompt=N_("Write the topic of the item."),
    key="topic",
    clean=service.clean_text,
    then="form",
)
ITEM.choice_step(
    "form",
    prompt=N_("Choose the form of the item:"),
    options=_forms,
    key="form",
    then="people",
    width=2,
)
ITEM.multi_choice_step(
    "people",
    prompt=PEOPLE,
    options=_members,
    key="people",
    then=_responsible_chosen,
)
ITEM.text_step(
    "result",
    prompt=N_("What is the expected result? For example: <i>methodological recommendations</i>."),
    key="result",
    clean=service.clean_text,
    then=_save_item,
)


@BUTTONS.on(EditTopic)
async def edit_topic(update: Update, context: BotContext, press: EditTopic) -> None:
    await _start_edit(update, context, press.item_id, "topic")


@BUTTONS.on(MoveItem)
async def move_item(update: Update, context: BotContext, press: MoveItem) -> None:
    await _start_edit(update, context, press.item_id, "move")


async def _start_edit(update: Update, context: BotContext, item_id: int, step: str) -> None:
    screen = await service.item_screen(context.session, context.actor, item_id)
    await ack(update)
    data = {
        "item_id": item_id,
        "association_id": screen.view.association.id,
        "academic_year": service.current_academic_year(screen.view.association),
    }
    await EDIT.start(update, context, step, data)


async def _save_topic(turn: Turn) -> None:
    session, actor = turn.context.session, turn.context.actor
    await service.edit_topic(session, actor, item_id=turn.data["item_id"], topic=turn.data["topic"])
    await _saved(turn)


async def _save_move(turn: Turn) -> None:
    session, actor = turn.context.session, turn.context.actor
    await service.move_item(session, actor, item_id=turn.data["item_id"], when=when_of(turn))
    await _saved(turn)


async def _saved(turn: Turn) -> None:
    await turn.finish()
    t = turn.t
    await turn.say(
        t.gettext("✅ Saved."),
        inline([[(t.plain("📋 The plan"), OpenPlan(turn.data["association_id"]).data())]]),
    )


EDIT.text_step(
    "topic",
    prompt=N_("Write the new topic of the item. /cancel keeps the old one."),
    key="topic",
    clean=service.clean_text,
    then=_save_topic,
)
when_step(
    EDIT,
    "move",
    prompt=N_(
        "Write the new month or date, for example <i>March</i> or <i>15.03.2027</i>. "
        "/cancel keeps the old one."
    ),
    then=_save_move,
)
