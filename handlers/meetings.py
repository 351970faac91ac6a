"""/meeting: schedule a virtual meeting, announce it, RSVP, attendance, reschedule, cancel.

Buttons: `meet:*` (the leader's screens), `rsvp:*` (the card in the group and the private
invitations), dialogs `meetd` (a new meeting) and `meetm` (a new time).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import Callback, cb, parse, pattern
from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.dialogs import Dialog, Turn, cleaned_answer
from bot.dialogs import register as register_dialog
from bot.i18n import Translator, zone_title
from bot.keyboards import columns, inline
from bot.render import Renderer
from bot.replies import ack, alert, choose_association, show
from models import Association, User
from models.meetings import MeetingStatus, RsvpAnswer
from models.plans import PlanEntry
from scheduler import jobs, reminders
from services import meetings as service
from services.clock import now
from services.dateparse import parse_meeting_time
from services.errors import DomainError, InvalidInput
from services.formatting import format_datetime, format_month
from services.outbox import Buttons
from services.texts import N_, T_

COMMANDS = [CommandSpec("meeting", N_("Meetings: schedule, announce, attendance"), Audience.LEADER)]

FORM_TITLES = {
    "webinar": T_("webinar"),
    "master_class": T_("virtual master class"),
    "exhibition": T_("virtual exhibition"),
    "online_consultation": T_("on-line consultation"),
    "forum": T_("forum"),
    "interactive_lecture": T_("interactive lecture"),
    "seminar": T_("virtual seminar"),
    "creative_workshop": T_("creative workshop"),
    "ring": T_("virtual ring"),
    "chat_consultation": T_("chat consultation"),
    "conference": T_("conference"),
    "pedagogical_council": T_("pedagogical council"),
    "other": T_("other form"),
}
ANSWERS = {"g": RsvpAnswer.GOING, "m": RsvpAnswer.MAYBE, "n": RsvpAnswer.NO}
ANSWER_TOASTS = {
    RsvpAnswer.GOING: N_("Noted: you will attend."),
    RsvpAnswer.MAYBE: N_("Noted: maybe."),
    RsvpAnswer.NO: N_("Noted: you cannot attend."),
}

NEW = register_dialog(Dialog("meetd"))
MOVE = register_dialog(Dialog("meetm"))
FILES = register_dialog(Dialog("meetf"))


# texts for the outbox (each reader in their own language) ------------------------------------
class Texts:
    """Composes the card, invitations and reminders; used by the service and the sweeps."""

    def __init__(self, default_language: str = "ru") -> None:
        self.default_language = default_language
        self.renderer = Renderer()
        self._translators: dict[str, Translator] = {}

    def _t(self, user: User | None = None) -> Translator:
        language = (user.language if user is not None else None) or self.default_language
        if language not in self._translators:  # a sweep composes hundreds of texts
            self._translators[language] = Translator(language)
        return self._translators[language]

    def body(self, view: service.MeetingView, t: Translator, *, show_counts: bool) -> str:
        zone = view.association.timezone
        return self.renderer.render(
            "meetings/card.html",
            t,
            meeting=view.meeting,
            association=view.association,
            agenda=view.agenda,
            counts=view.counts,
            form=t.plain(FORM_TITLES.get(view.meeting.form, FORM_TITLES["other"])),
            tz_label=zone,
            show_counts=show_counts,
            cancelled=view.meeting.status is MeetingStatus.CANCELLED,
        )

    def rsvp_buttons(self, t: Translator, meeting_id: int) -> Buttons:
        return [
            [
                {"text": t.plain("✅ Will attend"), "callback": cb("rsvp", "g", meeting_id)},
                {"text": t.plain("🤔 Maybe"), "callback": cb("rsvp", "m", meeting_id)},
                {"text": t.plain("❌ Cannot"), "callback": cb("rsvp", "n", meeting_id)},
            ],
            [{"text": t.plain("✋ I am here"), "callback": cb("rsvp", "here", meeting_id)}],
        ]

    def card(self, view: service.MeetingView) -> tuple[str, Buttons]:
        t = self._t()
        text = self.body(view, t, show_counts=True)
        if view.meeting.status is MeetingStatus.CANCELLED:
            return text, []
        return text, self.rsvp_buttons(t, view.meeting.id)

    def invitation(self, view: service.MeetingView, user: User) -> tuple[str, Buttons]:
        t = self._t(user)
        text = t.gettext("📨 You are invited to a meeting.") + "\n\n"
        text += self.body(view, t, show_counts=False)
        text += "\n\n" + t.gettext("The calendar file adds it to your calendar. Will you come?")
        buttons = self.rsvp_buttons(t, view.meeting.id)
        return text[:1024], [buttons[0], *self.material_buttons(t, view)]

    def material_buttons(self, t: Translator, view: service.MeetingView) -> Buttons:
        if not view.materials:
            return []
        label = t.nplain("📎 Materials ({n} file)", "📎 Materials ({n} files)", view.materials)
        return [[{"text": label, "callback": cb("rsvp", "mat", view.meeting.id)}]]

    def reminder(self, view: service.MeetingView, user: User, stage: str) -> tuple[str, Buttons]:
        t = self._t(user)
        meeting, zone = view.meeting, view.association.timezone
        when = format_datetime(meeting.starts_at, zone, t.language)
        link = [{"text": t.plain("🔗 Join"), "url": meeting.link}]
        if stage == "start":
            text = t.gettext(
                "🔔 The meeting «{topic}» is starting now. Join: {link}",
                topic=meeting.topic,
                link=meeting.link,
            )
            here = {"text": t.plain("✋ I am here"), "callback": cb("rsvp", "here", meeting.id)}
            return text, [link, [here], *self.material_buttons(t, view)]
        hours = int(stage[1:])
        text = t.ngettext(
            "⏰ In {n} hour: «{topic}» ({when}).",
            "⏰ In {n} hours: «{topic}» ({when}).",
            hours,
            topic=meeting.topic,
            when=when,
        )
        return text, [link, *self.material_buttons(t, view)]

    def protocol_request(self, view: service.MeetingView, user: User) -> tuple[str, Buttons]:
        t = self._t(user)
        meeting = view.meeting
        text = t.gettext(
            "📝 The meeting No. {number} «{topic}» of {name} has ended. Please fill in its "
            "protocol: the attendance and the agenda are already filled in.",
            number=meeting.number,
            topic=meeting.topic,
            name=view.association.name,
        )
        button = {
            "text": t.plain("✍️ Fill in the protocol"),
            "callback": cb("prot", "new", meeting.id),
        }
        return text, [[button]]

    def norm_warning(self, association: Association, user: User, status: service.NormStatus) -> str:
        t = self._t(user)
        lines = [
            t.gettext("⚠️ <b>{name}</b>: the year's meetings are behind.", name=association.name),
            norm_line(t, status),
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
            lines += [plan_item_line(t, item) for item in status.overdue[:15]]
        lines.append(t.gettext("Schedule them with /meeting."))
        return "\n".join(lines)

    def changed(self, view: service.MeetingView, user: User, old_start: datetime) -> str:
        t = self._t(user)
        zone = view.association.timezone
        return t.gettext(
            "🕒 The meeting «{topic}» has moved from {old} to <b>{new}</b>. "
            "The attached file updates your calendar.",
            topic=view.meeting.topic,
            old=format_datetime(old_start, zone, t.language),
            new=format_datetime(view.meeting.starts_at, zone, t.language),
        )

    def cancelled(self, view: service.MeetingView, user: User) -> str:
        t = self._t(user)
        return t.gettext(
            "❌ The meeting «{topic}» on {when} is cancelled.",
            topic=view.meeting.topic,
            when=format_datetime(view.meeting.starts_at, view.association.timezone, t.language),
        )


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


def texts_for(context: BotContext) -> Texts:
    return Texts(context.settings.default_language)


def _error(t: Translator, error: DomainError) -> str:
    return t.error(error)


# /meeting --------------------------------------------------------------------------------
async def meeting_command(update: Update, context: BotContext) -> None:
    associations = await service.managed_associations(context.session, context.actor)
    await choose_association(
        update,
        context,
        associations,
        prefix="meet",
        nothing=context.t.gettext(
            "Meetings are scheduled by the leader or the secretary of an association. "
            "You do not hold these roles in any association yet."
        ),
        open_one=lambda association: _show_association(update, context, association),
    )


async def _show_association(update: Update, context: BotContext, association: Association) -> None:
    t = context.t
    await service.require_association_role(
        context.session, context.actor, association.id, *service.MANAGERS
    )
    found = await service.upcoming(context.session, association.id)
    settings = await service.settings_of(context.session, association.id)
    norm = await service.norm_status(context.session, association)
    lines = [t.gettext("<b>Meetings of {name}</b>", name=association.name), norm_line(t, norm)]
    buttons = []
    for meeting in found:
        when = format_datetime(meeting.starts_at, association.timezone, t.language)
        lines.append(
            t.gettext(
                "No. {number} · {when} · {topic}",
                number=meeting.number,
                when=when,
                topic=meeting.topic,
            )
        )
        buttons.append(
            [(f"№ {meeting.number} · {meeting.topic}"[:60], cb("meet", "show", meeting.id))]
        )
    if not found:
        lines.append(t.gettext("No upcoming meetings."))
    buttons.append([(t.plain("➕ New meeting"), cb("meet", "new", association.id))])
    buttons.append(
        [
            (
                t.plain("⏰ Reminders: {hours}", hours=_hours_label(t, settings.reminder_hours)),
                cb("meet", "rem", association.id),
            )
        ]
    )
    await show(update, context, "\n".join(lines), inline(buttons))


def _hours_label(t: Translator, hours: list[int] | tuple[int, ...]) -> str:
    if not hours:
        return t.plain("off")
    return ", ".join(t.nplain("{n} h", "{n} h", h) for h in hours)


async def meeting_button(update: Update, context: BotContext) -> None:
    t = context.t
    data = parse(update.callback_query.data if update.callback_query else None)
    try:
        if data is None:
            raise ValueError
        number = data.int_arg(0)
    except ValueError:
        await alert(update, t.plain("This button is out of date."))
        return
    session = context.session
    action = data.action
    if action == "assoc":
        association = await session.get(Association, number)
        if association is None:
            await alert(update, t.plain("This button is out of date."))
            return
        await ack(update)
        await _show_association(update, context, association)
    elif action == "new":
        await service.require_association_role(session, context.actor, number, *service.MANAGERS)
        await ack(update)
        items = await service.plan_items_to_schedule(session, number)
        await NEW.start(
            update, context, "plan" if items else "topic", {"association_id": number, "agenda": []}
        )
    elif action == "rem":
        await _show_reminder_presets(update, context, number)
    elif action == "remset":
        await _set_reminders(update, context, number, data)
    elif action == "show":
        await ack(update)
        await _show_meeting(update, context, number)
    elif action == "att":
        await ack(update)
        await _show_attendance(update, context, number)
    elif action == "mat":
        meeting = await service.get_meeting(session, number)
        await service.require_association_role(
            session, context.actor, meeting.association_id, *service.MANAGERS
        )
        if meeting.status is MeetingStatus.CANCELLED:
            raise service.MeetingCancelled()
        await ack(update)
        await FILES.start(update, context, "files", {"meeting_id": number})
    elif action == "tog":
        await _toggle(update, context, number, data)
    elif action == "move":
        meeting = await service.get_meeting(session, number)
        await service.require_association_role(
            session, context.actor, meeting.association_id, *service.MANAGERS
        )
        await ack(update)
        await MOVE.start(update, context, "when", {"meeting_id": number})
    elif action == "cancel":
        await ack(update)
        keyboard = inline(
            [
                [(t.plain("✖ Yes, cancel the meeting"), cb("meet", "cancelok", number))],
                [(t.plain("⬅️ Back"), cb("meet", "show", number))],
            ]
        )
        await show(
            update,
            context,
            t.gettext("Cancel this meeting? Everyone invited will be told."),
            keyboard,
        )
    elif action == "cancelok":
        meeting = await service.cancel(
            session, context.actor, meeting_id=number, texts=texts_for(context)
        )
        await ack(update, t.plain("The meeting is cancelled; members are being told."))
        association = await session.get_one(Association, meeting.association_id)
        await _show_association(update, context, association)
    else:
        await alert(update, t.plain("This button is out of date."))


async def _show_reminder_presets(update: Update, context: BotContext, association_id: int) -> None:
    t = context.t
    await service.require_association_role(
        context.session, context.actor, association_id, *service.MANAGERS
    )
    await ack(update)
    buttons = [
        [(_hours_label(t, preset), cb("meet", "remset", association_id, index))]
        for index, preset in enumerate(service.REMINDER_PRESETS)
    ]
    await show(
        update,
        context,
        t.gettext("When should members be reminded before a meeting?"),
        inline(buttons),
    )


async def _set_reminders(
    update: Update, context: BotContext, association_id: int, data: Callback
) -> None:
    t = context.t
    try:
        preset = data.int_arg(1)
    except ValueError:
        await alert(update, t.plain("This button is out of date."))
        return
    hours = await service.set_reminders(
        context.session, context.actor, association_id=association_id, preset=preset
    )
    await ack(update, t.plain("Reminders: {hours}", hours=_hours_label(t, hours)))
    association = await context.session.get_one(Association, association_id)
    await _show_association(update, context, association)


async def _show_meeting(update: Update, context: BotContext, meeting_id: int) -> None:
    t = context.t
    meeting = await service.get_meeting(context.session, meeting_id)
    await service.require_association_role(
        context.session, context.actor, meeting.association_id, *service.MANAGERS
    )
    view = await service.view_of(context.session, meeting)
    text = texts_for(context).body(view, t, show_counts=True)
    rows = [[(t.plain("✋ Attendance"), cb("meet", "att", meeting.id))]]
    if meeting.status is not MeetingStatus.CANCELLED:
        label = (
            t.nplain("📎 Materials ({n} file)", "📎 Materials ({n} files)", view.materials)
            if view.materials
            else t.plain("📎 Materials")
        )
        rows.append([(label, cb("meet", "mat", meeting.id))])
    if meeting.status is MeetingStatus.SCHEDULED:
        rows.append([(t.plain("🕒 Reschedule"), cb("meet", "move", meeting.id))])
        rows.append([(t.plain("✖ Cancel the meeting"), cb("meet", "cancel", meeting.id))])
    rows.append([(t.plain("⬅️ Back"), cb("meet", "assoc", meeting.association_id))])
    await show(update, context, text, inline(rows))


async def _show_attendance(update: Update, context: BotContext, meeting_id: int) -> None:
    t = context.t
    meeting = await service.get_meeting(context.session, meeting_id)
    await service.require_association_role(
        context.session, context.actor, meeting.association_id, *service.MANAGERS
    )
    marks = await service.attendance(context.session, meeting_id)
    present = sum(1 for _, here in marks if here)
    text = t.gettext("<b>Attendance</b> · No. {number}", number=meeting.number) + "\n"
    text += t.ngettext("{n} person present", "{n} people present", present)
    text += "\n" + t.gettext("Press a name to correct the list.")
    rows = [
        [
            (
                ("✅ " if here else "▫️ ") + (user.full_name or "?")[:50],
                cb("meet", "tog", meeting_id, user.id),
            )
        ]
        for user, here in marks[:90]
    ]
    rows.append([(t.plain("⬅️ Back"), cb("meet", "show", meeting_id))])
    await show(update, context, text, inline(rows))


async def _toggle(update: Update, context: BotContext, meeting_id: int, data: Callback) -> None:
    t = context.t
    try:
        user_id = data.int_arg(1)
    except ValueError:
        await alert(update, t.plain("This button is out of date."))
        return
    here = await service.toggle_attendance(
        context.session, context.actor, meeting_id=meeting_id, user_id=user_id
    )
    await ack(update, t.plain("Marked present.") if here else t.plain("Marked absent."))
    await _show_attendance(update, context, meeting_id)


# RSVP and "I am here" (the group card and private messages) -----------------------------------
async def rsvp_button(update: Update, context: BotContext) -> None:
    t = context.t
    data = parse(update.callback_query.data if update.callback_query else None)
    try:
        if data is None or data.action not in (*ANSWERS, "here", "mat"):
            raise ValueError
        meeting_id = data.int_arg(0)
    except ValueError:
        await alert(update, t.plain("This button is out of date."))
        return
    if data.action == "mat":
        await _send_materials(update, context, meeting_id)
        return
    if data.action == "here":
        fresh = await service.mark_present(context.session, context.actor, meeting_id=meeting_id)
        await ack(
            update,
            t.plain("Thank you, you are marked present.")
            if fresh
            else t.plain("You are already marked present."),
        )
        return
    answer = ANSWERS[data.action]
    await service.rsvp(context.session, context.actor, meeting_id=meeting_id, answer=answer)
    await ack(update, t.plain(ANSWER_TOASTS[answer]))


async def _send_materials(update: Update, context: BotContext, meeting_id: int) -> None:
    """The meeting's files, sent privately to the member who pressed the button."""
    t = context.t
    found = await service.materials_for_member(
        context.session, context.actor, meeting_id=meeting_id
    )
    person = update.effective_user
    if not found or person is None:
        await alert(update, t.plain("There are no materials for this meeting yet."))
        return
    await ack(update, t.plain("Sending the materials in a private message."))
    for material in found:
        await context.bot.send_document(person.id, material.telegram_file_id)


