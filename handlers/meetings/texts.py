"""Words the meeting screens and notices share: the card, its buttons, the norm line."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Translator, zone_title
from bot.meeting_forms import FORM_TITLES, form_key
from bot.render import Renderer
from handlers.meetings.buttons import CheckIn, Going, Maybe, NotGoing, SendMaterials
from models.meetings import MeetingStatus
from models.plans import PlanEntry
from services import meetings as service
from services.formatting import format_month
from services.outbox import Buttons

RENDERER = Renderer()


def form_title(t: Translator, form: str | None) -> str:
    return t.plain(FORM_TITLES[form_key(form)])


def card_body(view: service.MeetingView, t: Translator, *, show_counts: bool) -> str:
    """The meeting as the group card shows it (and the invitation, without the counts)."""
    zone = view.association.timezone
    return RENDERER.render(
        "meetings/card.html",
        t,
        meeting=view.meeting,
        association=view.association,
        agenda=view.agenda,
        counts=view.counts,
        form=form_title(t, view.meeting.form),
        tz_label=zone_title(t, zone),
        show_counts=show_counts,
        cancelled=view.meeting.status is MeetingStatus.CANCELLED,
    )


def answer_buttons(t: Translator, meeting_id: int) -> list[dict[str, str]]:
    return [
        {"text": t.plain("✅ Will attend"), "callback": Going(meeting_id).data()},
        {"text": t.plain("🤔 Maybe"), "callback": Maybe(meeting_id).data()},
        {"text": t.plain("❌ Cannot"), "callback": NotGoing(meeting_id).data()},
    ]


def check_in_button(t: Translator, meeting_id: int) -> dict[str, str]:
    return {"text": t.plain("✋ I am here"), "callback": CheckIn(meeting_id).data()}


def material_buttons(t: Translator, view: service.MeetingView) -> Buttons:
    if not view.materials:
        return []
    label = t.nplain("📎 Materials ({n} file)", "📎 Materials ({n} files)", view.materials)
    return [[{"text": label, "callback": SendMaterials(view.meeting.id).data()}]]


def card(view: service.MeetingView, t: Translator) -> tuple[str, Buttons]:
    """The group card: the meeting, the counts, and the answer buttons while it stands
    (posted and edited as the `meeting.card` notice)."""
    text = card_body(view, t, show_counts=True)
    if view.meeting.status is MeetingStatus.CANCELLED:
        return text, []
    meeting_id = view.meeting.id
    return text, [answer_buttons(t, meeting_id), [check_in_button(t, meeting_id)]]


def norm_line(t: Translator, status: service.NormStatus) -> str:
    if status.held >= status.target:
        text = t.ngettext(
            "Held {n} meeting this academic year: the norm is met.",
            "Held {n} meetings this academic year: the norm is met.",
            status.held,
        )
    else:
        text = t.ngettext(
            "Held {held} of {n} meeting this academic year.",
            "Held {held} of {n} meetings this academic year.",
            status.target,
            held=status.held,
        )
    if status.plan_items:
        text += " " + t.ngettext(
            "Plan: {done} of {n} item done.",
            "Plan: {done} of {n} items done.",
            status.plan_items,
            done=status.plan_done,
        )
    if status.overdue:
        text += " " + t.ngettext(
            "{n} item is overdue.", "{n} items are overdue.", len(status.overdue)
        )
    return text


def plan_item_line(t: Translator, item: PlanEntry) -> str:
    return t.gettext(
        "• {month}: {topic}",
        month=format_month(item.year, item.month, t.language),
        topic=item.topic,
    )


def hours_label(t: Translator, hours: Sequence[int]) -> str:
    """«24 h before and 1 h before», or «off»."""
    if not hours:
        return t.plain("off")
    parts = [t.nplain("{n} h before", "{n} h before", h) for h in hours]
    if len(parts) == 1:
        return parts[0]
    return t.plain("{first} and {last}", first=", ".join(parts[:-1]), last=parts[-1])
