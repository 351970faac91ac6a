"""How the notices of the resource bank's uploads read (services/resources/submission.py
and review.py record them): a submission for the reviewers, the decision for the author,
the reviewers' daily digest of the queue."""

from __future__ import annotations

from bot.i18n import Translator
from bot.keyboards import Button
from bot.notices import Rendered, renders
from handlers.uploads.buttons import Correct, MyMaterials, OpenQueue, Review
from handlers.uploads.wording import material_card
from services.formatting import format_date
from services.notices import Notice
from services.outbox import Buttons
from services.resources.views import MaterialView


def press_rows(rows: list[list[Button]]) -> Buttons:
    """(label, callback data) rows as the outbox keeps buttons."""
    return [[{"text": label, "callback": data} for label, data in row] for row in rows]


def _mine(t: Translator) -> tuple[str, str]:
    return t.plain("📂 My materials"), MyMaterials().data()


def _queue(t: Translator) -> tuple[str, str]:
    return t.plain("📋 Open the queue"), OpenQueue().data()


@renders("uploads.submitted")
def submitted(t: Translator, notice: Notice) -> Rendered:
    view: MaterialView = notice.params["view"]
    if notice.params.get("again"):
        head = t.gettext("📥 A corrected material is back for review:")
    else:
        head = t.gettext("📥 A new material waits for review:")
    text = t.gettext("{head}\n\n{card}", head=head, card=material_card(t, view))
    review = (t.plain("🔍 Review"), Review(view.material_id).data())
    return Rendered(text, press_rows([[review], [_queue(t)]]))


@renders("uploads.approved")
def approved(t: Translator, notice: Notice) -> Rendered:
    view: MaterialView = notice.params["view"]
    text = t.gettext(
        "✅ Your material «{title}» is approved and is in the bank now. Thank you for sharing "
        "it with colleagues!",
        title=view.title,
    )
    return Rendered(text, press_rows([[_mine(t)]]))


@renders("uploads.needs_revision")
def needs_revision(t: Translator, notice: Notice) -> Rendered:
    view: MaterialView = notice.params["view"]
    text = t.gettext(
        "✏️ Your material «{title}» needs revision.\nThe reviewer's comment: {comment}\n\n"
        "Correct it and resubmit: the form opens filled in.",
        title=view.title,
        comment=view.comment or "",
    )
    correct = (t.plain("✏️ Correct and resubmit"), Correct(view.material_id).data())
    return Rendered(text, press_rows([[correct], [_mine(t)]]))


@renders("uploads.rejected")
def rejected(t: Translator, notice: Notice) -> Rendered:
    view: MaterialView = notice.params["view"]
    text = t.gettext(
        "❌ Your material «{title}» is not accepted into the bank.\nThe reason: {comment}",
        title=view.title,
        comment=view.comment or "",
    )
    return Rendered(text, press_rows([[_mine(t)]]))


@renders("uploads.queue_digest")
def queue_digest(t: Translator, notice: Notice) -> Rendered:
    count: int = notice.params["count"]
    text = t.ngettext(
        "📋 {n} material waits for your review; the oldest since {day}",
        "📋 {n} materials wait for your review; the oldest since {day}",
        count,
        day=format_date(notice.params["since"], t.language),
    )
    return Rendered(text, press_rows([[_queue(t)]]))
