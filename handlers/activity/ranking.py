"""The ranking screen: /members → «📊 Activity» (the leader; the approver, methodists)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Html, Translator
from bot.keyboards import inline
from bot.replies import ack, show
from handlers.activity.buttons import (
    BUTTONS,
    Nominate,
    OpenRanking,
    PastNominations,
)
from services import ranking as service
from services.activity import Counts, Period
from services.formatting import format_date
from services.names import short_name
from services.ranking import Place, Ranking, Span
from services.texts import N_

SPAN_TITLES = {
    Span.MONTH: N_("This month"),
    Span.YEAR: N_("This academic year"),
    Span.LAST_YEAR: N_("Previous academic year"),
}
Rows = list[list[tuple[str, str]]]


def score_text(t: Translator, score: float) -> str:
    """12, 12.4 (12,4 in Russian): whole scores without a fraction."""
    text = f"{score:.0f}" if score == int(score) else f"{score:.1f}"
    return text.replace(".", ",") if t.language == "ru" else text


def breakdown_text(t: Translator, counts: Counts) -> str:
    """«встречи 5 · опросы 3 · материалы 1»."""
    return " · ".join(f"{t.plain(title)} {n}" for title, n in service.breakdown(counts))


def period_text(t: Translator, period: Period) -> str:
    return t.plain(
        "{start} – {end}",
        start=format_date(period.start, t.language),
        end=format_date(period.end, t.language),
    )


def _place_line(t: Translator, place: Place) -> Html:
    parts = breakdown_text(t, place.counts)
    return t.gettext(
        "{number}. {name} — <b>{score}</b> ({forms})",
        number=place.number,
        name=place.user.full_name or "",
        score=score_text(t, place.score),
        forms=parts,
    )


def ranking_text(t: Translator, found: Ranking) -> str:
    lines = [
        t.gettext("<b>Activity in «{name}»</b>", name=found.association.name),
        t.gettext(
            "{span}: {period}",
            span=t.plain(SPAN_TITLES[found.span]),
            period=period_text(t, found.period),
        ),
        t.gettext(
            "Meetings held: {held} · {members}",
            held=found.held,
            members=t.nplain("{n} member", "{n} members", found.members),
        ),
        "",
    ]
    shown = found.shown
    if not shown:
        lines.append(t.gettext("Nobody has taken part in this period yet."))
    else:
        if found.pages > 1:
            lines.append(
                t.gettext("Page {page} of {pages}", page=found.page + 1, pages=found.pages)
            )
        lines.extend(_place_line(t, place) for place in shown)
    least = found.least
    if least:
        lines += ["", t.gettext("<b>The least active</b>")]
        for place in least:
            forms = breakdown_text(t, place.counts) or t.plain("nothing yet")
            lines.append(
                t.gettext(
                    "• {name} — {score} ({forms})",
                    name=place.user.full_name or "",
                    score=score_text(t, place.score),
                    forms=forms,
                )
            )
    return "\n".join(lines)


def ranking_rows(t: Translator, found: Ranking) -> Rows:
    assoc = found.association.id
    spans = [
        (("✅ " if span is found.span else "") + t.plain(title), OpenRanking(assoc, span).data())
        for span, title in SPAN_TITLES.items()
    ]
    rows: Rows = [spans[:1] + spans[1:2], spans[2:]]
    pager = []
    if found.page > 0:
        pager.append((t.plain("⬅️"), OpenRanking(assoc, found.span, found.page - 1).data()))
    if found.page + 1 < found.pages:
        pager.append((t.plain("➡️"), OpenRanking(assoc, found.span, found.page + 1).data()))
    if pager:
        rows.append(pager)
    if found.leads:
        rows.append(
            [
                (t.plain("🏅 Nominate"), Nominate(assoc, found.span).data()),
                (t.plain("🗂 Past nominations"), PastNominations(assoc).data()),
            ]
        )
    return rows


def place_label(place: Place) -> str:
    """A member's toggle in the nomination dialog: «1. Петров И. С.»."""
    return f"{place.number}. {short_name(place.user.full_name)}"[:60]


async def show_ranking(
    update: Update, context: BotContext, association_id: int, span: Span, page: int = 0
) -> None:
    found = await service.ranking(
        context.session,
        actor=context.actor,
        association_id=association_id,
        span=span,
        page=page,
        weights=context.settings.weights,
    )
    rows = ranking_rows(context.t, found)
    if found.leads:
        from handlers.members import OpenRoster  # the roster imports this package's buttons

        rows.append([(context.t.plain("⬅️ Members"), OpenRoster(association_id).data())])
    await ack(update)
    await show(update, context, ranking_text(context.t, found), inline(rows))


@BUTTONS.on(OpenRanking)
async def open_ranking(update: Update, context: BotContext, press: OpenRanking) -> None:
    await show_ranking(update, context, press.association_id, press.span, press.page)
