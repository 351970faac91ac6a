"""One section of the draft regulation: its text as numbered in the document, the leader's
own wording (dialog `regs`: the new text, a clause per line), or back to the drafted text."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import Html, Translator
from bot.keyboards import Button, inline
from bot.replies import ack, show
from handlers.regulations.buttons import (
    BUTTONS,
    OpenRegulation,
    OpenSection,
    ReplaceSection,
    RestoreSection,
)
from handlers.regulations.wording import numbered, section_title
from services import regulations as service
from services.formatting import format_date
from services.regulations import SECTIONS, SectionView

REPLACE = register_dialog(Dialog("regs"))


def section_text(t: Translator, view: SectionView) -> Html:
    head = t.gettext(
        "📜 «{name}» · section {number} of {total}\n<b>{title}</b>",
        name=view.association,
        number=view.number,
        total=SECTIONS,
        title=section_title(t, view.number),
    )
    if view.edited_at is None:
        state = t.gettext("Drafted from the association's kind and details.")
    else:
        state = t.gettext(
            "✏️ Rewritten on {date}{by}.",
            date=format_date(view.edited_at, t.language),
            by=t.plain(" ({name})", name=view.edited_by) if view.edited_by else "",
        )
    return t.gettext(
        "{head}\n{state}\n\n{body}", head=head, state=state, body=numbered(view.number, view.text)
    )


def section_buttons(t: Translator, view: SectionView) -> list[list[Button]]:
    aid, number = view.association_id, view.number
    rows = [[(t.plain("✏️ Replace the text"), ReplaceSection(aid, number).data())]]
    if view.edited_at is not None:
        rows.append([(t.plain("↩️ Restore the drafted text"), RestoreSection(aid, number).data())])
    steps = []
    if number > 1:
        steps.append((t.plain("◀️ Section {n}", n=number - 1), OpenSection(aid, number - 1).data()))
    if number < SECTIONS:
        steps.append((t.plain("Section {n} ▶️", n=number + 1), OpenSection(aid, number + 1).data()))
    rows += [steps, [(t.plain("⬅️ All sections"), OpenRegulation(aid).data())]]
    return rows


@BUTTONS.on(OpenSection)
async def open_section(update: Update, context: BotContext, press: OpenSection) -> None:
    view = await service.section(context.session, context.actor, press.association_id, press.number)
    await ack(update)
    t = context.t
    await show(update, context, section_text(t, view), inline(section_buttons(t, view)))


@BUTTONS.on(RestoreSection)
async def restore(update: Update, context: BotContext, press: RestoreSection) -> None:
    view = await service.restore_section(
        context.session, context.actor, association_id=press.association_id, number=press.number
    )
    t = context.t
    await ack(update, t.plain("The drafted text is back."))
    await show(update, context, section_text(t, view), inline(section_buttons(t, view)))


@BUTTONS.on(ReplaceSection)
async def replace(update: Update, context: BotContext, press: ReplaceSection) -> None:
    view = await service.section(context.session, context.actor, press.association_id, press.number)
    await ack(update)
    data = {"association_id": view.association_id, "number": view.number, "current": view.text}
    await REPLACE.start(update, context, "text", data)


def _prompt(turn: Turn) -> str:
    t, number = turn.t, turn.data["number"]
    return t.gettext(
        "Send the new text of section «{title}». A clause per line: the numbers are added by "
        "themselves; start a line with «–» for an item of a list. /cancel keeps the text as "
        "it is.\n\nThe text now (tap it to copy):\n<pre>{text}</pre>",
        title=section_title(t, number),
        text=turn.data["current"],
    )


async def _save(turn: Turn) -> None:
    context = turn.context
    view = await service.replace_section(
        context.session,
        context.actor,
        association_id=turn.data["association_id"],
        number=turn.data["number"],
        text=turn.data["text"],
    )
    await turn.finish()
    t = turn.t
    await turn.say(
        t.gettext("💾 Saved.\n\n{section}", section=section_text(t, view)),
        inline(section_buttons(t, view)),
    )


REPLACE.text_step("text", prompt=_prompt, key="text", clean=service.clean_section_text, then=_save)
