"""Writing a newsletter: the text (or a photo or file with a caption), link buttons, the
audience (handlers/newsletters/audience.py), a preview exactly as recipients get it, then
send now or schedule."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import Message, Update
from telegram.constants import ParseMode

from bot.callbacks import Callback, cb
from bot.context import BotContext
from bot.dialogs import Turn
from bot.errors import refuse
from bot.i18n import zone_title
from bot.keyboards import inline
from handlers.newsletters import audience as _audience_steps  # noqa: F401  (its steps)
from handlers.newsletters.audience import described
from handlers.newsletters.dialog import DIALOG
from handlers.newsletters.notices import copy_text
from models.newsletters import Newsletter
from scheduler.outbox import keyboard as url_keyboard
from services import dateparse, formatting, link_buttons
from services import newsletters as service
from services.audience import Audience
from services.clock import now
from services.errors import DomainError
from services.texts import N_


async def start(update: Update, context: BotContext, **data: Any) -> None:
    """Begin a new newsletter (or, with `edit_id`, change a scheduled one's text or time)."""
    step = data.pop("step", "body")
    if "edit_id" not in data:
        who = await service.composer(context.session, context.actor)
        data["network"] = who.network
        data["led"] = [[a.id, a.name] for a in who.led]
    await DIALOG.start(update, context, step, data)


# the text ----------------------------------------------------------------------------------
async def ask_body(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Send the newsletter's text. Bold, italics and links are kept as you format them. "
            "You may also send a photo or a file with a caption. /cancel stops."
        )
    )


async def on_body_text(turn: Turn, text: str) -> None:
    message = turn.update.effective_message
    assert message is not None
    await _take_body(turn, message.text_html, len(text), media=None)


def _media_of(message: Message) -> dict[str, str] | None:
    if message.photo:
        return {
            "media": "photo",
            "fid": message.photo[-1].file_id,
            "fname": "photo.jpg",
            "mime": "image/jpeg",
        }
    if message.document is not None:
        return {
            "media": "document",
            "fid": message.document.file_id,
            "fname": message.document.file_name or "file",
            "mime": message.document.mime_type or "application/octet-stream",
        }
    return None


async def on_body_file(turn: Turn, message: Message) -> None:
    media = _media_of(message)
    if media is None:
        await turn.say(turn.t.gettext("Send a text, a photo or a file."))
        return
    await _take_body(turn, message.caption_html or "", len(message.caption or ""), media=media)


async def _take_body(turn: Turn, html: str, length: int, *, media: dict[str, str] | None) -> None:
    edit_id = turn.data.get("edit_id")
    if edit_id is not None:
        await _replace_text(turn, edit_id, html, length, media=media)
        return
    try:
        service.check_body(length, with_media=media is not None)
    except DomainError as error:
        await turn.refuse(error)
        return
    turn.drop("media", "fid", "fname", "mime")
    turn.put(text=html, **(media or {}))
    await turn.goto("preview" if turn.data.get("previewed") else "buttons")


async def _replace_text(
    turn: Turn, newsletter_id: int, html: str, length: int, *, media: dict[str, str] | None
) -> None:
    try:
        if media is not None:
            raise service.MediaFixed()
        await service.replace_text(
            turn.context.session,
            actor=turn.context.actor,
            newsletter_id=newsletter_id,
            text=html,
            plain_length=length,
        )
    except DomainError as error:
        await turn.refuse(error)
        return
    await turn.finish()
    await turn.say(turn.t.gettext("The text of newsletter #{id} is updated.", id=newsletter_id))


# whose newsletter: a leader chooses their association ---------------------------------------
async def _after_buttons(turn: Turn) -> None:
    led = turn.data.get("led") or []
    if turn.data.get("network"):
        await turn.goto("audience")
    elif len(led) == 1:
        turn.put(aud={"associations": [led[0][0]]})
        await turn.goto("preview")
    else:
        await turn.goto("own")


def _led_options(turn: Turn) -> list[tuple[str, str]]:
    return [(str(a_id), name[:60]) for a_id, name in turn.data.get("led") or []]


async def _own_chosen(turn: Turn) -> None:
    turn.put(aud={"associations": [int(turn.data["own"])]})
    await turn.goto("preview")


# the preview -------------------------------------------------------------------------------
async def ask_preview(turn: Turn) -> None:
    """The newsletter exactly as recipients get it, then the count and what to do."""
    t, data = turn.t, turn.data
    turn.put(previewed=True)
    try:
        count = await service.preview_count(
            turn.context.session, turn.context.actor, Audience.from_json(data.get("aud"))
        )
    except DomainError as error:
        await turn.say(t.error(error))
        await turn.goto("audience" if data.get("network") else "own")
        return
    await _send_copy(turn)
    text = "\n".join(
        [
            t.gettext("⬆️ This is how the newsletter will look."),
            t.gettext("Recipients — {audience}.", audience=await described(turn)),
            t.ngettext("It will reach {n} person.", "It will reach {n} people.", count),
        ]
    )
    buttons = [
        [(t.plain("📤 Send now"), cb("nl", "go")), (t.plain("🕒 Schedule"), cb("nl", "later"))],
        [(t.plain("✏️ Change the text"), cb("nl", "retext"))],
    ]
    if data.get("network"):
        buttons[1].append((t.plain("🎯 Recipients"), cb("nl", "aud")))
    buttons.append([(t.plain("✖ Discard"), cb("nl", "discard"))])
    await turn.say(text, inline(buttons))


