"""/protocol: record the protocol of a held meeting, draft PDF, approve, list, extracts.

Buttons: `prot:*`; the dialog `protd` (СЛУШАЛИ → ВЫСТУПИЛИ → ПОСТАНОВИЛИ per agenda item).
"""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import Callback, cb, parse, pattern
from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.dialogs import Dialog, Turn, cleaned_answer
from bot.dialogs import register as register_dialog
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import ack, alert, choose_association, show
from models import Association, User
from models.meetings import Meeting
from models.protocols import FollowUp, Protocol, ProtocolStatus
from scheduler import jobs, reminders
from services import protocols as service
from services.errors import InvalidInput
from services.formatting import format_date, format_datetime, short_name
from services.meetings import local_day
from services.texts import N_

COMMANDS = [
    CommandSpec("protocol", N_("Meeting protocols: record, approve, list"), Audience.LEADER)
]

DIALOG = register_dialog(Dialog("protd"))


class Texts:
    """The caption of the approved protocol, in each reader's language."""

    def __init__(self, default_language: str = "ru") -> None:
        self.default_language = default_language

    def published(self, protocol: Protocol, meeting: Meeting, user: User | None) -> str:
        t = Translator((user.language if user is not None else None) or self.default_language)
        return t.gettext(
            "📄 Protocol No. {number} of the meeting «{topic}» is approved.",
            number=protocol.number,
            topic=meeting.topic,
        )

    def followup(
        self, followup: FollowUp, protocol: Protocol, association: Association, user: User
    ) -> str:
        t = Translator(user.language or self.default_language)
        return t.gettext(
            "📌 Deadline {deadline}: «{text}». You are responsible for this decision "
            "(protocol No. {number}, {name}).",
            deadline=format_date(followup.deadline, t.language),
            text=followup.text,
            number=protocol.number,
            name=association.name,
        )


def _stale(t: Translator) -> str:
    return t.plain("This button is out of date.")


async def _send_pdf(update: Update, context: BotContext, pdf: service.Pdf) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(chat.id, InputFile(BytesIO(pdf.content), filename=pdf.filename))


# /protocol -----------------------------------------------------------------------------------
async def protocol_command(update: Update, context: BotContext) -> None:
    associations = await service.managed_associations(context.session, context.actor)
    await choose_association(
        update,
        context,
        associations,
        prefix="prot",
        nothing=context.t.gettext(
            "Protocols are kept by the leader or the secretary of an association. "
            "You do not hold these roles in any association yet."
        ),
        open_one=lambda association: _show_association(update, context, association),
    )


async def _show_association(update: Update, context: BotContext, association: Association) -> None:
    t, session = context.t, context.session
    await service.require_association_role(
        session, context.actor, association.id, *service.MANAGERS
    )
    protocols = await service.year_protocols(session, association)
    pending = await service.held_without_protocol(session, association.id)
    lines = [t.gettext("<b>Protocols of {name}</b> (this academic year)", name=association.name)]
    rows = []
    for protocol in protocols:
        meeting = await service.get_meeting(session, protocol.meeting_id)
        status = (
            t.plain("approved") if protocol.status is ProtocolStatus.FINAL else t.plain("draft")
        )
        lines.append(
            t.gettext(
                "No. {number} of {day} · {topic} · {status}",
                number=protocol.number,
                day=format_date(local_day(meeting, association), t.language),
                topic=meeting.topic,
                status=status,
            )
        )
        rows.append(
            [
                (
                    t.plain("📄 No. {number}", number=protocol.number),
                    cb("prot", "pdf", protocol.id),
                ),
                (t.plain("📑 Extract"), cb("prot", "ext", protocol.id)),
            ]
        )
        if protocol.status is ProtocolStatus.DRAFT:
            rows.append(
                [
                    (
                        t.plain("✅ Approve No. {number}", number=protocol.number),
                        cb("prot", "ok", protocol.id),
                    )
                ]
            )
    if not protocols:
        lines.append(t.gettext("No protocols yet this year."))
    for meeting in pending:
        when = format_datetime(meeting.starts_at, association.timezone, t.language)
        rows.append(
            [
                (
                    t.plain("✍️ Record: {when} · {topic}", when=when, topic=meeting.topic)[:60],
                    cb("prot", "new", meeting.id),
                )
            ]
        )
    if pending:
        lines.append(t.gettext("Held meetings waiting for a protocol are below."))
    await show(update, context, "\n".join(lines), inline(rows) if rows else None)


