"""/associations: the catalogue of active associations, filtered by kind and subject."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.keyboards import columns, inline
from bot.replies import ack, alert, show
from handlers.associations.presses import BUTTONS, STALE, ChooseSubject, OpenCard, OpenCatalogue
from services import associations
from services.catalogs import SUBJECTS, subject_title

PER_PAGE = 5


async def catalogue_command(update: Update, context: BotContext) -> None:
    await show_catalogue(update, context, OpenCatalogue())


@BUTTONS.on(OpenCatalogue)
async def open_catalogue(update: Update, context: BotContext, press: OpenCatalogue) -> None:
    if press.subject is not None and press.subject not in SUBJECTS:
        await alert(update, context.t.plain(STALE))
        return
    await ack(update)
    await show_catalogue(update, context, press)


def _filters_line(context: BotContext, press: OpenCatalogue) -> str | None:
    t = context.t
    chosen = []
    if press.kind:
        chosen.append(t.plain(associations.KIND_SHORT[press.kind]))
    if press.subject:
        chosen.append(t.plain(subject_title(press.subject)))
    return t.gettext("Filter: {filters}", filters=", ".join(chosen)) if chosen else None


def _filter_rows(context: BotContext, press: OpenCatalogue) -> list[list[tuple[str, str]]]:
    t = context.t
    kinds = [
        (
            ("✅ " if press.kind == kind else "") + t.plain(title),
            OpenCatalogue(0, kind, press.subject).data(),
        )
        for kind, title in associations.KIND_SHORT.items()
    ]
    return [
        *columns(kinds, 3),
        [
            (t.plain("📚 Subject…"), ChooseSubject(press.kind).data()),
            (t.plain("✖ Reset filters"), OpenCatalogue().data()),
        ],
    ]


async def show_catalogue(update: Update, context: BotContext, press: OpenCatalogue) -> None:
    t = context.t
    result = await associations.catalogue(
        context.session, kind=press.kind, subject=press.subject, page=press.page, per_page=PER_PAGE
    )
    lines = [t.gettext("<b>Associations</b>")]
    filters_line = _filters_line(context, press)
    if filters_line:
        lines.append(filters_line)
    if not result.items:
        lines.append(t.gettext("Nothing matches yet."))
    rows: list[list[tuple[str, str]]] = []
    for association, count in result.items:
        lines.append(
            "• "
            + t.gettext(
                "{name} ({kind}) — {members}",
                name=association.name,
                kind=t.plain(associations.KIND_SHORT[association.kind]),
                members=t.nplain("{n} member", "{n} members", count),
            )
        )
        rows.append([(association.name[:60], OpenCard(association.id).data())])
    if result.pages > 1:
        lines.append(t.gettext("Page {page} of {pages}", page=result.page + 1, pages=result.pages))
    pager = []
    if result.page > 0:
        pager.append(
            (t.plain("⬅️"), OpenCatalogue(result.page - 1, press.kind, press.subject).data())
        )
    if result.page + 1 < result.pages:
        pager.append(
            (t.plain("➡️"), OpenCatalogue(result.page + 1, press.kind, press.subject).data())
        )
    if pager:
        rows.append(pager)
    rows.extend(_filter_rows(context, press))
    await show(update, context, "\n".join(lines), inline(rows))


@BUTTONS.on(ChooseSubject)
async def choose_subject(update: Update, context: BotContext, press: ChooseSubject) -> None:
    t = context.t
    buttons = [
        (t.plain(title), OpenCatalogue(0, press.kind, key).data())
        for key, title in SUBJECTS.items()
    ]
    await ack(update)
    await show(update, context, t.gettext("Choose a subject:"), inline(columns(buttons, 2)))


def menu_rows(context: BotContext) -> list[list[tuple[str, str]]]:
    """The main menu's entry to the catalogue."""
    return [[(context.t.plain("🏛 Associations"), OpenCatalogue().data())]]
