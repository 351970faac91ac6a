"""How the meeting notices read (bot/notices.py): the group card, invitations with the
calendar file, reminders, changes, cancellations, the protocol request, the norm warning."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from handlers.meetings import texts
from handlers.meetings.texts import answer_buttons, card_body, check_in_button, material_buttons
from handlers.protocols.buttons import Record
from services.formatting import format_datetime
from services.notices import Notice

CAPTION_LIMIT = 1024  # an invitation is the caption of the calendar file


@renders("meeting.card")
def card(t: Translator, notice: Notice) -> Rendered:
    text, buttons = texts.card(notice.params["view"], t)
    return Rendered(text, buttons)


@renders("meeting.invitation")
def invitation(t: Translator, notice: Notice) -> Rendered:
    view = notice.params["view"]
    text = t.gettext("📨 You are invited to a meeting.") + "\n\n"
    text += card_body(view, t, show_counts=False)
    text += "\n\n" + t.gettext("The calendar file adds it to your calendar. Will you come?")
    buttons = [answer_buttons(t, view.meeting.id), *material_buttons(t, view)]
    return Rendered(text[:CAPTION_LIMIT], buttons)


@renders("meeting.reminder")
def reminder(t: Translator, notice: Notice) -> Rendered:
    view, stage = notice.params["view"], notice.params["stage"]
    meeting = view.meeting
    link = [{"text": t.plain("🔗 Join"), "url": meeting.link}]
    if stage == "start":
        text = t.gettext(
            "🔔 The meeting «{topic}» is starting now. Join: {link}",
            topic=meeting.topic,
            link=meeting.link,
        )
        return Rendered(text, [link, [check_in_button(t, meeting.id)], *material_buttons(t, view)])
    text = t.ngettext(
        "⏰ In {n} hour: «{topic}» ({when}).",
        "⏰ In {n} hours: «{topic}» ({when}).",
        int(stage[1:]),
        topic=meeting.topic,
        when=format_datetime(meeting.starts_at, view.association.timezone, t.language),
    )
    return Rendered(text, [link, *material_buttons(t, view)])


@renders("meeting.changed")
def changed(t: Translator, notice: Notice) -> Rendered:
    view = notice.params["view"]
    zone = view.association.timezone
    return Rendered(
        t.gettext(
            "🕒 The meeting «{topic}» has moved from {old} to <b>{new}</b>. "
            "The attached file updates your calendar.",
            topic=view.meeting.topic,
            old=format_datetime(notice.params["old_start"], zone, t.language),
            new=format_datetime(view.meeting.starts_at, zone, t.language),
        )
    )


@renders("meeting.cancelled")
def cancelled(t: Translator, notice: Notice) -> Rendered:
    view = notice.params["view"]
    return Rendered(
        t.gettext(
            "❌ The meeting «{topic}» on {when} is cancelled.",
            topic=view.meeting.topic,
            when=format_datetime(view.meeting.starts_at, view.association.timezone, t.language),
        )
    )


@renders("meeting.protocol_request")
def protocol_request(t: Translator, notice: Notice) -> Rendered:
    view = notice.params["view"]
    text = t.gettext(
        "📝 The meeting No. {number} «{topic}» of {name} has ended. Please fill in its "
        "protocol: the attendance and the agenda are already filled in.",
        number=view.meeting.number,
        topic=view.meeting.topic,
        name=view.association.name,
    )
    button = {"text": t.plain("✍️ Fill in the protocol"), "callback": Record(view.meeting.id).data()}
    return Rendered(text, [[button]])


@renders("meeting.norm_warning")
def norm_warning(t: Translator, notice: Notice) -> Rendered:
    association, status = notice.params["association"], notice.params["status"]
    lines = [
        t.gettext("⚠️ <b>{name}</b>: the year's meetings are behind.", name=association.name),
        texts.norm_line(t, status),
    ]
    if status.needed:
        lines.append(
            t.ngettext(
                "To reach the norm, {n} more meeting is needed before the end of the year.",
                "To reach the norm, {n} more meetings are needed before the end of the year.",
                status.needed,
            )
        )
    if status.overdue:
        lines.append(t.gettext("Plan items whose month has passed:"))
        lines += [texts.plan_item_line(t, item) for item in status.overdue[:15]]
    lines.append(t.gettext("Schedule them with /meeting."))
    return Rendered("\n".join(lines))
