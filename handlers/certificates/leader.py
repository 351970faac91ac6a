"""The leader's side of /certificate: an association's screen, the waiting requests with
Approve / Decline (a reason, dialog `certd`), «Issue to all eligible» after a confirmation
saying how many, the issued list with Revoke (a reason, dialog `certv`) and the name's
correction (dialog `certn`), the registry as PDF or CSV."""

from __future__ import annotations

import logging
from io import BytesIO
from typing import Any

from telegram import InputFile, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.buttons import Settled
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.i18n import Html, Translator
from bot.keyboards import Button, inline
from bot.replies import ack, reply, show
from handlers.certificates.buttons import (
    BUTTONS,
    Approve,
    CorrectName,
    Decline,
    IssueAll,
    Issued,
    Manage,
    Pending,
    Registry,
    Revoke,
    Rules,
)
from handlers.certificates.links import links
from handlers.certificates.notices import request_message
from handlers.certificates.wording import STATUS_MARKS, certificate_line, rules_text
from models.certificates import CertificateStatus
from services.certificates import issue, names, registry, requests
from services.certificates.common import clean_reason
from services.formatting import format_date
from services.names import short_name
from services.texts import N_

log = logging.getLogger(__name__)

DECLINE = register_dialog(Dialog("certd"))
REVOKE = register_dialog(Dialog("certv"))
RENAME = register_dialog(Dialog("certn"))
SHOWN = 20


def _screen_text(t: Translator, view: registry.Overview) -> Html:
    return t.gettext(
        "<b>Certificates of «{name}»</b>\nPeriod: {start} – {end}\n\n{rules}\n\n"
        "Waiting requests: {waiting}\nIssued: {issued}",
        name=view.association,
        start=format_date(view.period_start, t.language),
        end=format_date(view.period_end, t.language),
        rules=rules_text(t, view.rules),
        waiting=view.waiting,
        issued=view.issued,
    )


def _screen_buttons(t: Translator, view: registry.Overview) -> list[list[Button]]:
    a = view.association_id
    return [
        [(t.plain("⚙️ Rules"), Rules(a).data())],
        [(t.plain("📥 Requests ({n})", n=view.waiting), Pending(a).data())],
        [(t.plain("🎓 Issue to all eligible"), IssueAll(a).data())],
        [(t.plain("📋 Issued certificates"), Issued(a).data())],
        [
            (t.plain("📄 Registry PDF"), Registry(a).data()),
            (t.plain("📊 Registry CSV"), Registry(a, csv=True).data()),
        ],
    ]


@BUTTONS.on(Manage)
async def manage(update: Update, context: BotContext, press: Manage) -> None:
    view = await registry.overview(context.session, context.actor, press.association_id)
    await ack(update)
    t = context.t
    await show(update, context, _screen_text(t, view), inline(_screen_buttons(t, view)))


# requests ----------------------------------------------------------------------------------


@BUTTONS.on(Pending)
async def pending(update: Update, context: BotContext, press: Pending) -> None:
    t = context.t
    waiting = await requests.pending(context.session, context.actor, press.association_id)
    await ack(update)
    if not waiting:
        await reply(update, context, t.gettext("No requests are waiting for your decision."))
        return
    for view in waiting[:SHOWN]:
        _, standing = await requests.standing_of(
            context.session, context.actor, view.certificate_id
        )
        words = request_message(t, view, standing)
        rows = [[(b["text"], b["callback"]) for b in row] for row in words.buttons or []]
        await reply(update, context, words.text, inline(rows))


@BUTTONS.on(Approve)
async def approve(update: Update, context: BotContext, press: Approve) -> Settled:
    view = await requests.decide(
        context.session,
        context.actor,
        certificate_id=press.certificate_id,
        approve=True,
        links=links(context),
    )
    await ack(update, context.t.plain("Thank you, your decision is recorded."))
    return Settled(
        context.t.gettext(
            "✅ Approved: certificate № {number}. {person} will receive it.",
            number=view.number or "",
            person=short_name(view.full_name),
        )
    )


