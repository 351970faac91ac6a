"""The rules newcomers read: the leader writes them from the card («📜 Rules»)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.replies import ack
from handlers.associations.presses import BUTTONS, EditRules
from services import associations

RULES = register_dialog(Dialog("asr"))


@BUTTONS.on(EditRules)
async def edit_rules(update: Update, context: BotContext, press: EditRules) -> None:
    association = await associations.led_association(
        context.session, actor=context.actor, association_id=press.association_id
    )
    await ack(update)
    data = {"association_id": association.id, "current": association.rules_text}
    await RULES.start(update, context, "text", data)


def _prompt(turn: Turn) -> str:
    text = turn.t.gettext("Send the rules newcomers will see (5 to 3000 characters).")
    if turn.data.get("current"):
        text += "\n\n" + turn.t.gettext("Now: {rules}", rules=turn.data["current"])
    return text


async def _save(turn: Turn) -> None:
    association = await associations.set_rules(
        turn.context.session,
        actor=turn.context.actor,
        association_id=turn.data["association_id"],
        text=turn.data["rules"],
    )
    await turn.finish()
    await turn.say(turn.t.gettext("The rules of «{name}» are saved.", name=association.name))


RULES.text_step("text", prompt=_prompt, key="rules", clean=associations.clean_rules, then=_save)