async def protocol_button(update: Update, context: BotContext) -> None:
    t, session = context.t, context.session
    data = parse(update.callback_query.data if update.callback_query else None)
    try:
        if data is None:
            raise ValueError
        number = data.int_arg(0)
    except ValueError:
        await alert(update, _stale(t))
        return
    action = data.action
    if action == "assoc":
        association = await session.get(Association, number)
        if association is None:
            await alert(update, _stale(t))
            return
        await ack(update)
        await _show_association(update, context, association)
    elif action == "new":
        await _start(update, context, number)
    elif action in ("pdf", "draft"):
        pdf = await service.pdf_of(session, context.actor, number)
        await ack(update)
        await _send_pdf(update, context, pdf)
    elif action == "ok":
        protocol = await service.finalise(
            session,
            context.actor,
            protocol_id=number,
            texts=Texts(context.settings.default_language),
        )
        await ack(update, t.plain("Approved."))
        await show(
            update,
            context,
            t.gettext(
                "✅ Protocol No. {number} is approved. It is being posted to the group and sent "
                "to every member.",
                number=protocol.number,
            ),
        )
    elif action == "ext":
        await _show_extract_items(update, context, number)
    elif action == "exi":
        await _send_extract(update, context, number, data)
    else:
        await alert(update, _stale(t))


async def _show_extract_items(update: Update, context: BotContext, protocol_id: int) -> None:
    t = context.t
    protocol = await service.get_protocol(context.session, context.actor, protocol_id)
    titles = await service.item_titles(context.session, protocol.id)
    await ack(update)
    rows = [
        [(f"{index}. {title}"[:60], cb("prot", "exi", protocol.id, index))]
        for index, title in enumerate(titles, 1)
    ]
    rows.append([(t.plain("⬅️ Back"), cb("prot", "assoc", protocol.association_id))])
    await show(
        update,
        context,
        t.gettext(
            "An extract from protocol No. {number}: which agenda item?", number=protocol.number
        ),
        inline(rows),
    )


async def _send_extract(
    update: Update, context: BotContext, protocol_id: int, data: Callback
) -> None:
    try:
        item = data.int_arg(1)
    except ValueError:
        await alert(update, _stale(context.t))
        return
    pdf = await service.extract_of(context.session, context.actor, protocol_id, item)
    await ack(update)
    await _send_pdf(update, context, pdf)


# the dialog ----------------------------------------------------------------------------------
async def _start(update: Update, context: BotContext, meeting_id: int) -> None:
    t = context.t
    info = await service.prefill(context.session, context.actor, meeting_id)
    await ack(update)
    zone = info.association.timezone
    present = ", ".join(short_name(u.full_name or "?") for u in info.present) or "—"
    absent = ", ".join(short_name(u.full_name or "?") for u in info.absent) or "—"
    lines = [
        t.gettext("<b>Protocol No. {number}</b>", number=info.number),
        t.gettext("Date: {when}", when=format_datetime(info.meeting.starts_at, zone, t.language)),
        t.gettext("Place: {place}", place=info.place),
        t.gettext("Chair: {name}", name=info.chair.full_name if info.chair else "—"),
        t.gettext("Secretary: {name}", name=info.secretary.full_name if info.secretary else "—"),
        t.ngettext(
            "Present: {n} person ({names})",
            "Present: {n} people ({names})",
            len(info.present),
            names=present,
        ),
        t.ngettext(
            "Absent: {n} person ({names})",
            "Absent: {n} people ({names})",
            len(info.absent),
            names=absent,
        ),
        t.gettext("<b>Agenda</b>"),
    ]
    lines += [
        t.gettext("{index}. {title} — {speaker}", index=i, title=a.title, speaker=a.speaker or "—")
        for i, a in enumerate(info.agenda, 1)
    ]
    await show(update, context, "\n".join(lines))
    agenda = [[a.title, a.speaker or ""] for a in info.agenda]
    if not agenda:
        protocol = await service.save_draft(
            context.session, context.actor, meeting_id=meeting_id, items=[]
        )
        await _ready(context, update, protocol)
        return
    await DIALOG.start(
        update, context, "heard", {"meeting_id": meeting_id, "agenda": agenda, "items": []}
    )


