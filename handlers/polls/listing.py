"""/poll: the associations where the person makes polls, each one's latest polls and
their results, and the button that starts a new poll."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import ack, choose_association, show
from handlers.polls.presses import BUTTONS, NewPoll, OpenPolls, ShowResult
from handlers.polls.wording import kind_of, result_text
from models import Association
from models.polls import Poll, PollStatus
from services import associations
from services import polls as service
from services.formatting import format_datetime


async def poll_command(update: Update, context: BotContext) -> None:
    found = await service.associations_of_maker(context.session, actor=context.actor)
    await choose_association(
        update,
        context,
        found,
        prefix=OpenPolls.prefix,
        nothing=context.t.gettext(
            "Polls are made by the leader, the administrator or the secretary of an association."
        ),
        open_one=lambda association: show_polls(update, context, association),
    )


@BUTTONS.on(OpenPolls)
async def open_polls(update: Update, context: BotContext, press: OpenPolls) -> None:
    association = await associations.get(context.session, press.association_id)
    await show_polls(update, context, association)
    await ack(update)


async def show_polls(update: Update, context: BotContext, association: Association) -> None:
    t = context.t
    recent = await service.recent(
        context.session, actor=context.actor, association_id=association.id
    )
    lines = [t.gettext("🗳 <b>Polls of «{name}»</b>", name=association.name)]
    if not recent:
        lines.append(t.gettext("No polls yet."))
    lines += [_line(t, poll, counted.voters, association.timezone) for poll, counted in recent]
    rows = [[(t.plain("➕ New poll"), NewPoll(association.id).data())]]
    rows += [[(_label(poll), ShowResult(poll.id).data())] for poll, _ in recent]
    await show(update, context, "\n".join(lines), inline(rows))


def _line(t: Translator, poll: Poll, voters: int, zone: str) -> str:
    when = format_datetime(poll.closes_at, zone, t.language)
    if poll.status is PollStatus.CLOSED:
        return t.ngettext(
            "✅ «{question}» ({kind}), closed {when}: {n} answer",
            "✅ «{question}» ({kind}), closed {when}: {n} answers",
            voters,
            question=poll.question,
            kind=kind_of(t, anonymous=poll.is_anonymous, multiple=poll.allows_multiple),
            when=when,
        )
    return t.ngettext(
        "🟢 «{question}» ({kind}), open until {when}: {n} answer so far",
        "🟢 «{question}» ({kind}), open until {when}: {n} answers so far",
        voters,
        question=poll.question,
        kind=kind_of(t, anonymous=poll.is_anonymous, multiple=poll.allows_multiple),
        when=when,
    )


def _label(poll: Poll) -> str:
    mark = "✅" if poll.status is PollStatus.CLOSED else "🟢"
    question = poll.question if len(poll.question) <= 40 else poll.question[:39] + "…"
    return f"📊 {mark} {question}"


@BUTTONS.on(ShowResult)
async def show_result(update: Update, context: BotContext, press: ShowResult) -> None:
    result = await service.result_of(context.session, actor=context.actor, poll_id=press.poll_id)
    back = [[(context.t.plain("⬅️ All polls"), OpenPolls(result.association.id).data())]]
    await show(update, context, result_text(context.t, result), inline(back))
    await ack(update)