@BUTTONS.on(Decline)
async def decline(update: Update, context: BotContext, press: Decline) -> None:
    await requests.standing_of(context.session, context.actor, press.certificate_id)
    await ack(update)
    data = {"certificate_id": press.certificate_id, "message": _message_of(update)}
    await DECLINE.start(update, context, "reason", data)


def _message_of(update: Update) -> dict[str, Any] | None:
    """The pressed message, to be settled once the reason is in."""
    query = update.callback_query
    message = query.message if query is not None else None
    if not isinstance(message, Message) or not message.text:
        return None
    return {"id": message.message_id, "body": message.text_html}


async def _settle(turn: Turn, outcome: str) -> None:
    message = turn.data.get("message")
    if not message:
        return
    try:
        await turn.context.bot.edit_message_text(
            f"{message['body']}\n\n{outcome}"[:4096],
            turn.state.chat_id,
            message["id"],
            parse_mode=ParseMode.HTML,
        )
    except BadRequest as error:
        log.info("could not settle the pressed message: %s", error.message)


async def _decline(turn: Turn) -> None:
    try:
        await requests.decide(
            turn.context.session,
            turn.context.actor,
            certificate_id=turn.data["certificate_id"],
            approve=False,
            reason=turn.data["reason"],
            links=links(turn.context),
        )
    except requests.NotRequested as error:  # decided meanwhile
        await turn.finish()
        await turn.say(turn.t.error(error))
        return
    await turn.finish()
    await _settle(turn, turn.t.gettext("✖ Declined."))
    await turn.say(turn.t.gettext("✖ The request is declined; the member is told the reason."))


DECLINE.text_step(
    "reason",
    prompt=N_(
        "Why is the request declined? The member receives your reason. /cancel keeps the "
        "request undecided."
    ),
    key="reason",
    clean=clean_reason,
    then=_decline,
)


# the batch ---------------------------------------------------------------------------------


@BUTTONS.on(IssueAll)
async def issue_all(update: Update, context: BotContext, press: IssueAll) -> Settled | None:
    t, a = context.t, press.association_id
    if not press.confirmed:
        preview = await issue.batch_preview(context.session, context.actor, a)
        await ack(update)
        if not preview.eligible:
            await reply(update, context, t.error(issue.NobodyEligible()))
            return None
        text = t.ngettext(
            "{n} member of {members} meets the rules and has no certificate for {start} – "
            "{end} yet. Issue the certificates now? Each member receives the PDF from the bot.",
            "{n} members of {members} meet the rules and have no certificate for {start} – "
            "{end} yet. Issue the certificates now? Each member receives the PDF from the bot.",
            preview.eligible,
            members=preview.members,
            start=format_date(preview.period_start, t.language),
            end=format_date(preview.period_end, t.language),
        )
        buttons = [
            [
                (t.plain("✅ Issue {n}", n=preview.eligible), IssueAll(a, True).data()),
                (t.plain("✖ Not now"), Manage(a).data()),
            ]
        ]
        await reply(update, context, text, inline(buttons))
        return None
    count = await issue.issue_to_all_eligible(
        context.session, context.actor, association_id=a, links=links(context)
    )
    await ack(update)
    return Settled(
        t.ngettext(
            "✅ {n} certificate is issued; its holder receives the PDF from the bot within a "
            "few minutes.",
            "✅ {n} certificates are issued; their holders receive the PDFs from the bot within "
            "a few minutes.",
            count,
        )
    )


# the issued list, revoking, names ----------------------------------------------------------


