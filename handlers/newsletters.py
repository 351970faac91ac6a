"""/newsletter: compose (text, photo or file, URL buttons), choose the audience, preview,
send now or schedule; manage scheduled ones; stop one being sent from its progress message."""

from __future__ import annotations

import html
import re
from datetime import UTC, timedelta
from typing import Any

from sqlalchemy import select
from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import Callback, cb, parse, pattern
from bot.commands import Audience as CommandAudience
from bot.commands import CommandSpec
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import Translator, zone_title
from bot.keyboards import columns, inline
from bot.replies import ack, alert, reply, show
from models import Association, AssociationStatus, MemberRole, NetworkRole
from models.newsletters import NewsletterStatus
from scheduler import jobs
from scheduler.newsletters import digest_sweep, newsletters_sweep, start_newsletter
from scheduler.outbox import keyboard as url_keyboard
from services import dateparse, formatting, link_buttons
from services import newsletters as service
from services.audience import Audience
from services.catalogs import SUBJECTS
from services.clock import now
from services.errors import DomainError
from services.texts import N_, T_

COMMANDS = [
    CommandSpec("newsletter", N_("Write a newsletter"), CommandAudience.LEADER),
]

DIALOG = register_dialog(Dialog("nl"))
TOO_LATE = service.TooLate.message
ASSOCIATIONS_PER_PAGE = 10

ROLE_TITLES: dict[str, str] = {
    MemberRole.LEADER.value: T_("association leaders"),
    MemberRole.SECRETARY.value: T_("association secretaries"),
    MemberRole.ADMINISTRATOR.value: T_("association administrators"),
    MemberRole.EXPERT.value: T_("association experts"),
    MemberRole.MEMBER.value: T_("ordinary association members"),
    NetworkRole.METHODIST.value: T_("network methodists"),
    NetworkRole.APPROVER.value: T_("approvers"),
    NetworkRole.EXPERT.value: T_("network experts"),
}


# the entry point -------------------------------------------------------------------------
async def newsletter_command(update: Update, context: BotContext) -> None:
    who = await service.composer(context.session, context.actor)
    scheduled = await service.scheduled_of(context.session, context.actor)
    if not scheduled:
        await _start_compose(update, context, who)
        return
    t = context.t
    lines = [t.gettext("<b>Your scheduled newsletters</b>")]
    buttons: list[list[tuple[str, str]]] = []
    for item in scheduled:
        assert item.scheduled_at is not None
        lines.append(
            t.gettext(
                "#{id} · {when} · {start}",
                id=item.id,
                when=formatting.format_datetime(
                    item.scheduled_at, context.settings.default_timezone, t.language
                ),
                start=_snippet(item.text),
            )
        )
        buttons.append(
            [
                (t.plain("✏️ Text #{id}", id=item.id), cb("nlm", "text", item.id)),
                (t.plain("🕒 Time #{id}", id=item.id), cb("nlm", "time", item.id)),
                (t.plain("✖ Cancel #{id}", id=item.id), cb("nlm", "cancel", item.id)),
            ]
        )
    buttons.append([(t.plain("✉️ New newsletter"), cb("nlm", "new"))])
    await reply(update, context, "\n".join(lines), inline(buttons))


def _snippet(html_text: str) -> str:
    stripped = html.unescape(re.sub(r"<[^>]+>", "", html_text))
    return stripped[:40] + ("…" if len(stripped) > 40 else "")


async def _start_compose(
    update: Update, context: BotContext, who: service.Composer, **data: Any
) -> None:
    await DIALOG.start(update, context, "body", {"network": who.network, **data})


async def manage_button(update: Update, context: BotContext) -> None:
    data = parse(update.callback_query.data if update.callback_query else None)
    t = context.t
    if data is None:
        await alert(update, t.plain("This button is out of date."))
        return
    if data.action == "new":
        who = await service.composer(context.session, context.actor)
        await ack(update)
        await _start_compose(update, context, who)
        return
    try:
        newsletter_id = data.int_arg(0)
    except ValueError:
        await alert(update, t.plain("This button is out of date."))
        return
    if data.action == "cancel":
        try:
            await service.cancel(context.session, actor=context.actor, newsletter_id=newsletter_id)
        except DomainError as error:
            await alert(update, t.plain(error.message, **error.params))
            return
        await ack(update)
        await show(update, context, t.gettext("Newsletter #{id} is cancelled.", id=newsletter_id))
    elif data.action in ("text", "time"):
        try:
            newsletter = await service.get_own(context.session, context.actor, newsletter_id)
        except DomainError as error:
            await alert(update, t.plain(error.message, **error.params))
            return
        if newsletter.status is not NewsletterStatus.SCHEDULED:
            await alert(update, t.plain(TOO_LATE))
            return
        await ack(update)
        step = "body" if data.action == "text" else "when"
        await DIALOG.start(update, context, step, {"edit_id": newsletter_id})
    else:
        await alert(update, t.plain("This button is out of date."))


