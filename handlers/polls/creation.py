"""A new poll: question → options → anonymous or named → one or several answers → closing
time → preview → posted as a native poll in the group (the Announcements topic of a
forum). Each answer is kept in the dialog's state, so a half-filled poll survives a
restart."""

from __future__ import annotations

import warnings
from datetime import datetime

from telegram import Bot, Message, Update
from telegram.error import TelegramError
from telegram.warnings import PTBUserWarning

from bot.context import BotContext
from bot.dialogs import Dialog, Options, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import zone_title
from bot.replies import ack
from handlers.polls.presses import BUTTONS, NewPoll
from handlers.polls.wording import kind_of
from services import polls as service
from services.errors import InvalidInput
from services.formatting import format_datetime
from services.texts import N_

DIALOG = register_dialog(Dialog("poll"))


@BUTTONS.on(NewPoll)
async def new_poll(update: Update, context: BotContext, press: NewPoll) -> None:
    association = await service.prepare(
        context.session, actor=context.actor, association_id=press.association_id
    )
    await ack(update)
    await DIALOG.start(
        update,
        context,
        "question",
        {"association_id": association.id, "name": association.name, "zone": association.timezone},
    )


def _yes_no(yes: str, no: str) -> Options:
    return lambda turn: [("1", turn.t.plain(yes)), ("0", turn.t.plain(no))]


# The closing time is read in the association's zone, kept in the dialog's data, so this
# step is not a `text_step` (whose `clean` sees only the text).
async def ask_closing(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "When should the poll close? For example <i>10.12 18:00</i>, <i>15 декабря 12:00</i> "
            "or <i>завтра 18:00</i>. Time zone: {zone}.",
            zone=zone_title(turn.t, turn.data["zone"]),
        )
    )


async def on_closing(turn: Turn, text: str) -> None:
    try:
        moment = service.clean_closing(text, turn.data["zone"])
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(closes_at=moment.isoformat())
    await turn.goto("confirm")


def preview(turn: Turn) -> str:
    t, d = turn.t, turn.data
    draft = _draft(turn)
    return t.gettext(
        "<b>The poll for the group of «{name}»</b>\n\n❓ {question}\n{options}\n\n"
        "Kind: {kind}\nCloses: {when}\n\nPost it?",
        name=d["name"],
        question=draft.question,
        options="\n".join(f"▫️ {option}" for option in draft.options),
        kind=kind_of(t, anonymous=draft.anonymous, multiple=draft.multiple),
        when=format_datetime(draft.closes_at, d["zone"], t.language),
    )


def _draft(turn: Turn) -> service.Draft:
    d = turn.data
    return service.Draft(
        question=d["question"],
        options=tuple(d["options"]),
        anonymous=d["anonymous"] == "1",
        multiple=d["multiple"] == "1",
        closes_at=datetime.fromisoformat(d["closes_at"]),
    )


async def post(turn: Turn) -> None:
    """Record the poll, post it in the group, remember its message; a refusal (rules
    changed, the group gone) rolls everything back and is explained."""
    context = turn.context
    posting = await service.create(
        context.session,
        actor=context.actor,
        association_id=turn.data["association_id"],
        draft=_draft(turn),
    )
    poll = posting.poll
    try:
        message = await send_poll(context.bot, posting)
    except TelegramError as error:
        raise service.CouldNotPost() from error
    assert message.poll is not None
    await service.posted(
        context.session,
        poll_id=poll.id,
        message_id=message.message_id,
        telegram_poll_id=message.poll.id,
    )
    await turn.finish()
    when = format_datetime(poll.closes_at, turn.data["zone"], turn.t.language)
    await turn.say(
        turn.t.gettext(
            "📊 The poll is posted in the group. It closes {when}; you will get the result "
            "here. See all polls in /poll.",
            when=when,
        )
    )


async def send_poll(bot: Bot, posting: service.Posting) -> Message:
    """sendPoll with plain-text question and options. Called as a raw request because PTB's
    `send_poll` adds the default `parse_mode` (HTML), which sendPoll does not take, and
    would parse the members' words as HTML."""
    poll = posting.poll
    request: dict[str, object] = {
        "chat_id": poll.chat_id,
        "question": poll.question,
        "options": [{"text": option} for option in poll.options],
        "is_anonymous": poll.is_anonymous,
        "allows_multiple_answers": poll.allows_multiple,
    }
    if posting.thread_id is not None:
        request["message_thread_id"] = posting.thread_id
    with warnings.catch_warnings():  # PTB asks for send_poll, which is what we avoid here
        warnings.simplefilter("ignore", PTBUserWarning)
        return await bot.do_api_request("sendPoll", api_kwargs=request, return_type=Message)


async def cancel(turn: Turn) -> None:
    await turn.finish()
    await turn.say(turn.t.gettext("The poll is not posted. Nothing was sent."))


DIALOG.text_step(
    "question",
    prompt=N_("Write the question of the poll (up to 300 characters)."),
    key="question",
    clean=service.clean_question,
    then="options",
)
DIALOG.text_step(
    "options",
    prompt=N_("Now the options: 2 to 12, one per line, each up to 100 characters."),
    key="options",
    clean=service.clean_options,
    then="anonymous",
)
DIALOG.choice_step(
    "anonymous",
    prompt=N_("Anonymous or named? In a named poll you see who chose what."),
    options=_yes_no(N_("🕶 Anonymous poll"), N_("👤 Named poll")),
    key="anonymous",
    then="multiple",
)
DIALOG.choice_step(
    "multiple",
    prompt=N_("May a member choose several options?"),
    options=_yes_no(N_("Several answers"), N_("One answer")),
    key="multiple",
    then="closing",
)
DIALOG.step("closing", ask=ask_closing, on_text=on_closing)
DIALOG.confirm_step(
    "confirm",
    prompt=preview,
    yes=N_("📊 Post the poll"),
    on_yes=post,
    no=N_("✖ Cancel"),
    on_no=cancel,
)