@BUTTONS.on(Issued)
async def issued(update: Update, context: BotContext, press: Issued) -> None:
    t = context.t
    views = await registry.issued_list(context.session, context.actor, press.association_id)
    await ack(update)
    if not views:
        await reply(update, context, t.gettext("No certificates are issued yet."))
        return
    latest = views[-SHOWN:]
    lines = [t.gettext("<b>Issued certificates</b>")]
    if len(views) > SHOWN:
        lines.append(
            t.ngettext(
                "The latest {shown} of {n}; all are in the registry (PDF, CSV).",
                "The latest {shown} of {n}; all are in the registry (PDF, CSV).",
                len(views),
                shown=SHOWN,
            )
        )
    lines += [
        t.gettext(
            "{mark} {certificate} — {person}",
            mark=STATUS_MARKS[v.status],
            certificate=certificate_line(t, v),
            person=short_name(v.full_name),
        )
        for v in latest
    ]
    rows: list[list[Button]] = [
        [
            (t.plain("⛔ Revoke {number}", number=v.number or ""), Revoke(v.certificate_id).data()),
            (
                t.plain("✏️ Name {number}", number=v.number or ""),
                CorrectName(v.certificate_id).data(),
            ),
        ]
        for v in latest
        if v.status is CertificateStatus.ISSUED
    ]
    await reply(update, context, Html("\n".join(lines)), inline(rows) if rows else None)


@BUTTONS.on(Revoke)
async def revoke(update: Update, context: BotContext, press: Revoke) -> None:
    view = await registry.managed_certificate(context.session, context.actor, press.certificate_id)
    await ack(update)
    data = {"certificate_id": press.certificate_id, "number": view.number or ""}
    await REVOKE.start(update, context, "reason", data)


async def _revoke(turn: Turn) -> None:
    try:
        await issue.revoke(
            turn.context.session,
            turn.context.actor,
            certificate_id=turn.data["certificate_id"],
            reason=turn.data["reason"],
        )
    except issue.NotIssued as error:
        await turn.finish()
        await turn.say(turn.t.error(error))
        return
    await turn.finish()
    await turn.say(
        turn.t.gettext(
            "⛔ Certificate № {number} is revoked; its holder is told the reason, and a check of "
            "its code says it is revoked.",
            number=turn.data["number"],
        )
    )


def _revoke_prompt(turn: Turn) -> str:
    return turn.t.gettext(
        "Why is certificate № {number} revoked? The holder receives your reason, and anyone "
        "checking the code sees it. /cancel keeps the certificate valid.",
        number=turn.data["number"],
    )


REVOKE.text_step("reason", prompt=_revoke_prompt, key="reason", clean=clean_reason, then=_revoke)


@BUTTONS.on(CorrectName)
async def correct_name(update: Update, context: BotContext, press: CorrectName) -> None:
    view = await registry.managed_certificate(context.session, context.actor, press.certificate_id)
    await ack(update)
    data = {"certificate_id": press.certificate_id, "dative": view.full_name_dative}
    await RENAME.start(update, context, "name", data)


def _rename_prompt(turn: Turn) -> str:
    return turn.t.gettext(
        "The name is printed as: <b>{dative}</b>.\nWrite it as it should be printed after "
        "«выдан», e.g. <i>Ивановой Марии Петровне</i>. The correction is kept for this "
        "person's later certificates. /cancel leaves it as it is.",
        dative=turn.data["dative"],
    )


async def _rename(turn: Turn) -> None:
    sent = await issue.correct_and_resend(
        turn.context.session,
        turn.context.actor,
        certificate_id=turn.data["certificate_id"],
        corrected=turn.data["name"],
    )
    await turn.finish()
    await turn.say(
        turn.t.ngettext(
            "✏️ The name is corrected; {n} certificate is sent to its holder again.",
            "✏️ The name is corrected; {n} certificates are sent to their holder again.",
            sent,
        )
    )


RENAME.text_step(
    "name", prompt=_rename_prompt, key="name", clean=names.clean_declined, then=_rename
)


# the registry ------------------------------------------------------------------------------


@BUTTONS.on(Registry)
async def export(update: Update, context: BotContext, press: Registry) -> None:
    session, actor, a = context.session, context.actor, press.association_id
    if press.csv:
        content, name = await registry.registry_csv(session, actor, a), f"reestr-{a}.csv"
    else:
        content, name = await registry.registry_pdf(session, actor, a), f"reestr-{a}.pdf"
    await ack(update)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(chat.id, InputFile(BytesIO(content), filename=name))