async def progress_button(update: Update, context: BotContext) -> None:
    """⏹ on the live progress message: stop what has not left yet."""
    data = parse(update.callback_query.data if update.callback_query else None)
    t = context.t
    if data is None or data.action != "stop":
        await alert(update, t.plain("This button is out of date."))
        return
    try:
        state, stopped = await service.cancel(
            context.session, actor=context.actor, newsletter_id=data.int_arg(0)
        )
    except ValueError:
        await alert(update, t.plain("This button is out of date."))
        return
    except DomainError as error:
        await alert(update, t.plain(error.message, **error.params))
        return
    if state == "scheduled":
        await alert(update, t.plain("The newsletter is cancelled."))
        return
    await alert(
        update,
        t.nplain(
            "Stopped: {n} message will not be sent.",
            "Stopped: {n} messages will not be sent.",
            stopped,
        ),
    )


# the dialog --------------------------------------------------------------------------------
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


async def on_body_file(turn: Turn, message: Message) -> None:
    if message.photo:
        media = {"media": "photo", "fid": message.photo[-1].file_id}
        media.update(fname="photo.jpg", mime="image/jpeg")
    elif message.document is not None:
        media = {
            "media": "document",
            "fid": message.document.file_id,
            "fname": message.document.file_name or "file",
            "mime": message.document.mime_type or "application/octet-stream",
        }
    else:
        await turn.say(turn.t.gettext("Please send a text, a photo or a file."))
        return
    caption = message.caption_html or ""
    await _take_body(turn, caption, len(message.caption or ""), media=media)


async def _take_body(turn: Turn, html: str, length: int, *, media: dict[str, str] | None) -> None:
    edit_id = turn.data.get("edit_id")
    try:
        if edit_id is not None:
            if media is not None:
                await turn.say(
                    turn.t.gettext(
                        "The photo or file of a scheduled newsletter cannot be replaced; "
                        "cancel it and write a new one. Send the new text, please."
                    )
                )
                return
            await service.replace_text(
                turn.context.session,
                actor=turn.context.actor,
                newsletter_id=edit_id,
                text=html,
                plain_length=length,
            )
            await turn.finish()
            await turn.say(turn.t.gettext("The text of newsletter #{id} is updated.", id=edit_id))
            return
        service.check_body(length, with_media=media is not None)
    except DomainError as error:
        await turn.say(turn.t.error(error))
        return
    turn.drop("media", "fid", "fname", "mime")
    turn.put(text=html, **(media or {}))
    if turn.data.get("previewed"):
        await turn.goto("preview")
    else:
        await turn.goto("buttons")


async def _after_buttons(turn: Turn) -> None:
    if turn.data.get("network"):
        await turn.goto("audience")
        return
    who = await service.composer(turn.context.session, turn.context.actor)
    if len(who.led) == 1:
        turn.put(aud={"associations": [who.led[0].id]})
        await turn.goto("preview")
    else:
        await turn.goto("own")


async def ask_own(turn: Turn) -> None:
    who = await service.composer(turn.context.session, turn.context.actor)
    buttons = [(a.name[:60], cb("nl", "own", a.id)) for a in who.led]
    await turn.say(
        turn.t.gettext("Which of your associations is this for?"), inline(columns(buttons, 1))
    )


async def on_own(turn: Turn, data: Callback) -> None:
    try:
        association_id = data.int_arg(0)
    except ValueError:
        await turn.repeat()
        return
    turn.put(aud={"associations": [association_id]})
    await turn.goto("preview")


def describe(t: Translator, audience: Audience, names: dict[int, str]) -> str:
    """The filters in words (plain text: the message that shows it escapes it once)."""
    if audience.is_everyone:
        return t.plain("all registered teachers who receive newsletters")
    parts = []
    if audience.associations:
        chosen = ", ".join(names.get(a, f"#{a}") for a in audience.associations)
        parts.append(t.plain("associations: {names}", names=chosen))
    if audience.role:
        parts.append(t.plain("role: {role}", role=ROLE_TITLES[audience.role]))
    if audience.subject:
        parts.append(
            t.plain("subject: {subject}", subject=SUBJECTS.get(audience.subject, audience.subject))
        )
    if audience.organisation:
        parts.append(t.plain("organisation: «{text}»", text=audience.organisation))
    if audience.municipality:
        parts.append(t.plain("municipality: «{text}»", text=audience.municipality))
    return "; ".join(parts)