async def _send_copy(turn: Turn) -> None:
    data = turn.data
    bot, chat_id = turn.context.bot, turn.state.chat_id
    user = turn.context.user
    text = copy_text(turn.t, data["text"], user.full_name if user else "", _own_name(turn))
    markup = url_keyboard(link_buttons.one_per_row(data.get("buttons", [])))
    if data.get("media") == "photo":
        await bot.send_photo(
            chat_id, data["fid"], caption=text, parse_mode=ParseMode.HTML, reply_markup=markup
        )
    elif data.get("media") == "document":
        await bot.send_document(
            chat_id, data["fid"], caption=text, parse_mode=ParseMode.HTML, reply_markup=markup
        )
    else:
        await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)


def _own_name(turn: Turn) -> str | None:
    """The association a leader writes to (their newsletter is its official notice)."""
    if turn.data.get("network"):
        return None
    chosen = (turn.data.get("aud") or {}).get("associations") or [None]
    return dict((a_id, name) for a_id, name in turn.data.get("led") or []).get(chosen[0])


def _draft(turn: Turn) -> service.Draft:
    data = turn.data
    return service.Draft(
        text=data["text"],
        audience=Audience.from_json(data.get("aud")),
        buttons=tuple(data.get("buttons", [])),
        media_kind=data.get("media"),
        telegram_file_id=data.get("fid"),
        filename=data.get("fname"),
        mime_type=data.get("mime"),
    )


async def on_preview(turn: Turn, data: Callback) -> None:
    if data.action == "go":
        await _send_now(turn)
    elif data.action == "later":
        await turn.goto("when")
    elif data.action == "retext":
        await turn.goto("body")
    elif data.action == "aud" and turn.data.get("network"):
        await turn.goto("audience")
    elif data.action == "discard":
        await turn.finish()
        await turn.show(turn.t.gettext("The newsletter is discarded."))
    else:
        await turn.repeat()


async def _send_now(turn: Turn) -> None:
    t = turn.t
    try:
        newsletter, count = await service.send_now(
            turn.context.session,
            actor=turn.context.actor,
            draft=_draft(turn),
            progress_chat_id=turn.state.chat_id,
            rate=turn.context.settings.outbox_rate_per_second,
        )
    except DomainError as error:
        await refuse(turn.update, turn.context, error)
        return
    await turn.finish()
    await turn.show(
        t.ngettext(
            "Newsletter #{id} is on its way to {n} person. Its progress follows below.",
            "Newsletter #{id} is on its way to {n} people. Its progress follows below.",
            count,
            id=newsletter.id,
        )
    )


# scheduling --------------------------------------------------------------------------------
async def ask_when(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "When should it go out? Write the date and time, for example <i>12.12 15:00</i> or "
            "<i>завтра 9:00</i>. Time zone: {zone}.",
            zone=zone_title(turn.t, turn.context.settings.default_timezone),
        )
    )


async def on_when(turn: Turn, text: str) -> None:
    t = turn.t
    zone = turn.context.settings.default_timezone
    try:
        moment = dateparse.parse_local(text, zone, now()).astimezone(UTC)
        newsletter = await _schedule(turn, moment)
    except DomainError as error:
        await turn.refuse(error)
        return
    await turn.finish()
    await turn.say(
        t.gettext(
            "Newsletter #{id} will go out on {when}. /newsletter lets you change or cancel it "
            "until then.",
            id=newsletter.id,
            when=formatting.format_datetime(moment, zone, t.language),
        )
    )


async def _schedule(turn: Turn, moment: datetime) -> Newsletter:
    """A new newsletter for `moment`, or the scheduled one being changed moved there."""
    session, actor = turn.context.session, turn.context.actor
    edit_id = turn.data.get("edit_id")
    if edit_id is not None:
        return await service.reschedule(
            session, actor=actor, newsletter_id=edit_id, scheduled_at=moment
        )
    return await service.create(
        session,
        actor=actor,
        draft=_draft(turn),
        scheduled_at=moment,
        progress_chat_id=turn.state.chat_id,
    )


DIALOG.step("body", ask=ask_body, on_text=on_body_text, on_file=on_body_file)
DIALOG.link_buttons_step(
    "buttons",
    prompt=N_(
        "Add link buttons under the newsletter? Send one per line as "
        "<i>Label - https://link</i>, or press «No buttons»."
    ),
    then=_after_buttons,
)
DIALOG.choice_step(
    "own",
    prompt=N_("Choose the association the newsletter is for:"),
    options=_led_options,
    key="own",
    then=_own_chosen,
)
DIALOG.step("preview", ask=ask_preview, on_button=on_preview)
DIALOG.step("when", ask=ask_when, on_text=on_when)
