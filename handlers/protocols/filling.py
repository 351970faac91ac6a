"""Filling in a protocol (the dialog `protd`): the prefilled header (attendance, chair,
secretary, agenda), then for each agenda item СЛУШАЛИ → ВЫСТУПИЛИ → ПОСТАНОВИЛИ, then the
draft is saved and offered for approval."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import ack, reply, show
from handlers.protocols.buttons import PROT, Approve, DraftPdf, Record
from models import User
from models.protocols import Protocol
from services import protocols as service
from services.errors import InvalidInput
from services.formatting import format_datetime, short_name
from services.texts import N_

DIALOG = register_dialog(Dialog("protd"))


@PROT.on(Record)
async def record(update: Update, context: BotContext, press: Record) -> None:
    info = await service.prefill(context.session, context.actor, press.meeting_id)
    await ack(update)
    await show(update, context, _header(context.t, info))
    if not info.agenda:
        protocol = await service.save_draft(
            context.session, context.actor, meeting_id=press.meeting_id, items=[]
        )
        await _ready(update, context, protocol)
        return
    agenda = [[a.title, a.speaker or ""] for a in info.agenda]
    data = {"meeting_id": press.meeting_id, "agenda": agenda, "items": []}
    await DIALOG.start(update, context, "heard", data)


def _names(people: list[User]) -> str:
    return ", ".join(short_name(u.full_name or "?") for u in people) or "—"


def _header(t: Translator, info: service.Prefill) -> str:
    zone = info.association.timezone
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
            names=_names(info.present),
        ),
    ]
    if info.absent:
        lines.append(
            t.ngettext(
                "Absent: {n} person ({names})",
                "Absent: {n} people ({names})",
                len(info.absent),
                names=_names(info.absent),
            )
        )
    lines.append(t.gettext("Attendance is corrected in /meeting → the meeting → ✋ Attendance."))
    lines.append(t.gettext("<b>Agenda</b>"))
    lines += [
        t.gettext("{index}. {title} — {speaker}", index=i, title=a.title, speaker=a.speaker or "—")
        for i, a in enumerate(info.agenda, 1)
    ]
    return "\n".join(lines)


async def _ready(update: Update, context: BotContext, protocol: Protocol) -> None:
    t = context.t
    keyboard = inline(
        [
            [(t.plain("📄 Draft PDF"), DraftPdf(protocol.id).data())],
            [(t.plain("✅ Approve the protocol"), Approve(protocol.id).data())],
        ]
    )
    text = t.gettext(
        "The draft of protocol No. {number} is saved. Check the draft PDF, then approve: "
        "the final protocol goes to the group and to every member.",
        number=protocol.number,
    )
    await reply(update, context, text, keyboard)


def _current(turn: Turn) -> tuple[int, str, str]:
    index = len(turn.data["items"])
    title, speaker = turn.data["agenda"][index]
    return index, title, speaker


def _ask_heard(turn: Turn) -> str:
    index, title, speaker = _current(turn)
    return turn.t.gettext(
        "Item {index} of {total}: <b>{title}</b>\n<b>СЛУШАЛИ</b> (heard): {speaker}\n"
        "What was the substance of the report? One or two sentences. /cancel stops.",
        index=index + 1,
        total=len(turn.data["agenda"]),
        title=title,
        speaker=speaker or "—",
    )


def _ask_spoke(turn: Turn) -> str:
    return turn.t.gettext(
        "<b>ВЫСТУПИЛИ</b> (spoke): who took the floor? One person per line: the surname and "
        "initials, a dash and the gist of the speech, for example:\n"
        "<i>Petrova O. I. — shared her experience of project lessons</i>\n"
        "If nobody else spoke, press Skip."
    )


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
    try:
        decisions = await service.parse_meeting_decisions(session, turn.data["meeting_id"], text)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    index, _, speaker = _current(turn)
    item = {
        "speaker": speaker,
        "substance": turn.data["substance"],
        "spoke": turn.data.get("spoke") or [],
        "decisions": decisions,
    }
    items = [*turn.data["items"], item]
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
    await _ready(turn.update, turn.context, protocol)


DIALOG.text_step(
    "heard", prompt=_ask_heard, key="substance", clean=service.clean_substance, then="spoke"
)
DIALOG.text_step(
    "spoke",
    prompt=_ask_spoke,
    key="spoke",
    clean=service.parse_speeches,
    then="decide",
    skip=N_("⏭ Skip"),
)
DIALOG.step("decide", ask=ask_decide, on_text=on_decide)