# the materials dialog --------------------------------------------------------------------------
async def ask_files(turn: Turn) -> None:
    t = turn.t
    found = await service.materials_of(turn.context.session, turn.data["meeting_id"])
    lines = [t.gettext("<b>Materials</b>")]
    lines += [
        t.gettext("{index}. {name}", index=i, name=m.file_name) for i, m in enumerate(found, 1)
    ]
    lines.append(
        t.gettext(
            "Send files (as documents) one by one; members get them with the reminders and "
            "by the button under the invitation."
        )
    )
    rows = [[(t.plain("✅ Done"), cb("meetf", "done"))]]
    if found:
        rows.append([(t.plain("🗑 Remove all files"), cb("meetf", "clear"))])
    await turn.say("\n".join(lines), inline(rows))


async def on_file(turn: Turn, message: Message) -> None:
    document = message.document
    if document is None:
        await turn.say("⚠️ " + turn.t.gettext("Please send the material as a file (a document)."))
        await turn.repeat()
        return
    try:
        added = await service.add_material(
            turn.context.session,
            turn.context.actor,
            meeting_id=turn.data["meeting_id"],
            telegram_file_id=document.file_id,
            file_unique_id=document.file_unique_id,
            file_name=document.file_name or "file",
        )
    except DomainError as error:
        await turn.refuse(error)
        return
    if not added:
        await turn.say(turn.t.gettext("This file is already attached."))
    await turn.repeat()


