"""/resources: the bank's menu, the catalogue's pages and its filters."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.i18n import Html, Translator
from bot.keyboards import Button, columns, inline
from bot.replies import ack, reply, show
from handlers.resources.buttons import BUTTONS, Browse, Digest, Home, Open, Refine, Search
from handlers.uploads.buttons import NewMaterial, OpenQueue
from handlers.uploads.wording import KIND_BUTTONS, kind_title
from models.resources import MaterialKind
from services.access import require_registered
from services.catalogs import subject_title
from services.resources import catalogue, digest
from services.resources.access import pending_count, review_scope
from services.resources.catalogue import Facets, Filters, Order, Page

GRADES = range(1, 12)


async def resources_command(update: Update, context: BotContext) -> None:
    words = " ".join(context.args or [])
    if words:
        from handlers.resources.search import show_found

        await show_found(update, context, words)
        return
    text, keyboard = await _home(context)
    await reply(update, context, text, keyboard)


@BUTTONS.on(Home)
async def home(update: Update, context: BotContext, press: Home) -> None:
    text, keyboard = await _home(context)
    await ack(update)
    await show(update, context, text, keyboard)


async def _home(context: BotContext) -> tuple[Html, InlineKeyboardMarkup | None]:
    t, session, actor = context.t, context.session, context.actor
    user = await require_registered(session, actor)
    scope = await review_scope(session, user, platform_admin=actor.is_platform_admin)
    rows: list[list[Button]] = [
        [
            (t.plain("🆕 New materials"), Browse().data()),
            (t.plain("🔥 Most downloaded"), Browse(order=Order.POPULAR).data()),
        ],
        [
            (t.plain("🔎 Search by words"), Search().data()),
            (t.plain("🗂 Choose by type"), Refine("k").data()),
        ],
        [
            (t.plain("🔗 Useful links"), Browse(kind=MaterialKind.LINK).data()),
            (t.plain("🖼 Gallery of works"), Browse(kind=MaterialKind.GALLERY).data()),
        ],
        [(t.plain("🏆 Achievements of members"), Browse(kind=MaterialKind.ACHIEVEMENT).data())],
        [(t.plain("📤 Upload a material"), NewMaterial().data())],
    ]
    if scope.is_reviewer:
        waiting = await pending_count(session, scope)
        rows.append([(t.plain("🧐 Review ({n})", n=waiting), OpenQueue().data())])
    enabled = await digest.digest_enabled(session, actor)
    rows.append(
        [
            (t.plain("🔕 Weekly digest: on"), Digest(False).data())
            if enabled
            else (t.plain("🔔 Weekly digest: off"), Digest(True).data())
        ]
    )
    text = t.gettext(
        "📚 <b>The resource bank</b>\n\nMethodological materials of the associations: browse "
        "them by type, subject and grade, or find them by words (you can also write "
        "<code>/resources дроби</code>). Share your own with «Upload»."
    )
    return text, inline(rows)


@BUTTONS.on(Digest)
async def switch_digest(update: Update, context: BotContext, press: Digest) -> Settled | None:
    await digest.set_digest(context.session, context.actor, enabled=press.enabled)
    t = context.t
    said = (
        t.plain("The weekly digest of new materials is on.")
        if press.enabled
        else t.plain("You will not get the weekly digest of new materials.")
    )
    await ack(update, said)
    if not press.menu:
        return Settled(t.gettext("🔕 {said} It can be switched on again in /resources.", said=said))
    text, keyboard = await _home(context)
    await show(update, context, text, keyboard)
    return None


# the catalogue's pages ------------------------------------------------------------------


@BUTTONS.on(Browse)
async def browse(update: Update, context: BotContext, press: Browse) -> None:
    filters = press.filters()
    page = await catalogue.browse(context.session, context.actor, filters)
    await ack(update)
    await show(update, context, *page_message(context.t, filters, page))


def _filters_line(t: Translator, filters: Filters) -> str:
    parts = []
    if filters.kind is not None:
        parts.append(kind_title(t, filters.kind))
    if filters.subject is not None:
        parts.append(t.plain(subject_title(filters.subject)))
    if filters.grade is not None:
        parts.append(t.plain("grade {n}", n=filters.grade))
    return " · ".join(parts)


def page_message(
    t: Translator, filters: Filters, page: Page
) -> tuple[Html, InlineKeyboardMarkup | None]:
    head = (
        t.gettext("🔥 <b>Most downloaded</b>")
        if filters.order is Order.POPULAR
        else t.gettext("🆕 <b>New materials</b>")
    )
    line = _filters_line(t, filters)
    if line:
        head = t.gettext("{head}\n{filters}", head=head, filters=line)
    if not page.items:
        text = t.gettext(
            "{head}\n\nNothing here yet. Try other filters, or search by words.", head=head
        )
    else:
        text = t.ngettext(
            "{head}\n\n{n} material. Page {page} of {pages}:",
            "{head}\n\n{n} materials. Page {page} of {pages}:",
            page.total,
            head=head,
            page=page.page + 1,
            pages=page.pages,
        )
    rows = item_rows(t, page)
    rows.append(_paging(t, filters, page))
    rows += _filter_rows(t, filters)
    return text, inline([row for row in rows if row])


def item_rows(t: Translator, page: Page) -> list[list[Button]]:
    return [
        [
            (
                t.plain(
                    "{n}. {title} ⬇️{downloads}",
                    n=page.page * catalogue.PAGE_SIZE + n + 1,
                    title=item.title[:48],
                    downloads=item.downloads,
                ),
                Open(item.material_id).data(),
            )
        ]
        for n, item in enumerate(page.items)
    ]


def _paging(t: Translator, filters: Filters, page: Page) -> list[Button]:
    row: list[Button] = []
    if page.page > 0:
        row.append((t.plain("◀️ Back"), Browse.of(filters.turned_to(page.page - 1)).data()))
    if page.page + 1 < page.pages:
        row.append((t.plain("Next ▶️"), Browse.of(filters.turned_to(page.page + 1)).data()))
    return row


def _refine(facet: str, filters: Filters) -> str:
    return Refine(
        facet, filters.association_id, filters.kind, filters.subject, filters.grade, filters.order
    ).data()


def _filter_rows(t: Translator, filters: Filters) -> list[list[Button]]:
    other = Order.NEWEST if filters.order is Order.POPULAR else Order.POPULAR
    order_label = (
        t.plain("🆕 Newest first") if other is Order.NEWEST else t.plain("🔥 Most downloaded first")
    )
    return [
        [
            (t.plain("🏛 Association"), _refine("a", filters)),
            (t.plain("🗂 Type"), _refine("k", filters)),
        ],
        [
            (t.plain("📖 Subject"), _refine("s", filters)),
            (t.plain("🎓 Grade"), _refine("g", filters)),
        ],
        [
            (
                order_label,
                Browse.of(
                    Filters(
                        filters.association_id, filters.kind, filters.subject, filters.grade, other
                    )
                ).data(),
            ),
            (t.plain("🏠 Menu"), Home().data()),
        ],
    ]


@BUTTONS.on(Refine)
async def refine(update: Update, context: BotContext, press: Refine) -> None:
    t = context.t
    filters = Filters(press.association_id, press.kind, press.subject, press.grade, press.order)
    facets = await catalogue.facets(context.session, context.actor)
    options = _options(t, press.facet, filters, facets)
    await ack(update)
    prompts = {
        "a": t.gettext("Materials of which association?"),
        "k": t.gettext("Materials of which type?"),
        "s": t.gettext("Materials for which subject?"),
        "g": t.gettext("Materials for which grade?"),
    }
    await show(update, context, prompts.get(press.facet, prompts["k"]), inline(options))


def _options(t: Translator, facet: str, filters: Filters, facets: Facets) -> list[list[Button]]:
    def with_(**change: object) -> str:
        values = {
            "association_id": filters.association_id,
            "kind": filters.kind,
            "subject": filters.subject,
            "grade": filters.grade,
            "order": filters.order,
        }
        values.update(change)
        return Browse(**values).data()  # type: ignore[arg-type]

    if facet == "a":
        buttons = [(name[:40], with_(association_id=aid)) for aid, name in facets.associations]
        every = (t.plain("All associations"), with_(association_id=None))
        return [[b] for b in buttons] + [[every]]
    if facet == "s":
        buttons = [(t.plain(subject_title(s))[:30], with_(subject=s)) for s in facets.subjects]
        return [*columns(buttons, 2), [(t.plain("Any subject"), with_(subject=None))]]
    if facet == "g":
        buttons = [(str(g), with_(grade=g)) for g in GRADES]
        return [*columns(buttons, 6), [(t.plain("Any grade"), with_(grade=None))]]
    buttons = [(t.plain(KIND_BUTTONS[k]), with_(kind=k)) for k in facets.kinds]
    return [*columns(buttons, 2), [(t.plain("Any type"), with_(kind=None))]]
