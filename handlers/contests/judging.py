"""The jury: a juror's queue (conflicts of interest are not in it), an entry with its
files, and the scoring dialog `conj`: one score per criterion, then a comment, then
confirmation. Scoring an entry again corrects the earlier scores."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.keyboards import inline
from bot.replies import ack, reply
from handlers.contests.buttons import BUTTONS, Queue, Score
from handlers.contests.wording import entry_card
from services.contests import entries
from services.contests import judging as service
from services.errors import DomainError, InvalidInput
from services.texts import N_

SCORE = register_dialog(Dialog("conj"))
SHOWN = 10


@BUTTONS.on(Queue)
async def queue(update: Update, context: BotContext, press: Queue) -> None:
    t = context.t
    left, done = await service.queue(context.session, context.actor, press.contest_id)
    await ack(update)
    if not left:
        await reply(
            update,
            context,
            t.ngettext(
                "✅ You have scored every entry you judge ({n}). Thank you!",
                "✅ You have scored every entry you judge ({n}). Thank you!",
                done,
            ),
        )
        return
    views = [await entries.entry_view(context.session, entry_id) for entry_id in left[:SHOWN]]
    text = t.ngettext(
        "⚖️ {n} entry waits for your scores (scored: {done}). Works of your own school are "
        "not shown to you.",
        "⚖️ {n} entries wait for your scores (scored: {done}). Works of your own school are "
        "not shown to you.",
        len(left),
        done=done,
    )
    rows = [
        [
            (
                t.plain(
                    "⚖️ {title} ({nomination})", title=v.title[:30], nomination=v.nomination[:20]
                ),
                Score(v.entry_id).data(),
            )
        ]
        for v in views
    ]
    await reply(update, context, text, inline(rows))


@BUTTONS.on(Score)
async def open_entry(update: Update, context: BotContext, press: Score) -> None:
    view, criteria = await service.scorable(context.session, context.actor, press.entry_id)
    await ack(update)
    await reply(update, context, entry_card(context.t, view))
    chat = update.effective_chat
    assert chat is not None
    for file in view.files:
        await context.bot.send_document(chat.id, file.telegram_file_id)
    data = {
        "entry_id": view.entry_id,
        "contest_id": view.contest_id,
        "title": view.title,
        "criteria": [[c.criterion_id, c.name, c.max_score] for c in criteria],
        "values": [],
    }
    await SCORE.start(update, context, "score", data)


async def _ask_score(turn: Turn) -> None:
    d = turn.data
    index = len(d["values"])
    _, name, top = d["criteria"][index]
    await turn.say(
        turn.t.gettext(
            "Criterion {i} of {n}: <b>{name}</b>. Your score, from 0 to {top}:",
            i=index + 1,
            n=len(d["criteria"]),
            name=name,
            top=top,
        )
    )


async def _on_score(turn: Turn, text: str) -> None:
    d = turn.data
    _, _, top = d["criteria"][len(d["values"])]
    try:
        value = service.parse_score(text, top)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(values=[*d["values"], value])
    if len(turn.data["values"]) < len(d["criteria"]):
        await turn.repeat()
    else:
        await turn.goto("comment")


def _summary(turn: Turn) -> str:
    t, d = turn.t, turn.data
    lines = "\n".join(
        t.gettext("• {name}: {value} of {top}", name=name, value=value, top=top)
        for (_, name, top), value in zip(d["criteria"], d["values"], strict=True)
    )
    return t.gettext(
        "Your scores of «{title}»:\n{lines}\nTotal: {total}\nComment: {comment}\n\nSave them?",
        title=d["title"],
        lines=lines,
        total=sum(d["values"]),
        comment=d.get("comment") or t.plain("none"),
    )


async def _save(turn: Turn) -> None:
    d = turn.data
    values = {c[0]: value for c, value in zip(d["criteria"], d["values"], strict=True)}
    try:
        total = await service.score(
            turn.context.session,
            turn.context.actor,
            entry_id=d["entry_id"],
            values=values,
            comment=d.get("comment"),
        )
    except DomainError as error:
        await turn.finish()
        await turn.say(turn.t.error(error))
        return
    await turn.finish()
    left, _ = await service.queue(turn.context.session, turn.context.actor, d["contest_id"])
    keyboard = None
    if left:
        keyboard = inline([[(turn.t.plain("⚖️ Next entry"), Score(left[0]).data())]])
    await turn.say(
        turn.t.ngettext(
            "✅ Saved: {total} points for «{title}». {n} entry left.",
            "✅ Saved: {total} points for «{title}». {n} entries left.",
            len(left),
            total=total,
            title=d["title"],
        ),
        keyboard,
    )


async def _drop(turn: Turn) -> None:
    await turn.finish()
    await turn.say(turn.t.gettext("The scores are not saved."))


def _comment(text: str) -> str | None:
    return service.clean_comment(text)


SCORE.step("score", ask=_ask_score, on_text=_on_score)
SCORE.text_step(
    "comment",
    prompt=N_("A comment for the protocol (what is strong, what could be better):"),
    key="comment",
    clean=_comment,
    then="confirm",
    skip=N_("Without a comment ➡️"),
)
SCORE.confirm_step(
    "confirm",
    prompt=_summary,
    yes=N_("✅ Save"),
    on_yes=_save,
    no=N_("✖ Cancel"),
    on_no=_drop,
)