async def on_files_button(turn: Turn, data: Callback) -> None:
    t = turn.t
    if data.action == "clear":
        await service.remove_materials(
            turn.context.session, turn.context.actor, meeting_id=turn.data["meeting_id"]
        )
        await turn.repeat()
        return
    if data.action != "done":
        await turn.repeat()
        return
    count = len(await service.materials_of(turn.context.session, turn.data["meeting_id"]))
    await turn.finish()
    await turn.show(t.ngettext("Materials saved: {n} file.", "Materials saved: {n} files.", count))


async def on_files_text(turn: Turn, text: str) -> None:
    await turn.say("⚠️ " + turn.t.gettext("Please send the material as a file (a document)."))
    await turn.repeat()


FILES.step(
    "files", ask=ask_files, on_text=on_files_text, on_button=on_files_button, on_file=on_file
)


# the new meeting dialog ----------------------------------------------------------------------
async def _association(turn: Turn) -> Association:
    return await turn.context.session.get_one(Association, turn.data["association_id"])


async def ask_plan(turn: Turn) -> None:
    t = turn.t
    items = await service.plan_items_to_schedule(turn.context.session, turn.data["association_id"])
    rows = [
        [
            (
                f"{format_month(item.year, item.month, t.language)} · {item.topic}"[:60],
                cb("meetd", "item", item.id),
            )
        ]
        for item in items[:20]
    ]
    rows.append([(t.plain("✏️ A meeting outside the plan"), cb("meetd", "scratch"))])
    await turn.say(
        t.gettext(
            "New meeting. Which item of the approved plan does it fulfil? The topic and the "
            "form are taken from the plan. /cancel stops."
        ),
        inline(rows),
    )


