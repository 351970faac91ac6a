"""A leader sets when unanswered questions are reminded of and escalated (dialog `askt`)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.replies import ack
from handlers.consultations.buttons import BUTTONS, Timings
from services import consultations as service

TIMINGS = register_dialog(Dialog("askt"))


@BUTTONS.on(Timings)
async def timings(update: Update, context: BotContext, press: Timings) -> None:
    name, remind, escalate = await service.leader_timings(
        context.session, context.actor, press.association_id
    )
    await ack(update)
    data = {"association_id": press.association_id, "name": name, "now": [remind, escalate]}
    await TIMINGS.start(update, context, "hours", data)


def _prompt(turn: Turn) -> str:
    remind, escalate = turn.data["now"]
    return turn.t.gettext(
        "⏱ Unanswered questions of «{name}»: a reminder to the assignee after {remind} h, "
        "escalation to the leader after {escalate} h.\n\nWrite the two numbers of hours, for "
        "example <i>24 72</i>. /cancel keeps them.",
        name=turn.data["name"],
        remind=remind,
        escalate=escalate,
    )


async def _save(turn: Turn) -> None:
    remind, escalate = turn.data["hours"]
    await service.set_timings(
        turn.context.session,
        turn.context.actor,
        association_id=turn.data["association_id"],
        remind=remind,
        escalate=escalate,
    )
    await turn.finish()
    await turn.say(
        turn.t.gettext(
            "✅ Saved: a reminder after {remind} h, escalation after {escalate} h.",
            remind=remind,
            escalate=escalate,
        )
    )


TIMINGS.text_step(
    "hours",
    prompt=_prompt,
    key="hours",
    clean=lambda text: list(service.clean_timings(text)),
    then=_save,
)
