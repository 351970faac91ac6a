"""The reviewer's side: the queue (from /upload, /resources, the notices and the digest), a
material shown with its files and card, and the decision — Approve with one press, Needs
revision or Reject with a comment (dialog `uplr`). A used decision loses its buttons."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InputMediaDocument, InputMediaPhoto, InputMediaVideo, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.buttons import Settled
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import Html, Translator
from bot.keyboards import inline
from bot.replies import ack, reply
from handlers.uploads.buttons import BUTTONS, Approve, OpenQueue, Reject, Review, Revise
from handlers.uploads.wording import material_card, where
from models.resources import FileKind
from models.resources import MaterialStatus as Status
from services.errors import DomainError, InvalidInput
from services.formatting import format_date
from services.resources import review as service
from services.resources.drafts import DraftFile
from services.resources.views import MaterialView

log = logging.getLogger(__name__)

DECIDE = register_dialog(Dialog("uplr"))
TITLE_IN_BUTTON = 40
_ALBUM = 10  # Telegram's largest media group


def queue_button(t: Translator) -> tuple[str, str]:
    return t.plain("📋 Open the queue"), OpenQueue().data()


@BUTTONS.on(OpenQueue)
async def open_queue(update: Update, context: BotContext, press: OpenQueue) -> None:
    t = context.t
    found = await service.queue(context.session, context.actor)
    await ack(update)
    if not found.total:
        await reply(update, context, t.gettext("✨ Nothing waits for your review."))
        return
    lines = [
        t.ngettext(
            "<b>📋 {n} material waits for review</b> (the longest waiting first):",
            "<b>📋 {n} materials wait for review</b> (the longest waiting first):",
            found.total,
        )
    ]
    for number, view in enumerate(found.items, start=1):
        lines.append(
            t.gettext(
                "{number}. «{title}» — {place}, {author}, {day}",
                number=number,
                title=view.title,
                place=where(t, view.association),
                author=view.author,
                day=format_date(view.submitted_at, t.language),
            )
        )
    buttons = [
        [(f"🔍 {number}. {view.title[:TITLE_IN_BUTTON]}", Review(view.material_id).data())]
        for number, view in enumerate(found.items, start=1)
    ]
    await reply(update, context, Html("\n".join(lines)), inline(buttons))


def review_text(t: Translator, view: MaterialView) -> Html:
    head = t.gettext("🔍 <b>For review</b>")
    return t.gettext("{head}\n\n{card}", head=head, card=material_card(t, view))


@BUTTONS.on(Review)
async def open_review(update: Update, context: BotContext, press: Review) -> None:
    t = context.t
    view = await service.for_review(context.session, context.actor, press.material_id)
    await ack(update)
    await send_files(update, context, view.draft.files)
    buttons = [
        [(t.plain("✅ Approve for the bank"), Approve(view.material_id).data())],
        [(t.plain("✏️ Needs revision"), Revise(view.material_id).data())],
        [(t.plain("❌ Reject"), Reject(view.material_id).data())],
        [queue_button(t)],
    ]
    await reply(update, context, review_text(t, view), inline(buttons))


async def send_files(update: Update, context: BotContext, files: tuple[DraftFile, ...]) -> None:
    """The files as Telegram shows them: documents as one album, photos and videos as
    another (Telegram does not mix the two), a single file as itself."""
    chat = update.effective_chat
    assert chat is not None
    documents = [f for f in files if f.kind is FileKind.DOCUMENT]
    media = [f for f in files if f.kind is not FileKind.DOCUMENT]
    for group in (documents, media):
        for start in range(0, len(group), _ALBUM):
            await _send_group(context, chat.id, group[start : start + _ALBUM])


async def _send_group(context: BotContext, chat_id: int, files: list[DraftFile]) -> None:
    bot = context.bot
    if len(files) > 1:
        await bot.send_media_group(chat_id, [_input_media(file) for file in files])
    elif files and files[0].kind is FileKind.PHOTO:
        await bot.send_photo(chat_id, files[0].telegram_file_id)
    elif files and files[0].kind is FileKind.VIDEO:
        await bot.send_video(chat_id, files[0].telegram_file_id)
    elif files:
        await bot.send_document(chat_id, files[0].telegram_file_id)


def _input_media(file: DraftFile) -> Any:
    if file.kind is FileKind.PHOTO:
        return InputMediaPhoto(file.telegram_file_id)
    if file.kind is FileKind.VIDEO:
        return InputMediaVideo(file.telegram_file_id)
    return InputMediaDocument(file.telegram_file_id)


@BUTTONS.on(Approve)
async def approve(update: Update, context: BotContext, press: Approve) -> Settled:
    # A second reviewer (or a second press) is refused with AlreadyDecided.
    view = await service.decide(
        context.session, context.actor, material_id=press.material_id, decision=Status.APPROVED
    )
    t = context.t
    await ack(update, t.plain("Thank you, your decision is recorded."))
    await _offer_next(update, context)
    return Settled(t.gettext("✅ Approved: «{title}» is in the bank now.", title=view.title))


async def _offer_next(update: Update, context: BotContext) -> None:
    left = await service.queue(context.session, context.actor, limit=0)
    if left.total:
        t = context.t
        text = t.ngettext(
            "{n} more material waits for review.", "{n} more materials wait for review.", left.total
        )
        await reply(update, context, text, inline([[queue_button(t)]]))


@BUTTONS.on(Revise)
async def revise(update: Update, context: BotContext, press: Revise) -> None:
    await _ask_comment(update, context, press.material_id, Status.NEEDS_REVISION)


@BUTTONS.on(Reject)
async def reject(update: Update, context: BotContext, press: Reject) -> None:
    await _ask_comment(update, context, press.material_id, Status.REJECTED)


async def _ask_comment(
    update: Update, context: BotContext, material_id: int, decision: Status
) -> None:
    await service.for_review(context.session, context.actor, material_id)
    await ack(update)
    data = {"material_id": material_id, "decision": decision.value, "card": _card_of(update)}
    await DECIDE.start(update, context, "comment", data)


def _card_of(update: Update) -> dict[str, Any] | None:
    """The review card, to be settled once the comment is in."""
    query = update.callback_query
    message = query.message if query is not None else None
    if not isinstance(message, Message) or not message.text:
        return None
    return {"id": message.message_id, "body": message.text_html}


def _comment_prompt(turn: Turn) -> str:
    if turn.data["decision"] == Status.REJECTED.value:
        return turn.t.gettext(
            "Why is the material not accepted? The author will read your reason. /cancel "
            "keeps it undecided."
        )
    return turn.t.gettext(
        "What should the author correct? Your comment goes to them with the material. "
        "/cancel keeps it undecided."
    )


async def _decide(turn: Turn) -> None:
    decision = Status(turn.data["decision"])
    try:
        view = await service.decide(
            turn.context.session,
            turn.context.actor,
            material_id=turn.data["material_id"],
            decision=decision,
            comment=turn.data["comment"],
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    except DomainError as error:  # decided by another reviewer meanwhile
        await turn.finish()
        await turn.say(turn.t.error(error))
        return
    await turn.finish()
    t = turn.t
    if decision is Status.REJECTED:
        outcome = t.gettext(
            "❌ «{title}» is rejected. The author is told the reason.", title=view.title
        )
    else:
        outcome = t.gettext(
            "✏️ «{title}» is sent back for revision with your comment.", title=view.title
        )
    await _settle_card(turn, outcome)
    await turn.say(outcome)
    await _offer_next(turn.update, turn.context)


async def _settle_card(turn: Turn, outcome: str) -> None:
    card = turn.data.get("card")
    if not card:
        return
    try:
        await turn.context.bot.edit_message_text(
            f"{card['body']}\n\n{outcome}"[:4096],
            turn.state.chat_id,
            card["id"],
            parse_mode=ParseMode.HTML,
        )
    except BadRequest as error:
        log.info("could not settle the review card: %s", error.message)


DECIDE.text_step(
    "comment", prompt=_comment_prompt, key="comment", clean=service.clean_comment, then=_decide
)
