"""The fellow members of one's associations, paged, each with «✉️ Write» (the /members of
a plain member; leaders reach writing from their roster's member card)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import ack, reply, show
from handlers.correspondence.presses import BUTTONS, OpenFellows, Write
from services import correspondence

PER_PAGE = 10
Rows = list[list[tuple[str, str]]]


def write_row(t: Translator, association_id: int, user_id: int) -> list[tuple[str, str]]:
    """The «✉️ Write» button row for a member's card (the leaders' roster links here)."""
    return [(t.plain("✉️ Write"), Write(association_id, user_id).data())]


async def fellows_command(update: Update, context: BotContext) -> None:
    """/members for a member who keeps no roster: their associations' fellow members."""
    t = context.t
    mine = await correspondence.my_associations(context.session, actor=context.actor)
    if not mine:
        await reply(
            update,
            context,
            t.gettext(
                "You are not a member of any association yet. Find one in /associations; "
                "then you can write to its members here."
            ),
        )
        return
    if len(mine) == 1:
        await show_fellows(update, context, mine[0].id, 0)
        return
    rows = [[(a.name[:60], OpenFellows(a.id).data())] for a in mine]
    await reply(update, context, t.gettext("Whose members would you like to see?"), inline(rows))


def _pager(t: Translator, association_id: int, page: int, pages: int) -> Rows:
    pager = []
    if page > 0:
        pager.append((t.plain("⬅️"), OpenFellows(association_id, page - 1).data()))
    if page + 1 < pages:
        pager.append((t.plain("➡️"), OpenFellows(association_id, page + 1).data()))
    return [pager] if pager else []


async def show_fellows(update: Update, context: BotContext, association_id: int, page: int) -> None:
    t = context.t
    found = await correspondence.fellows(
        context.session, actor=context.actor, association_id=association_id
    )
    people = found.people
    pages = max(1, -(-len(people) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    lines = [t.gettext("<b>Members of «{name}»</b>", name=found.association.name)]
    if not people:
        lines.append(t.gettext("Nobody else has joined yet."))
    else:
        lines.append(t.gettext("Press a name to write to that member through the bot."))
    if pages > 1:
        lines.append(t.gettext("Page {page} of {pages}", page=page + 1, pages=pages))
    rows: Rows = []
    first = page * PER_PAGE
    for number, person in enumerate(people[first : first + PER_PAGE], first + 1):
        lines.append(t.gettext("{number}. {name}", number=number, name=person.name))
        label = t.plain("✉️ Write to {name}", name=person.name)
        rows.append([(label[:60], Write(association_id, person.user_id).data())])
    rows.extend(_pager(t, association_id, page, pages))
    await show(update, context, "\n".join(lines), inline(rows) if rows else None)


@BUTTONS.on(OpenFellows)
async def open_fellows(update: Update, context: BotContext, press: OpenFellows) -> None:
    await ack(update)
    await show_fellows(update, context, press.association_id, press.page)
