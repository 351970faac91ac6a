"""Approving a protocol (asked first when nobody but the chair and the secretary is
present; an empty agenda is refused), and its PDFs: the draft, the approved one, extracts."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.errors import undo_update
from bot.keyboards import inline
from bot.replies import ack, show
from handlers.protocols.buttons import (
    PROT,
    Approve,
    ApproveAnyway,
    DraftPdf,
    ExtractItem,
    ExtractItems,
    FinalPdf,
    OpenAssociation,
)
from services import protocols as service


async def send_pdf(update: Update, context: BotContext, pdf: service.Pdf) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(chat.id, InputFile(BytesIO(pdf.content), filename=pdf.filename))


@PROT.on(FinalPdf)
async def final_pdf(update: Update, context: BotContext, press: FinalPdf) -> None:
    pdf = await service.pdf_of(context.session, context.actor, press.protocol_id)
    await ack(update)
    await send_pdf(update, context, pdf)


@PROT.on(DraftPdf)
async def draft_pdf(update: Update, context: BotContext, press: DraftPdf) -> None:
    pdf = await service.pdf_of(context.session, context.actor, press.protocol_id)
    await ack(update)
    await send_pdf(update, context, pdf)


@PROT.on(Approve)
async def approve(update: Update, context: BotContext, press: Approve) -> Settled | None:
    try:
        return await _approve(update, context, press.protocol_id, confirmed=False)
    except service.NobodyPresent:
        undo_update()  # nothing is written before the check; and nothing may be kept
        await _ask_to_confirm(update, context, press.protocol_id)
        return None


@PROT.on(ApproveAnyway)
async def approve_anyway(update: Update, context: BotContext, press: ApproveAnyway) -> Settled:
    return await _approve(update, context, press.protocol_id, confirmed=True)


async def _approve(
    update: Update, context: BotContext, protocol_id: int, *, confirmed: bool
) -> Settled:
    t = context.t
    protocol = await service.finalise(
        context.session, context.actor, protocol_id=protocol_id, confirmed=confirmed
    )
    await ack(update, t.plain("Approved."))
    return Settled(
        t.gettext(
            "✅ Protocol No. {number} is approved. It is being posted to the group and sent "
            "to every member.",
            number=protocol.number,
        )
    )


async def _ask_to_confirm(update: Update, context: BotContext, protocol_id: int) -> None:
    t = context.t
    await ack(update)
    keyboard = inline(
        [
            [(t.plain("✅ Approve anyway"), ApproveAnyway(protocol_id).data())],
            [(t.plain("📄 Draft PDF"), DraftPdf(protocol_id).data())],
        ]
    )
    text = t.gettext(
        "Nobody but the chair and the secretary is marked present at this meeting. If that "
        "is a mistake, correct the attendance in /meeting before approving. Approve the "
        "protocol as it is?"
    )
    await show(update, context, text, keyboard)


@PROT.on(ExtractItems)
async def extract_items(update: Update, context: BotContext, press: ExtractItems) -> None:
    t = context.t
    protocol, titles = await service.extract_choice(
        context.session, context.actor, press.protocol_id
    )
    await ack(update)
    rows = [
        [(f"{index}. {title}"[:60], ExtractItem(protocol.id, index).data())]
        for index, title in enumerate(titles, 1)
    ]
    rows.append([(t.plain("⬅️ Back"), OpenAssociation(protocol.association_id).data())])
    text = t.gettext(
        "An extract from protocol No. {number}: which agenda item?", number=protocol.number
    )
    await show(update, context, text, inline(rows))


@PROT.on(ExtractItem)
async def extract_item(update: Update, context: BotContext, press: ExtractItem) -> None:
    pdf = await service.extract_of(context.session, context.actor, press.protocol_id, press.item)
    await ack(update)
    await send_pdf(update, context, pdf)