async def on_plan(turn: Turn, data: Callback) -> None:
    t = turn.t
    if data.action == "scratch":
        await turn.goto("topic")
        return
    items = {
        item.id: item
        for item in await service.plan_items_to_schedule(
            turn.context.session, turn.data["association_id"]
        )
    }
    try:
        item = items.get(data.int_arg(0)) if data.action == "item" else None
    except ValueError:
        item = None
    if item is None:
        await turn.say(t.error(service.PlanItemUnavailable()))
        await turn.repeat()
        return
    form = item.form if item.form in FORM_TITLES else "other"
    turn.put(topic=" ".join(item.topic.split())[:300], form=form, plan_item_id=item.id)
    await turn.show(
        t.gettext("Topic: {topic}", topic=item.topic)
        + "\n"
        + t.gettext("Form: <b>{form}</b>", form=t.plain(FORM_TITLES[form]))
    )
    await turn.goto("when")


async def ask_topic(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "New meeting. What is its topic? For example: "
            "<i>Functional literacy in mathematics lessons</i>. /cancel stops."
        )
    )


on_topic = cleaned_answer("topic", service.clean_topic, "form")


async def ask_form(turn: Turn) -> None:
    t = turn.t
    buttons = [(t.plain(title), cb("meetd", "form", key)) for key, title in FORM_TITLES.items()]
    await turn.say(t.gettext("Which form?"), inline(columns(buttons, 2)))


