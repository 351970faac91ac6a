"""How the catalogue's notices read: the weekly digest of new materials."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from handlers.resources.buttons import Digest, Home, Open
from handlers.uploads.notices import press_rows
from handlers.uploads.wording import kind_title
from services.notices import Notice
from services.resources.digest import DigestItem


def _line(t: Translator, item: DigestItem) -> str:
    place = item.association or t.plain("the whole network")
    return t.gettext(
        "• <b>{title}</b> — {kind}, {place}",
        title=item.title,
        kind=kind_title(t, item.kind),
        place=place,
    )


@renders("resources.digest")
def weekly_digest(t: Translator, notice: Notice) -> Rendered:
    items: list[DigestItem] = notice.params["items"]
    total: int = notice.params["total"]
    head = t.ngettext(
        "📚 <b>New in the resource bank</b>: {n} material approved last week.",
        "📚 <b>New in the resource bank</b>: {n} materials approved last week.",
        total,
    )
    lines = [head, "", *(_line(t, item) for item in items)]
    if total > len(items):
        lines.append(
            t.ngettext(
                "…and {n} more in /resources.", "…and {n} more in /resources.", total - len(items)
            )
        )
    rows = [
        [(t.plain("📄 {title}", title=item.title[:40]), Open(item.material_id).data())]
        for item in items[:3]
    ]
    rows.append([(t.plain("📚 Open the bank"), Home().data())])
    rows.append([(t.plain("🔕 Don't send me this"), Digest(False, menu=False).data())])
    return Rendered("\n".join(lines), press_rows(rows))