async def _ready(context: BotContext, update: Update, protocol: Protocol) -> None:
    t = context.t
    chat = update.effective_chat
    assert chat is not None
    keyboard = inline(
        [
            [(t.plain("📄 Draft PDF"), cb("prot", "draft", protocol.id))],
            [(t.plain("✅ Approve the protocol"), cb("prot", "ok", protocol.id))],
        ]
    )
    await context.bot.send_message(
        chat.id,
        t.gettext(
            "The draft of protocol No. {number} is saved. Check the draft PDF, then approve: "
            "the final protocol goes to the group and to every member.",
            number=protocol.number,
        ),
        parse_mode="HTML",
        reply_markup=keyboard,
    )


def _current(turn: Turn) -> tuple[int, str, str]:
    index = len(turn.data["items"])
    title, speaker = turn.data["agenda"][index]
    return index, title, speaker


async def ask_heard(turn: Turn) -> None:
    t = turn.t
    index, title, speaker = _current(turn)
    await turn.say(
        t.gettext(
            "Item {index} of {total}: <b>{title}</b>\n<b>СЛУШАЛИ</b> (heard): {speaker}. "
            "What was the substance of the report? One or two sentences. /cancel stops.",
            index=index + 1,
            total=len(turn.data["agenda"]),
            title=title,
            speaker=speaker or "—",
        )
    )


on_heard = cleaned_answer("substance", service.clean_substance, "spoke")


async def ask_spoke(turn: Turn) -> None:
    t = turn.t
    await turn.say(
        t.gettext(
            "<b>ВЫСТУПИЛИ</b> (spoke): who took the floor? One person per line: the name, "
            "a dash and a short note, for example:\n"
            "<i>Petrova O. I. — shared her experience of project lessons</i>\n"
            "If nobody else spoke, press Skip."
        ),
        inline([[(t.plain("⏭ Skip"), cb("protd", "skip"))]]),
    )


on_spoke = cleaned_answer("spoke", service.parse_speeches, "decide")


async def on_spoke_button(turn: Turn, data: Callback) -> None:
    if data.action != "skip":
        await turn.repeat()
        return
    turn.put(spoke=[])
    await turn.goto("decide")


async def ask_decide(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "<b>ПОСТАНОВИЛИ</b> (decided): one decision per line. After the decision you may "
            "add, separated by semicolons and in any order: the responsible person, the "
            "deadline and the vote. For example:\n"
            "<i>Hold an open lesson; ответственный: Petrova O. I.; срок: 20.12.2026; "
            "за 12 против 0 воздержались 1</i>\n"
            "<i>Take the information into account</i>\n"
            "A missing «против» or «воздержались» counts as 0; the deadline may be 20.12 "
            "or 20.12.2026."
        )
    )


async def on_decide(turn: Turn, text: str) -> None:
    session = turn.context.session
    meeting = await service.get_meeting(session, turn.data["meeting_id"])
    association = await session.get_one(Association, meeting.association_id)
    try:
        decisions = service.parse_decisions(text, local_day(meeting, association))
    except InvalidInput as error:
        await turn.refuse(error)
        return
    index, _, speaker = _current(turn)
    items = [
        *turn.data["items"],
        {
            "speaker": speaker,
            "substance": turn.data["substance"],
            "spoke": turn.data.get("spoke", []),
            "decisions": decisions,
        },
    ]
    turn.put(items=items)
    turn.drop("substance", "spoke")
    await turn.say(
        turn.t.ngettext(
            "Recorded {n} decision for item {index}.",
            "Recorded {n} decisions for item {index}.",
            len(decisions),
            index=index + 1,
        )
    )
    if len(items) < len(turn.data["agenda"]):
        await turn.goto("heard")
        return
    protocol = await service.save_draft(
        session, turn.context.actor, meeting_id=turn.data["meeting_id"], items=items
    )
    await turn.finish()
    await _ready(turn.context, turn.update, protocol)


DIALOG.step("heard", ask=ask_heard, on_text=on_heard)
DIALOG.step("spoke", ask=ask_spoke, on_text=on_spoke, on_button=on_spoke_button)
DIALOG.step("decide", ask=ask_decide, on_text=on_decide)


async def followup_job(context: BotContext) -> None:
    texts = Texts(context.settings.default_language)
    await jobs.sweep_into_outbox(context, lambda s: reminders.sweep_followups(s, texts))


_sweeps_added = False


def register(app: Application) -> None:
    app.add_handler(CommandHandler("protocol", protocol_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(protocol_button, pattern=pattern("prot")))
    global _sweeps_added
    if not _sweeps_added:  # register() runs for every Application; the sweeps are global
        _sweeps_added = True
        jobs.add_sweep(followup_job, every=timedelta(minutes=30), name="protocol-followups")


__all__ = ["Texts", "register"]