async def on_form(turn: Turn, data: Callback) -> None:
    if data.action != "form" or data.arg(0) not in FORM_TITLES:
        await turn.repeat()
        return
    form = data.arg(0) or "other"
    turn.put(form=form)
    await turn.show(turn.t.gettext("Form: <b>{form}</b>", form=turn.t.plain(FORM_TITLES[form])))
    await turn.goto("when")


async def ask_when(turn: Turn) -> None:
    association = await _association(turn)
    await turn.say(
        turn.t.gettext(
            "When? Date and time, for example: <i>12.12 15:00</i>, <i>12.12.2026 15:00</i>, "
            "<i>12 декабря 15:00</i> or <i>завтра 15:00</i>. Time zone: {zone}.",
            zone=zone_title(turn.t, association.timezone),
        )
    )


async def on_when(turn: Turn, text: str) -> None:
    association = await _association(turn)
    try:
        moment = parse_meeting_time(
            text,
            tz=association.timezone,
            now=now(),
            period=(association.period_start, association.period_end),
            lang=turn.t.language,
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(starts_at=moment.isoformat())
    await turn.say(
        turn.t.gettext(
            "Date and time: <b>{when}</b>",
            when=format_datetime(moment, association.timezone, turn.t.language),
        )
    )
    await turn.goto("duration")


async def ask_duration(turn: Turn) -> None:
    t = turn.t
    buttons = [
        (t.nplain("{n} min", "{n} min", minutes), cb("meetd", "dur", minutes))
        for minutes in (45, 60, 90, 120)
    ]
    await turn.say(
        t.gettext("How long will it last? Choose or send the number of minutes."),
        inline([buttons]),
    )


async def _set_duration(turn: Turn, minutes: int) -> None:
    turn.put(duration=minutes)
    await turn.goto("link")


async def on_duration_text(turn: Turn, text: str) -> None:
    try:
        minutes = service.clean_duration(text)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await _set_duration(turn, minutes)


async def on_duration_button(turn: Turn, data: Callback) -> None:
    try:
        minutes = service.clean_duration(data.arg(0) or "")
    except InvalidInput:
        await turn.repeat()
        return
    await _set_duration(turn, minutes)


async def ask_link(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "The link to the on-line platform (https://…), for example: "
            "<i>https://meet.example.ru/vmo</i>."
        )
    )


