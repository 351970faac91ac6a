"""/save in a bound group: a member replies /save to a message with a file (or a link) to
propose it to the bank; the form goes on in private chat with the file in it.

Somebody the bot cannot write to yet (never started it, or not registered) is answered in
the group with a link `t.me/<bot>?start=upl_<group id>`: the form waits for them under
the group's key and opens in private chat once they follow the link (after registering)."""

from __future__ import annotations

import re
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import Forbidden

from bot.context import BotContext
from bot.replies import reply, send_text
from handlers.associations.links import bot_link
from handlers.uploads.files import draft_file
from handlers.uploads.form import FORM
from services import dialogs as dialog_store
from services.resources import drafts
from services.resources import submission as service
from services.resources.drafts import DraftFile, MaterialDraft

PAYLOAD = "upl_"
_WEB_ADDRESS = re.compile(r"https?://\S+", re.IGNORECASE)  # when no entity marks it
FIRST_STEP = "title"


def _proposed(message: Message) -> MaterialDraft | None:
    """The file or the link of the message replied to (None: it has neither)."""
    if message.effective_attachment is not None:
        file: DraftFile = draft_file(message)  # a sticker, a voice message: refused
        return MaterialDraft(files=(file,))
    links = message.parse_entities(["url", "text_link"]) or message.parse_caption_entities(
        ["url", "text_link"]
    )
    found = next(iter(links.items()), None)
    if found is not None:
        entity, text = found
        return MaterialDraft(url=drafts.clean_url(entity.url or text))
    written = _WEB_ADDRESS.search(message.text or message.caption or "")
    return MaterialDraft(url=drafts.clean_url(written[0])) if written else None


async def save_command(update: Update, context: BotContext) -> None:
    message, chat, person = update.effective_message, update.effective_chat, update.effective_user
    assert message is not None and chat is not None and person is not None
    t = context.t
    proposed = _proposed(message.reply_to_message) if message.reply_to_message else None
    if proposed is None:
        await reply(
            update,
            context,
            t.gettext(
                "Reply <code>/save</code> to a message with a file or a link, and I will help "
                "you propose it to the association's resource bank."
            ),
        )
        return
    source = await service.group_source(context.session, context.actor, chat_id=chat.id)
    limit = context.settings.max_upload_mb
    for file in proposed.files:
        drafts.with_file((), file, limit_mb=limit)  # too big: refused here, in the group
    data: dict[str, Any] = {
        **proposed.as_data(),
        "group_target": str(source.association_id),
        "group": source.name,
    }
    if source.registered and await _continue_in_private(update, context, data):
        await reply(
            update,
            context,
            t.gettext(
                "✉️ {name}, I have written to you in private: the form goes on there.",
                name=person.first_name,
            ),
        )
        return
    await dialog_store.begin(
        context.session,
        chat_id=chat.id,
        user_id=person.id,
        dialog=FORM.name,
        step=FIRST_STEP,
        data=data,
    )
    link = f"{bot_link(bot=context.bot)}?start={PAYLOAD}{chat.id}"
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(t.plain("📝 Open the form"), url=link)]])
    await reply(
        update,
        context,
        t.gettext(
            "Thank you! To propose it to the bank, open a chat with me: the form is waiting "
            "there with the file in it (registration first, if you have not registered yet)."
        ),
        keyboard,
    )


async def save_in_private(update: Update, context: BotContext) -> None:
    await reply(
        update,
        context,
        context.t.gettext(
            "/save works in the association's group: reply it to a message with a file. Here "
            "use /upload."
        ),
    )


async def _continue_in_private(update: Update, context: BotContext, data: dict[str, Any]) -> bool:
    """Open the form in the person's private chat; False if the bot may not write there."""
    person = update.effective_user
    assert person is not None
    try:
        await send_text(update, context, person.id, _intro(context, data))
    except Forbidden:
        return False
    await FORM.start(update, context, FIRST_STEP, data, chat_id=person.id)
    return True


def _intro(context: BotContext, data: dict[str, Any]) -> str:
    return context.t.gettext(
        "📎 I have kept what you proposed in «{group}». A few questions, and it goes to the "
        "reviewers. /cancel stops.",
        group=data.get("group") or "",
    )


async def open_saved(update: Update, context: BotContext, rest: str) -> None:
    """`/start upl_<group id>`: the form waiting under the group's key opens here."""
    person = update.effective_user
    assert person is not None
    group_id = int(rest) if rest.lstrip("-").isdigit() else None
    parked = (
        await dialog_store.load(context.session, chat_id=group_id, user_id=person.id)
        if group_id is not None
        else None
    )
    if parked is None or parked.dialog != FORM.name:
        await reply(
            update,
            context,
            context.t.gettext(
                "This form is no longer waiting. Reply /save to the message in the group again."
            ),
        )
        return
    data, step = dict(parked.data), parked.step
    await dialog_store.end(context.session, chat_id=parked.chat_id, user_id=person.id)
    await reply(update, context, _intro(context, data))
    await FORM.start(update, context, step, data)
