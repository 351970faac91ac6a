"""/report: the association (or the network summary) to report on, in private only.

In a group the command answers with a button to the private chat: the report is never
shown to the group. A word after the command (`/report химия`) narrows the associations
offered to those whose name contains it.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, reply, show
from handlers.associations.links import bot_link
from handlers.report.buttons import BUTTONS, NetworkSummary, ReportOn
from handlers.report.dialog import start_for_association, start_for_network
from services.report import access

PAYLOAD = "report"


async def report_command(update: Update, context: BotContext) -> None:
    chat, t = update.effective_chat, context.t
    if chat is None or chat.type != "private":
        link = f"{bot_link(bot=context.bot)}?start={PAYLOAD}"
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(t.plain("📊 Open the private chat"), url=link)]]
        )
        await reply(
            update,
            context,
            t.gettext(
                "The analytical report is sent only in a private chat, never into the group. "
                "Send /report to me in private."
            ),
            keyboard,
        )
        return
    await offer(update, context, " ".join(context.args or []))


async def offer(update: Update, context: BotContext, search: str = "") -> None:
    t = context.t
    found = await access.choice(context.session, context.actor, search=search)
    if not found.network and found.matched == 1 and not search:
        await start_for_association(update, context, found.associations[0].id)
        return
    rows = [[(a.name[:60], ReportOn(a.id).data())] for a in found.associations]
    if found.network:
        rows.insert(0, [(t.plain("🗂 Network summary"), NetworkSummary().data())])
    text = t.gettext("📊 <b>Analytical report</b>\n\nWhich association is the report about?")
    if not found.matched:
        text = t.gettext("No association's name contains «{word}».", word=search)
    elif found.matched > len(found.associations):
        text = t.gettext(
            "{text}\n\nShown: {shown} of {total}. To find another, send /report with a word "
            "of its name, e.g. <code>/report химия</code>.",
            text=text,
            shown=len(found.associations),
            total=found.matched,
        )
    await show(update, context, text, inline(rows))


async def from_deep_link(update: Update, context: BotContext, rest: str) -> None:
    """`/start report`: the button of a group's /report opens the choice here."""
    await offer(update, context)


@BUTTONS.on(ReportOn)
async def report_on(update: Update, context: BotContext, press: ReportOn) -> None:
    await ack(update)
    await start_for_association(update, context, press.association_id)


@BUTTONS.on(NetworkSummary)
async def network_summary(update: Update, context: BotContext, press: NetworkSummary) -> None:
    await ack(update)
    await start_for_network(update, context)
