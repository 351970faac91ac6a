"""How a contest, an entry, a ranking and the jury's progress read in messages."""

from __future__ import annotations

from decimal import Decimal

from bot.i18n import Html, Translator
from documents.contest_protocol import number
from models.contests import ContestAudience, ContestStatus
from services.contests.cards import ContestCard
from services.contests.entries import EntryView
from services.contests.judging import Progress
from services.contests.results import Results
from services.formatting import format_date


def status_title(t: Translator, status: ContestStatus) -> str:
    return {
        ContestStatus.ANNOUNCED: t.plain("announced, submissions not open yet"),
        ContestStatus.OPEN: t.plain("submissions open"),
        ContestStatus.JUDGING: t.plain("the jury is scoring"),
        ContestStatus.PUBLISHED: t.plain("results published"),
    }[status]


def contest_card(t: Translator, card: ContestCard, *, rules: bool = False) -> Html:
    lang = t.language
    text = t.gettext(
        "🏆 <b>{title}</b> ({issuer})\n"
        "Submissions: {opens} – {closes}\nJudging until {judging}, results on {results}\n"
        "Nominations: {nominations}\nWho may take part: {audience}",
        title=card.title,
        issuer=card.issuer or t.plain("the network"),
        opens=format_date(card.opens_on, lang),
        closes=format_date(card.closes_on, lang),
        judging=format_date(card.judging_until, lang),
        results=format_date(card.results_on, lang),
        nominations="; ".join(name for _, name in card.nominations),
        audience=(
            t.plain("every teacher of the network")
            if card.audience is ContestAudience.NETWORK
            else t.plain("the association's members")
        ),
    )
    if card.audience_vote:
        text = t.gettext("{text}\n👥 With an audience vote", text=text)
    if rules:
        criteria = "\n".join(
            t.ngettext("• {name}: up to {n} point", "• {name}: up to {n} points", top, name=name)
            for _, name, top in card.criteria
        )
        text = t.gettext(
            "{text}\n\n<b>Rules</b>\n{rules}\n\n<b>Criteria</b>\n{criteria}",
            text=text,
            rules=card.rules,
            criteria=criteria,
        )
    return text


def entry_card(t: Translator, view: EntryView) -> Html:
    files = ", ".join(f.file_name or t.plain("file") for f in view.files)
    text = t.gettext(
        "📄 <b>{title}</b>\n{contest} · {nomination}\n\n{annotation}",
        title=view.title,
        contest=view.contest,
        nomination=view.nomination,
        annotation=view.annotation,
    )
    if files:
        text = t.gettext("{text}\n📎 {files}", text=text, files=files)
    if view.link:
        text = t.gettext("{text}\n🔗 {link}", text=text, link=view.link)
    return text


def score_text(value: Decimal | None) -> str:
    return number(value)


SHOWN_RANKED = 30  # lines of a ranking in one message, over all the nominations
TITLE_SHOWN = 60


def _short(text: str) -> str:
    return text if len(text) <= TITLE_SHOWN else text[: TITLE_SHOWN - 1].rstrip() + "…"


def ranking(t: Translator, found: Results, *, limit: int | None = None) -> Html:
    """Per nomination, the places with the results: the first `limit` of each (by default
    as many as keep the whole ranking within one message)."""
    if limit is None:
        limit = max(3, SHOWN_RANKED // max(1, len(found.nominations)))
    parts = []
    for nomination in found.nominations:
        lines = [t.gettext("<b>{name}</b>", name=nomination.name)]
        for entry in nomination.entries[:limit]:
            lines.append(
                t.gettext(
                    "{place}. {author} — «{title}» ({result})",
                    place=str(entry.place) if entry.place else "—",
                    author=entry.author,
                    title=_short(entry.title),
                    result=score_text(entry.result),
                )
            )
        hidden = len(nomination.entries) - limit
        if hidden > 0:
            lines.append(t.ngettext("and {n} more", "and {n} more", hidden))
        if not nomination.entries:
            lines.append(t.gettext("No entries."))
        parts.append("\n".join(lines))
    if found.audience_award:
        names = ", ".join(f"{e.author} — «{_short(e.title)}»" for e in found.audience_award[:3])
        parts.append(
            t.ngettext(
                "👥 Audience award: {names} ({n} vote)",
                "👥 Audience award: {names} ({n} votes)",
                found.audience_award[0].votes,
                names=names,
            )
        )
    return Html("\n\n".join(parts))


def progress_text(t: Translator, progress: Progress) -> Html:
    lines = [
        t.ngettext(
            "Scored by at least one juror: {judged} of {n} entry.",
            "Scored by at least one juror: {judged} of {n} entries.",
            progress.entries,
            judged=progress.judged,
        )
    ]
    for juror in progress.jurors:
        lines.append(
            t.gettext(
                "• {name}: {scored} of {assigned}",
                name=juror.name,
                scored=juror.scored,
                assigned=juror.assigned,
            )
        )
    return Html("\n".join(lines))
