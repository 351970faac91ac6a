"""«🏅 Nominate»: the leader picks members from the ranking (toggles), writes a justification
for each (one step per person, the person's activity offered as a draft), and sends the
list to the approver (dialog `actn`); past lists and their PDFs again («🗂»)."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update

from bot.callbacks import Callback, cb
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import ack, reply, show
from handlers.activity.buttons import BUTTONS, Nominate, NominationPdf, OpenRanking, PastNominations
from handlers.activity.ranking import place_label
from services import nominations
from services.errors import InvalidInput
from services.formatting import format_date, format_date_short
from services.names import short_name
from services.ranking import Span
from services.texts import N_

NOMINATE = register_dialog(Dialog("actn"))
DRAFT = "draft"


def _ru() -> Translator:
    return Translator("ru")


def _draft(t: Translator, summary: str) -> str:
    return t.plain("Active participation in the association's work: {summary}.", summary=summary)


@BUTTONS.on(Nominate)
async def nominate(update: Update, context: BotContext, press: Nominate) -> None:
    t = context.t
    found = await nominations.candidates(
        context.session,
        actor=context.actor,
        association_id=press.association_id,
        span=press.span,
        weights=context.settings.weights,
    )
    await ack(update)
    if not found.places:
        await reply(update, context, t.gettext("The association has no members to nominate yet."))
        return
    places = found.places[:40]
    summaries = {
        str(p.user.id): nominations.activity_summary(
            p.counts, found.held, t.plain, t.plain("of")
        ).replace("\u00a0", " ")
        for p in places
    }
    data = {
        "association_id": press.association_id,
        "span": press.span.value,
        "options": [[str(p.user.id), place_label(p)] for p in places],
        "names": {str(p.user.id): p.user.full_name or "" for p in places},
        "summaries": summaries,
        "drafts": {key: _draft(t, value) for key, value in summaries.items()},
    }
    await NOMINATE.start(update, context, "who", data)


def _options(turn: Turn) -> list[tuple[str, str]]:
    return [(value, label) for value, label in turn.data["options"]]


def _check(chosen: list[str]) -> None:
    if len(chosen) > nominations.MAX_NOMINEES:
        raise nominations.TooManyNominees(limit=nominations.MAX_NOMINEES)


async def _first_justification(turn: Turn) -> None:
    order = [value for value, _ in turn.data["options"] if value in turn.data["chosen"]]
    turn.put(chosen=order, index=0, justifications={})
    await turn.goto("why")


NOMINATE.multi_choice_step(
    "who",
    prompt=N_(
        "🏅 <b>Whom do you put forward for an award?</b>\nThe members are in the order of "
        "the ranking. Choose them, then press «Done»."
    ),
    options=_options,
    key="chosen",
    then=_first_justification,
    check=_check,
)


def _current(turn: Turn) -> str:
    return turn.data["chosen"][turn.data["index"]]


async def _ask_why(turn: Turn) -> None:
    t, key = turn.t, _current(turn)
    text = t.gettext(
        "🏅 {number} of {total}: <b>{name}</b>\nActivity: {summary}\n\nWrite a short "
        "justification for the nomination, or take the draft:\n<i>{draft}</i>",
        number=turn.data["index"] + 1,
        total=len(turn.data["chosen"]),
        name=turn.data["names"][key],
        summary=turn.data["summaries"][key],
        draft=turn.data["drafts"][key],
    )
    button = [(t.plain("✅ Take the draft"), cb(NOMINATE.name, "why", DRAFT))]
    await turn.say(text, inline([button]))


async def _keep(turn: Turn, justification: str) -> None:
    key = _current(turn)
    turn.put(justifications={**turn.data["justifications"], key: justification})
    if turn.data["index"] + 1 < len(turn.data["chosen"]):
        turn.put(index=turn.data["index"] + 1)
        await turn.goto("why")
    else:
        await turn.goto("send")


async def _why_text(turn: Turn, text: str) -> None:
    try:
        justification = nominations.clean_justification(text)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await _keep(turn, justification)


async def _why_button(turn: Turn, data: Callback) -> None:
    if data.action != "why" or data.arg(0) != DRAFT:
        await turn.repeat()
        return
    await turn.show(turn.t.gettext("➡️ {draft}", draft=turn.data["drafts"][_current(turn)]))
    await _keep(turn, turn.data["drafts"][_current(turn)])


NOMINATE.step("why", ask=_ask_why, on_text=_why_text, on_button=_why_button)


def _summary(turn: Turn) -> str:
    t = turn.t
    lines = [t.gettext("<b>The nomination list</b>")]
    for number, key in enumerate(turn.data["chosen"], 1):
        lines.append(
            t.gettext(
                "{number}. <b>{name}</b> — {why}",
                number=number,
                name=turn.data["names"][key],
                why=turn.data["justifications"][key],
            )
        )
    lines += ["", t.gettext("Send the list (PDF) to the association's approver?")]
    return "\n".join(lines)


async def _send(turn: Turn) -> None:
    context, t = turn.context, turn.t
    sent = await nominations.send(
        context.session,
        actor=context.actor,
        association_id=turn.data["association_id"],
        entries=[(int(key), turn.data["justifications"][key]) for key in turn.data["chosen"]],
        span=Span(turn.data["span"]),
        words=_ru().plain,
        weights=context.settings.weights,
    )
    await turn.finish()
    await turn.show(_summary(turn).rsplit("\n", 2)[0])
    await context.bot.send_document(
        turn.state.chat_id,
        InputFile(BytesIO(sent.content), filename=sent.filename),
        caption=t.gettext(
            "📨 The nomination list is sent to {people}.",
            people=", ".join(short_name(p.full_name) for p in sent.approvers),
        ),
    )


async def _cancel(turn: Turn) -> None:
    await turn.finish()
    await turn.show(turn.t.gettext("The nomination list is not sent."))


NOMINATE.confirm_step(
    "send",
    prompt=_summary,
    yes=N_("📨 Send to the approver"),
    on_yes=_send,
    no=N_("✖ Cancel"),
    on_no=_cancel,
)


# past lists ---------------------------------------------------------------------------------
@BUTTONS.on(PastNominations)
async def past_nominations(update: Update, context: BotContext, press: PastNominations) -> None:
    t = context.t
    lists = await nominations.past(
        context.session, actor=context.actor, association_id=press.association_id
    )
    lines = [t.gettext("<b>Nomination lists</b>")]
    rows = []
    if not lists:
        lines.append(t.gettext("No list has been sent yet."))
    for item in lists:
        sent_on = item.nomination.sent_at or item.nomination.created_at
        lines.append(
            t.gettext(
                "№ {number} of {date}: {names}",
                number=item.number,
                date=format_date(sent_on, t.language),
                names=", ".join(short_name(name) for name in item.names) or "—",
            )
        )
        label = t.plain(
            "📄 № {number} of {date}", number=item.number, date=format_date_short(sent_on)
        )
        rows.append([(label, NominationPdf(item.nomination.id).data())])
    rows.append([(t.plain("⬅️ Activity"), OpenRanking(press.association_id).data())])
    await ack(update)
    await show(update, context, "\n".join(lines), inline(rows))


@BUTTONS.on(NominationPdf)
async def nomination_pdf(update: Update, context: BotContext, press: NominationPdf) -> None:
    filename, content = await nominations.document(
        context.session, actor=context.actor, nomination_id=press.nomination_id, words=_ru().plain
    )
    chat = update.effective_chat
    assert chat is not None
    await ack(update)
    await context.bot.send_document(
        chat.id,
        InputFile(BytesIO(content), filename=filename),
        caption=context.t.gettext("🏅 The nomination list."),
    )