on_link = cleaned_answer("link", service.clean_link, "agenda")


async def ask_agenda(turn: Turn) -> None:
    t = turn.t
    agenda = turn.data.get("agenda", [])
    lines = [t.gettext("<b>Agenda</b>")]
    for index, (title, speaker) in enumerate(agenda, 1):
        lines.append(
            t.gettext(
                "{index}. {title} — {speaker}", index=index, title=title, speaker=speaker or "—"
            )
        )
    lines.append(
        t.gettext(
            "Send an agenda item, one per message, with the speaker after a dash: "
            "<i>On the results of the diagnostics — Smirnova E. V.</i>"
        )
    )
    buttons = [[(t.plain("✅ Agenda is complete"), cb("meetd", "done"))]] if agenda else []
    await turn.say("\n".join(lines), inline(buttons) if buttons else None)


async def on_agenda_text(turn: Turn, text: str) -> None:
    agenda = list(turn.data.get("agenda", []))
    try:
        if len(agenda) >= service.MAX_AGENDA_ITEMS:
            raise service.TooManyAgendaItems(limit=service.MAX_AGENDA_ITEMS)
        agenda.append(list(service.clean_agenda_item(text)))
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(agenda=agenda)
    await turn.repeat()


async def on_agenda_button(turn: Turn, data: Callback) -> None:
    if data.action != "done" or not turn.data.get("agenda"):
        await turn.repeat()
        return
    await turn.goto("confirm")


