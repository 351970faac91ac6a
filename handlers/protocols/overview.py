"""/protocol: the association's protocols of this academic year (PDF, extract, approve)
and the held meetings still waiting for one."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.keyboards import Button, inline
from bot.replies import ack, choose_association, show
from handlers.protocols.buttons import (
    PROT,
    Approve,
    ExtractItems,
    FinalPdf,
    OpenAssociation,
    Record,
)
from models import Association
from models.meetings import Meeting
from models.protocols import Protocol, ProtocolStatus
from services import protocols as service
from services.formatting import format_date, format_datetime
from services.meetings import local_day


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
        open_one=lambda association: show_association(update, context, association.id),
    )


@PROT.on(OpenAssociation)
async def open_association(update: Update, context: BotContext, press: OpenAssociation) -> None:
    await ack(update)
    await show_association(update, context, press.association_id)


async def show_association(update: Update, context: BotContext, association_id: int) -> None:
    t = context.t
    screen = await service.protocols_screen(context.session, context.actor, association_id)
    association = screen.association
    lines = [t.gettext("<b>Protocols of {name}</b> (this academic year)", name=association.name)]
    rows: list[list[Button]] = []
    for protocol, meeting in screen.protocols:
        lines.append(_protocol_line(t, protocol, meeting, association))
        rows += _protocol_buttons(t, protocol)
    if not screen.protocols:
        lines.append(t.gettext("No protocols yet this year."))
    for meeting in screen.pending:
        when = format_datetime(meeting.starts_at, association.timezone, t.language)
        label = t.plain("✍️ Record: {when} · {topic}", when=when, topic=meeting.topic)
        rows.append([(label[:60], Record(meeting.id).data())])
    if screen.pending:
        lines.append(t.gettext("Held meetings waiting for a protocol are below."))
    await show(update, context, "\n".join(lines), inline(rows) if rows else None)


def _protocol_line(
    t: Translator, protocol: Protocol, meeting: Meeting, association: Association
) -> str:
    final = protocol.status is ProtocolStatus.FINAL
    return t.gettext(
        "No. {number} of {day} · {topic} · {status}",
        number=protocol.number,
        day=format_date(local_day(meeting, association), t.language),
        topic=meeting.topic,
        status=t.plain("approved") if final else t.plain("draft"),
    )


def _protocol_buttons(t: Translator, protocol: Protocol) -> list[list[Button]]:
    rows = [
        [
            (t.plain("📄 No. {number}", number=protocol.number), FinalPdf(protocol.id).data()),
            (t.plain("📑 Extract"), ExtractItems(protocol.id).data()),
        ]
    ]
    if protocol.status is ProtocolStatus.DRAFT:
        label = t.plain("✅ Approve No. {number}", number=protocol.number)
        rows.append([(label, Approve(protocol.id).data())])
    return rows
