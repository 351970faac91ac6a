"""/contest: what waits for the person — open contests (rules, submit), their entries,
the jury's queues, the audience votes, their diplomas, and the contests they organise."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Html, Translator
from bot.keyboards import Button, inline
from bot.replies import ack, reply
from handlers.contests.buttons import (
    BUTTONS,
    Announce,
    AnnounceNetwork,
    Ballot,
    Diploma,
    Manage,
    OpenContests,
    Queue,
    Replace,
    Rules,
    Scores,
    Submit,
)
from handlers.contests.wording import contest_card, score_text, status_title
from services.contests import announcing, cards, diplomas, entries, judging, results
from services.formatting import format_date


async def contest_command(update: Update, context: BotContext) -> None:
    t, session, actor = context.t, context.session, context.actor
    open_ones = await entries.open_contests(session, actor)
    mine = await entries.my_entries(session, actor)
    queues = await judging.juror_contests(session, actor)
    votes = await entries.votable_contests(session, actor)
    awarded = await diplomas.my_diplomas(session, actor)
    organised = await cards.organised_contests(session, actor)
    may_announce = bool(await announcing.organised_associations(session, actor))
    parts: list[Html] = []
    rows: list[list[Button]] = []
    if open_ones:
        parts.append(t.gettext("<b>Open contests</b>"))
        for card in open_ones:
            parts.append(contest_card(t, card))
            row = [(t.plain("📜 Contest rules"), Rules(card.contest_id).data())]
            if card.accepting:
                row.append(
                    (
                        t.plain("📤 Enter a work: {title}", title=card.title[:30]),
                        Submit(card.contest_id).data(),
                    )
                )
            rows.append(row)
    if mine:
        parts.append(_mine(t, mine))
        for view in mine:
            if view.replaceable:
                label = t.plain("🔁 Replace: {title}", title=view.title[:40])
                rows.append([(label, Replace(view.entry_id).data())])
            elif view.published:
                label = t.plain("📊 The jury's scores: {title}", title=view.title[:30])
                rows.append([(label, Scores(view.entry_id).data())])
    if queues:
        parts.append(t.gettext("<b>Jury</b>"))
        for contest_id, title, left in queues:
            parts.append(
                t.ngettext(
                    "⚖️ «{title}»: {n} entry to score",
                    "⚖️ «{title}»: {n} entries to score",
                    left,
                    title=title,
                )
            )
            rows.append([(t.plain("⚖️ Score: {title}", title=title[:40]), Queue(contest_id).data())])
    for card in votes:
        rows.append(
            [(t.plain("👥 Vote: {title}", title=card.title[:40]), Ballot(card.contest_id).data())]
        )
    if awarded:
        parts.append(t.gettext("<b>My diplomas</b>"))
        for diploma_id, what, title in awarded:
            rows.append(
                [
                    (
                        t.plain("🎓 {what}: {title}", what=what, title=title[:30]),
                        Diploma(diploma_id).data(),
                    )
                ]
            )
    if organised:
        parts.append(t.gettext("<b>Contests I organise</b>"))
        for card in organised:
            parts.append(
                t.gettext(
                    "⚙️ «{title}»: {status}, {entries}",
                    title=card.title,
                    status=status_title(t, card.status),
                    entries=t.ngettext("{n} entry", "{n} entries", card.entries),
                )
            )
            rows.append(
                [(t.plain("⚙️ {title}", title=card.title[:40]), Manage(card.contest_id).data())]
            )
    if may_announce:
        rows.append([(t.plain("➕ Announce a contest"), Announce().data())])
    if await announcing.may_announce_network(session, actor):
        rows.append([(t.plain("🌐 Announce a network-wide contest"), AnnounceNetwork().data())])
    if not parts:
        parts.append(t.gettext("There are no open contests for you right now."))
    await reply(update, context, "\n\n".join(parts), inline(rows) if rows else None)


def _mine(t: Translator, views: list[entries.EntryView]) -> Html:
    lines = [t.gettext("<b>My entries</b>")]
    for view in views:
        params = {"title": view.title, "contest": view.contest, "nomination": view.nomination}
        if view.replaceable:
            line = t.gettext(
                "📄 «{title}» — {contest}, {nomination} (until {closes} it can be replaced)",
                closes=format_date(view.closes_on, t.language),
                **params,
            )
        elif view.published:
            line = t.gettext("📄 «{title}» — {contest}, {nomination}: results published", **params)
        else:
            line = t.gettext("📄 «{title}» — {contest}, {nomination}: with the jury", **params)
        lines.append(line)
    return Html("\n".join(lines))


@BUTTONS.on(Rules)
async def rules(update: Update, context: BotContext, press: Rules) -> None:
    card, file_id = await cards.rules_of(context.session, context.actor, press.contest_id)
    await ack(update)
    keyboard = None
    if card.accepting:
        keyboard = inline([[(context.t.plain("📤 Submit a work"), Submit(card.contest_id).data())]])
    await reply(update, context, contest_card(context.t, card, rules=True), keyboard)
    if file_id is not None and update.effective_chat is not None:
        await context.bot.send_document(update.effective_chat.id, file_id)


@BUTTONS.on(OpenContests)
async def open_contests(update: Update, context: BotContext, press: OpenContests) -> None:
    await ack(update)
    await contest_command(update, context)


def menu_rows(context: BotContext) -> list[list[Button]]:
    """The main menu's entry to /contest."""
    return [[(context.t.plain("🏆 Contests"), OpenContests().data())]]


@BUTTONS.on(Scores)
async def scores(update: Update, context: BotContext, press: Scores) -> None:
    t = context.t
    found = await results.feedback(context.session, context.actor, press.entry_id)
    await ack(update)
    lines = [
        t.gettext(
            "📊 <b>{title}</b> ({nomination})\nPlace: {place}. Result: {result}",
            title=found.title,
            nomination=found.nomination,
            place=str(found.place) if found.place else "—",
            result=score_text(found.result),
        )
    ]
    for name, top, value in found.criteria:
        lines.append(
            t.gettext("• {name}: {value} of {top}", name=name, value=score_text(value), top=top)
        )
    if found.comments:
        lines.append(t.gettext("<b>The jury's comments</b>"))
        lines.extend(t.gettext("— {comment}", comment=comment[:500]) for comment in found.comments)
    await reply(update, context, "\n".join(lines))