async def ask_confirm(turn: Turn) -> None:
    t = turn.t
    association = await _association(turn)
    moment = datetime.fromisoformat(turn.data["starts_at"])
    lines = [
        t.gettext("<b>Check the meeting</b>"),
        t.gettext("Topic: {topic}", topic=turn.data["topic"]),
        t.gettext("Form: <b>{form}</b>", form=t.plain(FORM_TITLES[turn.data["form"]])),
        t.gettext(
            "Date and time: <b>{when}</b>",
            when=format_datetime(moment, association.timezone, t.language),
        ),
        t.ngettext("Duration: {n} minute", "Duration: {n} minutes", turn.data["duration"]),
        t.gettext("Link: {link}", link=turn.data["link"]),
        t.ngettext("{n} agenda item", "{n} agenda items", len(turn.data["agenda"])),
    ]
    if turn.data.get("plan_item_id"):
        lines.append(t.gettext("Fulfils an item of the approved plan."))
    keyboard = inline(
        [
            [(t.plain("📣 Schedule and announce"), cb("meetd", "announce"))],
            [(t.plain("✖ Discard"), cb("meetd", "discard"))],
        ]
    )
    await turn.say("\n".join(lines), keyboard)


async def on_confirm(turn: Turn, data: Callback) -> None:
    t = turn.t
    if data.action == "discard":
        await turn.finish()
        await turn.show(t.gettext("Discarded; nothing was scheduled."))
        return
    if data.action != "announce":
        await turn.repeat()
        return
    try:
        meeting = await service.schedule_meeting(
            turn.context.session,
            turn.context.actor,
            association_id=turn.data["association_id"],
            topic=turn.data["topic"],
            form=turn.data["form"],
            starts_at=datetime.fromisoformat(turn.data["starts_at"]),
            duration_minutes=turn.data["duration"],
            link=turn.data["link"],
            agenda=[tuple(item) for item in turn.data["agenda"]],
            texts=texts_for(turn.context),
            plan_item_id=turn.data.get("plan_item_id"),
        )
    except service.PlanItemUnavailable as error:
        # Another meeting took the item meanwhile: keep everything, schedule it outside the plan.
        turn.drop("plan_item_id")
        await turn.refuse(error)
        return
    except InvalidInput as error:
        # The time passed while the leader was typing: ask for it again, keep the rest.
        await turn.say(t.error(error))
        await turn.goto("when")
        return
    association = await _association(turn)
    await turn.finish()
    note = (
        t.gettext("The card is posted in the group.")
        if association.chat_id is not None
        else t.gettext("The association has no group yet, so there is no card in a group.")
    )
    await turn.show(
        t.gettext(
            "📣 Meeting No. {number} is scheduled. Members are being invited privately "
            "with a calendar file.",
            number=meeting.number,
        )
        + "\n"
        + note
    )


