"""/certificate for a member: their certificates (each PDF on a button), a request for a
certificate of participation in each of their associations, a certificate of publication
for each of their approved materials; a leader also gets a button per association led."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update

from bot.context import BotContext
from bot.i18n import Html, Translator
from bot.keyboards import Button, inline
from bot.replies import ack, reply
from handlers.certificates.buttons import (
    BUTTONS,
    Download,
    Manage,
    OpenScreen,
    Publication,
    Request,
)
from handlers.certificates.links import links
from handlers.certificates.wording import (
    STATUS_MARKS,
    certificate_line,
    standing_text,
    status_title,
)
from models.certificates import CertificateStatus
from services.certificates import issue, registry, requests
from services.certificates.common import CertificateView

SHOWN = 10


async def certificate_command(update: Update, context: BotContext) -> None:
    t, session, actor = context.t, context.session, context.actor
    mine = await registry.my_certificates(session, actor)
    associations = await requests.requestable(session, actor)
    materials = [m for m, done in await requests.publishable(session, actor) if not done]
    led = await registry.led(session, actor)
    rows: list[list[Button]] = [
        [(t.plain("📄 № {number}", number=v.number or ""), Download(v.certificate_id).data())]
        for v in mine
        if v.status is CertificateStatus.ISSUED
    ][:SHOWN]
    rows += [
        [(t.plain("🎓 Request: {name}", name=a.name[:40]), Request(a.id).data())]
        for a in associations[:SHOWN]
    ]
    rows += [
        [(t.plain("📰 Publication: {title}", title=m.title[:40]), Publication(m.id).data())]
        for m in materials[:SHOWN]
    ]
    rows += [
        [(t.plain("⚙️ Manage: {name}", name=a.name[:40]), Manage(a.id).data())] for a in led[:SHOWN]
    ]
    text = _screen(t, mine, bool(associations or materials))
    await reply(update, context, text, inline(rows) if rows else None)


def _screen(t: Translator, mine: list[CertificateView], can_ask: bool) -> Html:
    lines = [t.gettext("<b>Certificates</b>")]
    if mine:
        lines += [
            t.gettext(
                "{mark} {certificate}: {status}.",
                mark=STATUS_MARKS[v.status],
                certificate=certificate_line(t, v),
                status=status_title(t, v.status),
            )
            for v in mine
        ]
    else:
        lines.append(t.gettext("You have no certificates yet."))
    if can_ask:
        lines.append(
            t.gettext(
                "\nA certificate of taking part is issued at once when you meet the "
                "association's rules; otherwise your request goes to the leader."
            )
        )
    elif not mine:
        lines.append(
            t.gettext(
                "\nCertificates are issued to members of associations: join one in /associations."
            )
        )
    return Html("\n".join(lines))


@BUTTONS.on(OpenScreen)
async def open_screen(update: Update, context: BotContext, press: OpenScreen) -> None:
    await ack(update)
    await certificate_command(update, context)


def menu_rows(context: BotContext) -> list[list[Button]]:
    """The main menu's entry to certificates."""
    return [[(context.t.plain("🎓 Certificates"), OpenScreen().data())]]


@BUTTONS.on(Request)
async def request(update: Update, context: BotContext, press: Request) -> None:
    t = context.t
    outcome = await requests.request_participation(
        context.session, context.actor, association_id=press.association_id, links=links(context)
    )
    await ack(update)
    if outcome.issued:
        text = t.gettext(
            "🎓 Your certificate № {number} is issued: the PDF follows in a moment.",
            number=outcome.view.number or "",
        )
    else:
        text = t.gettext(
            "Your request is sent to the leader of «{association}»; you will be told the decision.",
            association=outcome.view.association,
        )
        if outcome.standing is not None:
            text = t.gettext(
                "{text}\n\n{standing}", text=text, standing=standing_text(t, outcome.standing)
            )
    await reply(update, context, text)


@BUTTONS.on(Publication)
async def publication(update: Update, context: BotContext, press: Publication) -> None:
    outcome = await requests.request_publication(
        context.session, context.actor, material_id=press.material_id, links=links(context)
    )
    await ack(update)
    await reply(
        update,
        context,
        context.t.gettext(
            "🎓 Your certificate of publication № {number} is issued: the PDF follows in a moment.",
            number=outcome.view.number or "",
        ),
    )


@BUTTONS.on(Download)
async def download(update: Update, context: BotContext, press: Download) -> None:
    name, pdf = await issue.certificate_pdf(
        context.session, context.actor, certificate_id=press.certificate_id
    )
    await ack(update)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(chat.id, InputFile(BytesIO(pdf), filename=name))
