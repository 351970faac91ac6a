"""The audience vote: the works one may vote for (not one's own), one vote per member,
changeable until the results."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, show
from handlers.contests.buttons import BUTTONS, Ballot, Vote
from services.contests import entries as service


async def _ballot(
    update: Update,
    context: BotContext,
    contest_id: int,
    ballot: tuple[list[service.EntryView], int | None],
) -> None:
    t = context.t
    offered, chosen = ballot
    if not offered:
        await show(update, context, t.gettext("There are no works to vote for."))
        return
    rows = [
        [
            (
                ("✅ " if view.entry_id == chosen else "")
                + t.plain("{title} — {author}", title=view.title[:35], author=view.author),
                Vote(contest_id, view.entry_id).data(),
            )
        ]
        for view in offered
    ]
    text = t.gettext(
        "👥 The audience vote of «{contest}»: choose the work you like best. You can change "
        "your vote until the results.",
        contest=offered[0].contest,
    )
    await show(update, context, text, inline(rows))


@BUTTONS.on(Ballot)
async def ballot(update: Update, context: BotContext, press: Ballot) -> None:
    found = await service.ballot(context.session, context.actor, press.contest_id)
    await ack(update)
    await _ballot(update, context, press.contest_id, found)


@BUTTONS.on(Vote)
async def vote(update: Update, context: BotContext, press: Vote) -> None:
    changed = await service.vote(
        context.session, context.actor, contest_id=press.contest_id, entry_id=press.entry_id
    )
    t = context.t
    await ack(
        update, t.plain("Your vote is changed.") if changed else t.plain("Your vote is counted.")
    )
    found = await service.ballot(context.session, context.actor, press.contest_id)
    await _ballot(update, context, press.contest_id, found)