NEW.step("plan", ask=ask_plan, on_button=on_plan)
NEW.step("topic", ask=ask_topic, on_text=on_topic)
NEW.step("form", ask=ask_form, on_button=on_form)
NEW.step("when", ask=ask_when, on_text=on_when)
NEW.step("duration", ask=ask_duration, on_text=on_duration_text, on_button=on_duration_button)
NEW.step("link", ask=ask_link, on_text=on_link)
NEW.step("agenda", ask=ask_agenda, on_text=on_agenda_text, on_button=on_agenda_button)
NEW.step("confirm", ask=ask_confirm, on_button=on_confirm)


# the reschedule dialog ---------------------------------------------------------------------
async def ask_new_time(turn: Turn) -> None:
    meeting = await service.get_meeting(turn.context.session, turn.data["meeting_id"])
    association = await turn.context.session.get_one(Association, meeting.association_id)
    await turn.say(
        turn.t.gettext(
            "The new date and time for «{topic}», for example <i>12.12 15:00</i>. "
            "Time zone: {zone}. /cancel keeps the current time.",
            topic=meeting.topic,
            zone=zone_title(turn.t, association.timezone),
        )
    )


async def on_new_time(turn: Turn, text: str) -> None:
    session = turn.context.session
    meeting = await service.get_meeting(session, turn.data["meeting_id"])
    association = await session.get_one(Association, meeting.association_id)
    try:
        moment = parse_meeting_time(
            text,
            tz=association.timezone,
            now=now(),
            period=(association.period_start, association.period_end),
            lang=turn.t.language,
        )
        await service.reschedule(
            session,
            turn.context.actor,
            meeting_id=meeting.id,
            starts_at=moment,
            texts=texts_for(turn.context),
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await turn.finish()
    await turn.say(
        turn.t.gettext(
            "🕒 Moved to <b>{when}</b>. Everyone invited is being told.",
            when=format_datetime(moment, association.timezone, turn.t.language),
        )
    )


MOVE.step("when", ask=ask_new_time, on_text=on_new_time)


# sweeps --------------------------------------------------------------------------------------
async def reminder_job(context: BotContext) -> None:
    await jobs.sweep_into_outbox(
        context, lambda s: reminders.sweep_reminders(s, texts_for(context))
    )


async def after_meeting_job(context: BotContext) -> None:
    await jobs.sweep_into_outbox(
        context, lambda s: reminders.sweep_after_meetings(s, texts_for(context))
    )


async def norm_job(context: BotContext) -> None:
    await jobs.sweep_into_outbox(context, lambda s: reminders.sweep_norms(s, texts_for(context)))


async def card_job(context: BotContext) -> None:
    await jobs.sweep_into_outbox(
        context, lambda s: reminders.edit_dirty_cards(s, texts_for(context))
    )


_sweeps_added = False


def register(app: Application) -> None:
    app.add_handler(CommandHandler("meeting", meeting_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(meeting_button, pattern=pattern("meet")))
    app.add_handler(CallbackQueryHandler(rsvp_button, pattern=pattern("rsvp")))
    global _sweeps_added
    if not _sweeps_added:  # register() runs for every Application; the sweeps are global
        _sweeps_added = True
        jobs.add_sweep(reminder_job, every=timedelta(minutes=1), name="meeting-reminders")
        jobs.add_sweep(after_meeting_job, every=timedelta(minutes=5), name="meeting-after")
        jobs.add_sweep(norm_job, every=timedelta(hours=1), name="meeting-norms")
        jobs.add_sweep(
            card_job, every=reminders.CARD_EDIT_INTERVAL, name="meeting-cards", first=1.0
        )


__all__ = ["Texts", "register"]
