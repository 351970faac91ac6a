"""/portfolio: a member's year in each association, and the portfolio extract PDF."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import ack, reply, show
from handlers.activity.buttons import BUTTONS, OpenPortfolio, PortfolioPdf
from handlers.activity.ranking import period_text
from services import associations
from services import portfolio as service
from services.formatting import academic_year_label, format_date_short
from services.portfolio import Part, Portfolio
from services.texts import N_

YEAR_TITLES = {0: N_("This academic year"), 1: N_("Previous academic year")}


def _part_lines(t: Translator, part: Part) -> list[str]:
    lines = [
        "",
        t.gettext(
            "<b>«{name}»</b> — {role}",
            name=part.association.name,
            role=t.plain(associations.ROLE_TITLES[part.role]),
        ),
        t.gettext("Period: {period}", period=period_text(t, part.period)),
    ]
    forms = service.forms_of(part.counts, part.held, t.plain, t.plain("of"))
    if not forms:
        lines.append(t.gettext("Nothing is recorded for this period yet."))
    for title, amount in forms:
        lines.append(t.gettext("• {form}: {amount}", form=title, amount=amount))
    if part.meetings:
        lines.append(t.gettext("<i>Meetings attended:</i>"))
        lines += [
            t.gettext("  {date} — {topic}", date=format_date_short(m.starts_at), topic=m.topic)
            for m in part.meetings
        ]
    if part.materials:
        lines.append(t.gettext("<i>Materials published:</i>"))
        lines += [t.gettext("  «{title}»", title=m.title) for m in part.materials]
    return lines


def portfolio_text(t: Translator, found: Portfolio) -> str:
    lines = [
        t.gettext(
            "📁 <b>My portfolio: the {year} academic year</b>",
            year=academic_year_label(found.academic_year),
        )
    ]
    if not found.parts:
        lines.append(t.gettext("You were not a member of any association in this year."))
    for part in found.parts:
        lines += _part_lines(t, part)
    return "\n".join(lines)


def portfolio_rows(t: Translator, found: Portfolio) -> list[list[tuple[str, str]]]:
    years = [
        (("✅ " if back == found.years_back else "") + t.plain(title), OpenPortfolio(back).data())
        for back, title in YEAR_TITLES.items()
    ]
    rows = [years]
    if found.parts:
        rows.append([(t.plain("📄 Extract PDF"), PortfolioPdf(found.years_back).data())])
    return rows


async def _show(update: Update, context: BotContext, years_back: int) -> None:
    found = await service.portfolio(context.session, actor=context.actor, years_back=years_back)
    t = context.t
    if update.callback_query is not None:
        await ack(update)
        await show(update, context, portfolio_text(t, found), inline(portfolio_rows(t, found)))
    else:
        await reply(update, context, portfolio_text(t, found), inline(portfolio_rows(t, found)))


async def portfolio_command(update: Update, context: BotContext) -> None:
    await _show(update, context, 0)


@BUTTONS.on(OpenPortfolio)
async def open_portfolio(update: Update, context: BotContext, press: OpenPortfolio) -> None:
    await _show(update, context, press.years_back)


@BUTTONS.on(PortfolioPdf)
async def portfolio_pdf(update: Update, context: BotContext, press: PortfolioPdf) -> None:
    filename, content = await service.extract(
        context.session,
        actor=context.actor,
        years_back=press.years_back,
        words=Translator("ru").plain,
    )
    chat = update.effective_chat
    assert chat is not None
    await ack(update)
    await context.bot.send_document(
        chat.id,
        InputFile(BytesIO(content), filename=filename),
        caption=context.t.gettext("📄 The extract of your participation, for your portfolio."),
    )
