"""Joining: /join <code>, the t.me/<bot>?start=join_<code> link, the card's «Join» button,
and what the person is told for each outcome (joined, asked, full, already in)."""

from __future__ import annotations

from telegram import Update

from bot import deeplinks
from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, reply
from handlers.associations.presses import BUTTONS, Join, Queue
from handlers.associations.texts import welcome_text
from handlers.registration import start_registration
from services import memberships
from services.memberships import JoinResult, Outcome
from services.texts import N_

_SIMPLE = {
    Outcome.ALREADY_MEMBER: N_("You are already a member of «{name}»."),
    Outcome.ALREADY_REQUESTED: N_("Your request to join «{name}» is waiting for the leader."),
    Outcome.WAITING: N_("You are already on the waiting list of «{name}»."),
    Outcome.REQUESTED: N_(
        "Your request to join «{name}» has been sent to the leader. I will tell you the answer."
    ),
}


async def join_command(update: Update, context: BotContext) -> None:
    if not context.args:
        await reply(
            update,
            context,
            context.t.gettext(
                "Send the association's code after the command, for example: "
                "<code>/join AB12CD</code>. The leader can tell you the code."
            ),
        )
        return
    code = context.args[0]
    user = context.user
    if (user is None or not user.is_registered) and deeplinks.clean(code):
        await start_registration(update, context, f"join_{code}")
        return
    await join_by_code(update, context, code, via="code")


async def join_deep_link(update: Update, context: BotContext, rest: str) -> None:
    code, _, token = rest.partition("-")
    await join_by_code(update, context, code, via="link", token=token or None)


async def join_by_code(
    update: Update, context: BotContext, code: str, *, via: str, token: str | None = None
) -> None:
    """A refusal (unknown code, invitation only…) propagates: the update is rolled back
    and the reason told."""
    result = await memberships.join_by_code(
        context.session, actor=context.actor, code=code, via=via, token=token
    )
    await render_join(update, context, result)


@BUTTONS.on(Join)
async def join_button(update: Update, context: BotContext, press: Join) -> None:
    result = await memberships.join(
        context.session, actor=context.actor, association_id=press.association_id, via="catalogue"
    )
    await ack(update)
    await render_join(update, context, result)


async def render_join(update: Update, context: BotContext, result: JoinResult) -> None:
    t = context.t
    a = result.association
    if result.outcome in _SIMPLE:
        await reply(update, context, t.gettext(_SIMPLE[result.outcome], name=a.name))
    elif result.outcome == Outcome.FULL:
        await reply(
            update,
            context,
            t.gettext(
                "«{name}» is full: all {n} places are taken. You may join the waiting list: when a "
                "place frees up, I will offer it to you.",
                name=a.name,
                n=a.member_cap or 0,
            ),
            inline([[(t.plain("⏳ Join the waiting list"), Queue(a.id).data())]]),
        )
    else:
        await reply(update, context, welcome_text(t, a, result.chat_link))
