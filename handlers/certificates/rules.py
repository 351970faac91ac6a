"""The leader's rules of certificates (dialog `certr`): the share of meetings attended →
a minimum of contributions → the hours printed → issued at once or approved by the leader
→ the title. The current value is shown in each question."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.replies import ack
from handlers.certificates.buttons import BUTTONS, Rules
from handlers.certificates.wording import rules_text
from models.certificates import CertificateTitle
from services.certificates import rules as service

RULES = register_dialog(Dialog("certr"))
AUTO, MANUAL = "auto", "manual"


@BUTTONS.on(Rules)
async def open_rules(update: Update, context: BotContext, press: Rules) -> None:
    current = await service.rules_for_leader(context.session, context.actor, press.association_id)
    await ack(update)
    data = {
        "association_id": press.association_id,
        "now": {
            "percent": current.min_attendance_percent,
            "contributions": current.min_contributions or 0,
            "hours": current.hours or 0,
        },
    }
    await RULES.start(update, context, "percent", data)


def _percent_prompt(turn: Turn) -> str:
    return turn.t.gettext(
        "What share of the held meetings must a member have attended? Write per cent from 0 "
        "to 100 (now: {value}).",
        value=turn.data["now"]["percent"],
    )


def _contributions_prompt(turn: Turn) -> str:
    return turn.t.gettext(
        "How many contributions at least (acts of any form: meetings, messages, answers, "
        "materials, tasks…)? 0 means no minimum (now: {value}).",
        value=turn.data["now"]["contributions"],
    )


def _hours_prompt(turn: Turn) -> str:
    return turn.t.gettext(
        "How many hours to print on the certificate («в объёме 18 часов»)? 0 means none "
        "(now: {value}).",
        value=turn.data["now"]["hours"],
    )


def _approval(turn: Turn) -> list[tuple[str, str]]:
    t = turn.t
    return [
        (AUTO, t.plain("Issue at once when the rules are met")),
        (MANUAL, t.plain("I approve every certificate")),
    ]


def _titles(turn: Turn) -> list[tuple[str, str]]:
    t = turn.t
    return [
        (CertificateTitle.CERTIFICATE.value, t.plain("Certificate")),
        (CertificateTitle.PARTICIPATION.value, t.plain("Document of participation")),
    ]


async def _save(turn: Turn) -> None:
    d = turn.data
    saved = await service.set_rules(
        turn.context.session,
        turn.context.actor,
        association_id=d["association_id"],
        min_attendance_percent=d["percent"],
        min_contributions=d["contributions"],
        manual_only=d["approval"] == MANUAL,
        hours=d["hours"],
        title=CertificateTitle(d["title"]),
    )
    await turn.finish()
    await turn.say(
        turn.t.gettext("✅ The rules are saved.\n\n{rules}", rules=rules_text(turn.t, saved))
    )


RULES.text_step(
    "percent", prompt=_percent_prompt, key="percent", clean=service.parse_percent, then="minimum"
)
RULES.text_step(
    "minimum",
    prompt=_contributions_prompt,
    key="contributions",
    clean=service.parse_contributions,
    then="hours",
)
RULES.text_step(
    "hours", prompt=_hours_prompt, key="hours", clean=service.parse_hours, then="approval"
)
RULES.choice_step(
    "approval",
    prompt=lambda turn: turn.t.gettext("How are certificates issued?"),
    options=_approval,
    key="approval",
    then="title",
)
RULES.choice_step(
    "title",
    prompt=lambda turn: turn.t.gettext("What is the document called?"),
    options=_titles,
    key="title",
    then=_save,
)
