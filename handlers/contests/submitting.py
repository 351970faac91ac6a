"""Submitting a work (dialog `cons`, in private): nomination → title → annotation → files
(documents, up to five) or a link → confirmation. Submitting again in the same nomination
replaces the entry until submissions close."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update

from bot.callbacks import Callback, cb
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.keyboards import inline
from bot.replies import ack
from handlers.contests.buttons import BUTTONS, Replace, Submit
from services.contests import entries as service
from services.errors import DomainError, InvalidInput
from services.texts import N_

SUBMIT = register_dialog(Dialog("cons"))


@BUTTONS.on(Submit)
async def start_submission(update: Update, context: BotContext, press: Submit) -> None:
    card = await service.submittable(context.session, context.actor, press.contest_id)
    await ack(update)
    data = {
        "contest_id": card.contest_id,
        "title_of_contest": card.title,
        "nominations": [[nomination_id, name] for nomination_id, name in card.nominations],
        "files": [],
    }
    await SUBMIT.start(update, context, "nomination", data)


@BUTTONS.on(Replace)
async def start_replacement(update: Update, context: BotContext, press: Replace) -> None:
    view = await service.own_entry(context.session, context.actor, press.entry_id)
    card = await service.submittable(context.session, context.actor, view.contest_id)
    await ack(update)
    data = {
        "contest_id": card.contest_id,
        "title_of_contest": card.title,
        "nominations": [[view.nomination_id, view.nomination]],
        "nomination": str(view.nomination_id),
        "files": [],
    }
    await SUBMIT.start(update, context, "title", data)


def _nominations(turn: Turn) -> list[tuple[str, str]]:
    return [(str(nomination_id), name) for nomination_id, name in turn.data["nominations"]]


# the work: files or a link -----------------------------------------------------------------


def _done_keyboard(turn: Turn) -> InlineKeyboardMarkup | None:
    if not turn.data.get("files"):
        return None
    return inline([[(turn.t.plain("Done ➡️"), cb(SUBMIT.name, "done"))]])


async def _ask_work(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Send the work: files as documents (up to {limit}), or a link to it "
            "(https://…). Press «Done» after the files.",
            limit=service.MAX_FILES,
        ),
        _done_keyboard(turn),
    )


async def _on_work_file(turn: Turn, message: Message) -> None:
    if message.document is None:
        await turn.say(turn.t.gettext("Please send the file as a document (📎 → File)."))
        return
    files = list(turn.data.get("files", []))
    if len(files) >= service.MAX_FILES:
        await turn.refuse(service.TooManyFiles(limit=service.MAX_FILES))
        return
    files.append({"id": message.document.file_id, "name": message.document.file_name})
    turn.put(files=files, link=None)
    await turn.say(
        turn.t.ngettext(
            "📎 {n} file attached. Send more or press «Done».",
            "📎 {n} files attached. Send more or press «Done».",
            len(files),
        ),
        _done_keyboard(turn),
    )


async def _on_work_link(turn: Turn, text: str) -> None:
    try:
        link = service.clean_link(text)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(link=link, files=[])
    await turn.goto("confirm")


async def _on_work_done(turn: Turn, data: Callback) -> None:
    if data.action != "done" or not turn.data.get("files"):
        await turn.repeat()
        return
    await turn.goto("confirm")


# confirmation ------------------------------------------------------------------------------


def _summary(turn: Turn) -> str:
    t, d = turn.t, turn.data
    nomination = dict(_nominations(turn))[d["nomination"]]
    work = (
        ", ".join(f["name"] or t.plain("file") for f in d["files"]) if d.get("files") else d["link"]
    )
    return t.gettext(
        "Check your entry to «{contest}»:\n\nNomination: {nomination}\n📄 <b>{title}</b>\n"
        "{annotation}\n\nWork: {work}\n\nSubmit it?",
        contest=d["title_of_contest"],
        nomination=nomination,
        title=d["title"],
        annotation=d["annotation"],
        work=work,
    )


async def _submit(turn: Turn) -> None:
    d = turn.data
    draft = service.EntryDraft(
        nomination_id=int(d["nomination"]),
        title=d["title"],
        annotation=d["annotation"],
        files=tuple(service.WorkFile(f["id"], f["name"]) for f in d.get("files", [])),
        link=d.get("link"),
    )
    try:
        view, replaced = await service.submit(
            turn.context.session, turn.context.actor, contest_id=d["contest_id"], draft=draft
        )
    except DomainError as error:  # the deadline passed meanwhile: nothing to submit
        await turn.finish()
        await turn.say(turn.t.error(error))
        return
    await turn.finish()
    if replaced:
        text = turn.t.gettext(
            "🔁 Your entry «{title}» is replaced. It can be replaced again until submissions "
            "close.",
            title=view.title,
        )
    else:
        text = turn.t.gettext(
            "📤 Your work «{title}» is submitted to «{contest}». Until submissions close you "
            "can replace it: submit again in the same nomination.",
            title=view.title,
            contest=view.contest,
        )
    await turn.say(text)


async def _drop(turn: Turn) -> None:
    await turn.finish()
    await turn.say(turn.t.gettext("The work is not submitted. Nothing was saved."))


SUBMIT.choice_step(
    "nomination",
    prompt=N_("Choose the nomination:"),
    options=_nominations,
    key="nomination",
    then="title",
)
SUBMIT.text_step(
    "title",
    prompt=N_("Write the title of your work:"),
    key="title",
    clean=service.clean_entry_title,
    then="annotation",
)
SUBMIT.text_step(
    "annotation",
    prompt=N_(
        "Write a short annotation: what the work is about, for whom (up to 1500 characters)."
    ),
    key="annotation",
    clean=service.clean_annotation,
    then="work",
)
SUBMIT.step(
    "work", ask=_ask_work, on_text=_on_work_link, on_file=_on_work_file, on_button=_on_work_done
)
SUBMIT.confirm_step(
    "confirm",
    prompt=_summary,
    yes=N_("📤 Submit"),
    on_yes=_submit,
    no=N_("✖ Cancel"),
    on_no=_drop,
)