async def _association_names(turn: Turn, ids: list[int] | tuple[int, ...]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await turn.context.session.execute(
        select(Association.id, Association.name).where(Association.id.in_(list(ids)))
    )
    return dict(rows.all())  # type: ignore[arg-type]


async def ask_audience(turn: Turn) -> None:
    t = turn.t
    audience = Audience.from_json(turn.data.get("aud"))
    names = await _association_names(turn, audience.associations)
    count = await service.preview_count(turn.context.session, turn.context.actor, audience)
    text = "\n".join(
        [
            t.gettext("<b>Who receives it?</b> Filters combine: all of them must hold."),
            t.gettext("Now: {audience}.", audience=describe(t, audience, names)),
            t.ngettext("That is {n} person.", "That is {n} people.", count),
        ]
    )
    buttons = [
        [
            (t.plain("🏫 Associations"), cb("nl", "f", "as")),
            (t.plain("👤 Role"), cb("nl", "f", "role")),
        ],
        [
            (t.plain("📚 Subject"), cb("nl", "f", "subj")),
            (t.plain("🏢 Organisation"), cb("nl", "f", "org")),
        ],
        [
            (t.plain("📍 Municipality"), cb("nl", "f", "mun")),
            (t.plain("♻️ Everyone"), cb("nl", "f", "clear")),
        ],
        [(t.plain("👁 Preview"), cb("nl", "f", "done"))],
    ]
    await turn.show(text, inline(buttons))


async def on_audience(turn: Turn, data: Callback) -> None:
    choice = data.arg(0)
    if data.action != "f" or choice not in ("as", "role", "subj", "org", "mun", "clear", "done"):
        await turn.repeat()
        return
    if choice == "clear":
        turn.put(aud={})
        await turn.repeat()
    elif choice == "done":
        await turn.goto("preview")
    else:
        await turn.goto({"as": "assoc", "role": "role", "subj": "subject"}.get(choice, choice))


def _set_filter(turn: Turn, **values: Any) -> None:
    audience = dict(turn.data.get("aud") or {})
    for key, value in values.items():
        if value:
            audience[key] = value
        else:
            audience.pop(key, None)
    turn.put(aud=audience)


async def _matching_associations(turn: Turn) -> list[tuple[int, str]]:
    """Active associations whose name contains the typed search (any case, Cyrillic too)."""
    rows = await turn.context.session.execute(
        select(Association.id, Association.name)
        .where(Association.status == AssociationStatus.ACTIVE)
        .order_by(Association.name)
    )
    query = (turn.data.get("assoc_query") or "").casefold()
    return [(a_id, name) for a_id, name in rows.all() if query in name.casefold()]


async def ask_assoc(turn: Turn) -> None:
    t = turn.t
    chosen = set((turn.data.get("aud") or {}).get("associations", []))
    found = await _matching_associations(turn)
    pages = max(1, -(-len(found) // ASSOCIATIONS_PER_PAGE))
    page = min(max(turn.data.get("assoc_page", 0), 0), pages - 1)
    shown = found[page * ASSOCIATIONS_PER_PAGE : (page + 1) * ASSOCIATIONS_PER_PAGE]
    buttons = [
        (("✅ " if a_id in chosen else "▫️ ") + name[:50], cb("nl", "as", a_id))
        for a_id, name in shown
    ]
    paging = [
        (label, cb("nl", "as", "page", target))
        for label, target in (("◀️", page - 1), ("▶️", page + 1))
        if 0 <= target < pages
    ]
    keyboard = [*columns(buttons, 1)]
    if paging:
        keyboard.append(paging)
    keyboard.append([(t.plain("✔ Done"), cb("nl", "as", "done"))])
    lines = [
        t.gettext(
            "Tap associations to choose them; tap again to remove. "
            "To find one, send a part of its name."
        )
    ]
    if turn.data.get("assoc_query"):
        lines.append(
            t.gettext(
                "Found by «{query}»: {count}", query=turn.data["assoc_query"], count=len(found)
            )
        )
    if pages > 1:
        lines.append(t.gettext("Page {page} of {pages}", page=page + 1, pages=pages))
    lines.append(t.gettext("Chosen: {count}", count=len(chosen)))
    await turn.show("\n".join(lines), inline(keyboard))


async def on_assoc(turn: Turn, data: Callback) -> None:
    if data.arg(0) == "done":
        turn.drop("assoc_query", "assoc_page")
        await turn.goto("audience")
        return
    if data.arg(0) == "page":
        page = data.arg(1) or ""
        if page.isdigit():  # otherwise forged: the current page is shown again
            turn.put(assoc_page=int(page))
        await turn.repeat()
        return
    try:
        association_id = data.int_arg(0)
    except ValueError:
        await turn.repeat()
        return
    chosen = list((turn.data.get("aud") or {}).get("associations", []))
    if association_id in chosen:
        chosen.remove(association_id)
    else:
        association = await turn.context.session.get(Association, association_id)
        if association is None or association.status is not AssociationStatus.ACTIVE:
            await turn.repeat()
            return
        chosen.append(association_id)
    _set_filter(turn, associations=chosen)
    await turn.repeat()


async def on_assoc_search(turn: Turn, text: str) -> None:
    query = " ".join(text.split())[:60]
    if len(query) < 2:
        turn.drop("assoc_query")
    else:
        turn.put(assoc_query=query)
    turn.put(assoc_page=0)
    await turn.repeat()


async def ask_role(turn: Turn) -> None:
    t = turn.t
    buttons = [(t.plain(title), cb("nl", "role", key)) for key, title in ROLE_TITLES.items()]
    keyboard = [*columns(buttons, 2), [(t.plain("Any role"), cb("nl", "role", "any"))]]
    await turn.show(t.gettext("Which role?"), inline(keyboard))


async def on_role(turn: Turn, data: Callback) -> None:
    role = data.arg(0)
    if role != "any" and role not in ROLE_TITLES:
        await turn.repeat()
        return
    _set_filter(turn, role=None if role == "any" else role)
    await turn.goto("audience")


async def ask_subject(turn: Turn) -> None:
    t = turn.t
    buttons = [(t.plain(title), cb("nl", "subj", key)) for key, title in SUBJECTS.items()]
    keyboard = [*columns(buttons, 2), [(t.plain("Any subject"), cb("nl", "subj", "any"))]]
    await turn.show(t.gettext("Which subject?"), inline(keyboard))


async def on_subject(turn: Turn, data: Callback) -> None:
    subject = data.arg(0)
    if subject != "any" and subject not in SUBJECTS:
        await turn.repeat()
        return
    _set_filter(turn, subject=None if subject == "any" else subject)
    await turn.goto("audience")


async def ask_org(turn: Turn) -> None:
    t = turn.t
    await turn.say(
        t.gettext("Send a part of the organisation's name (for example, <i>СОШ № 5</i>)."),
        inline([[(t.plain("Any organisation"), cb("nl", "org", "any"))]]),
    )


async def ask_mun(turn: Turn) -> None:
    t = turn.t
    await turn.say(
        t.gettext("Send the municipality (for example, <i>г. Тверь</i>)."),
        inline([[(t.plain("Any municipality"), cb("nl", "mun", "any"))]]),
    )


def _text_filter(key: str):  # type: ignore[no-untyped-def]
    async def on_text(turn: Turn, text: str) -> None:
        value = " ".join(text.split())
        if not 2 <= len(value) <= 200:
            await turn.say(turn.t.gettext("Please write from 2 to 200 characters."))
            return
        _set_filter(turn, **{key: value})
        await turn.goto("audience")

    async def on_button(turn: Turn, data: Callback) -> None:
        _set_filter(turn, **{key: None})
        await turn.goto("audience")

    return on_text, on_button


async def ask_preview(turn: Turn) -> None:
    """The newsletter exactly as recipients get it, then the count and what to do."""
    t = turn.t
    turn.put(previewed=True)
    data = turn.data
    try:
        count = await service.preview_count(
            turn.context.session, turn.context.actor, Audience.from_json(data.get("aud"))
        )
    except DomainError as error:
        await turn.say(turn.t.error(error))
        await turn.goto("audience" if data.get("network") else "own")
        return
    await _send_copy(turn)
    audience = Audience.from_json(data.get("aud"))
    names = await _association_names(turn, audience.associations)
    text = "\n".join(
        [
            t.gettext("⬆️ This is how the newsletter will look."),
            t.gettext("Audience: {audience}.", audience=describe(t, audience, names)),
            t.ngettext("It will reach {n} person.", "It will reach {n} people.", count),
        ]
    )
    buttons = [
        [(t.plain("🚀 Send now"), cb("nl", "go")), (t.plain("🕒 Schedule"), cb("nl", "later"))],
        [(t.plain("✏️ Change the text"), cb("nl", "retext"))],
    ]
    if data.get("network"):
        buttons[1].append((t.plain("🎯 Audience"), cb("nl", "aud")))
    buttons.append([(t.plain("✖ Discard"), cb("nl", "discard"))])
    await turn.say(text, inline(buttons))


async def _send_copy(turn: Turn) -> None:
    data = turn.data
    bot = turn.context.bot
    markup = url_keyboard(link_buttons.one_per_row(data.get("buttons", [])))
    chat_id = turn.state.chat_id
    if data.get("media") == "photo":
        await bot.send_photo(
            chat_id,
            data["fid"],
            caption=data["text"],
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )
    elif data.get("media") == "document":
        await bot.send_document(
            chat_id,
            data["fid"],
            caption=data["text"],
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )
    else:
        await bot.send_message(
            chat_id, data["text"], parse_mode=ParseMode.HTML, reply_markup=markup
        )


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
    t = turn.t
    if data.action == "go":
        try:
            newsletter = await service.create(
                turn.context.session,
                actor=turn.context.actor,
                draft=_draft(turn),
                scheduled_at=None,
                progress_chat_id=turn.state.chat_id,
            )
        except DomainError as error:
            await turn.say(turn.t.error(error))
            return
        settings = turn.context.bot_data["settings"]
        count = await start_newsletter(
            turn.context.session, newsletter, t, settings.outbox_rate_per_second
        )
        await turn.finish()
        await turn.show(
            t.ngettext(
                "Newsletter #{id} is on its way to {n} person. Its progress follows below.",
                "Newsletter #{id} is on its way to {n} people. Its progress follows below.",
                count,
                id=newsletter.id,
            )
        )
    elif data.action == "later":
        await turn.goto("when")
    elif data.action == "retext":
        await turn.goto("body")
    elif data.action == "aud" and turn.data.get("network"):
        await turn.goto("audience")
    elif data.action == "discard":
        await turn.finish()
        await turn.show(t.gettext("The newsletter is discarded."))
    else:
        await turn.repeat()


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
    session = turn.context.session
    try:
        zone = turn.context.settings.default_timezone
        moment = dateparse.parse_local(text, zone, now()).astimezone(UTC)
        edit_id = turn.data.get("edit_id")
        if edit_id is not None:
            newsletter = await service.reschedule(
                session, actor=turn.context.actor, newsletter_id=edit_id, scheduled_at=moment
            )
        else:
            newsletter = await service.create(
                session,
                actor=turn.context.actor,
                draft=_draft(turn),
                scheduled_at=moment,
                progress_chat_id=turn.state.chat_id,
            )
    except DomainError as error:
        await turn.say(turn.t.error(error))
        return
    await turn.finish()
    await turn.say(
        t.gettext(
            "Newsletter #{id} will go out on {when}. /newsletter lets you change or cancel it "
            "until then.",
            id=newsletter.id,
            when=formatting.format_datetime(
                moment, turn.context.settings.default_timezone, t.language
            ),
        )
    )


_org_text, _org_button = _text_filter("organisation")
_mun_text, _mun_button = _text_filter("municipality")

DIALOG.step("body", ask=ask_body, on_text=on_body_text, on_file=on_body_file)
DIALOG.link_buttons_step(
    "buttons",
    prompt=N_(
        "Add link buttons under the newsletter? Send one per line as "
        "<i>Label - https://link</i>, or press «No buttons»."
    ),
    then=_after_buttons,
)
DIALOG.step("own", ask=ask_own, on_button=on_own)
DIALOG.step("audience", ask=ask_audience, on_button=on_audience)
DIALOG.step("assoc", ask=ask_assoc, on_button=on_assoc, on_text=on_assoc_search)
DIALOG.step("role", ask=ask_role, on_button=on_role)
DIALOG.step("subject", ask=ask_subject, on_button=on_subject)
DIALOG.step("org", ask=ask_org, on_text=_org_text, on_button=_org_button)
DIALOG.step("mun", ask=ask_mun, on_text=_mun_text, on_button=_mun_button)
DIALOG.step("preview", ask=ask_preview, on_button=on_preview)
DIALOG.step("when", ask=ask_when, on_text=on_when)


_sweeps: list[bool] = []


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("newsletter", newsletter_command, filters=private))
    app.add_handler(CallbackQueryHandler(manage_button, pattern=pattern("nlm")))
    app.add_handler(CallbackQueryHandler(progress_button, pattern=pattern("nlp")))
    if not _sweeps:  # register() runs for every Application; the sweeps are global
        _sweeps.append(True)
        jobs.add_sweep(newsletters_sweep, every=timedelta(seconds=2), name="newsletters", first=1.0)
        jobs.add_sweep(digest_sweep, every=timedelta(hours=1), name="event-digest", first=30.0)
