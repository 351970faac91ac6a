"""The organiser's screen of a contest: the jury's progress and the current ranking,
publishing the results (asked twice), the results protocol and all diplomas as PDFs; and a
participant's own diploma."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.keyboards import Button, inline
from bot.replies import ack, reply, show
from documents.contest_protocol import build_contest_protocol
from documents.diploma import build_diploma, build_diplomas
from handlers.contests.buttons import BUTTONS, AllDiplomas, Manage, Protocol, Publish
from handlers.contests.buttons import Diploma as DiplomaPress
from handlers.contests.wording import contest_card, progress_text, ranking, status_title
from models.contests import ContestStatus
from services.contests import cards, diplomas, judging, results
from services.contests.common import load, require_organiser
from services.contests.diplomas import LinkFor
from services.offload import offload
from services.verification import verification_link


def _link_for(context: BotContext) -> LinkFor:
    username = context.bot.username

    def link(code: str) -> str:
        return verification_link(
            code, bot_username=username, web_base_url=context.settings.verification_base_url
        )

    return link


@BUTTONS.on(Manage)
async def manage(update: Update, context: BotContext, press: Manage) -> None:
    t, session = context.t, context.session
    progress = await judging.progress(session, context.actor, press.contest_id)
    contest = await load(session, press.contest_id)
    card = await cards.contest_card(session, contest)
    found = await results.compute(session, contest)
    await ack(update)
    text = t.gettext(
        "{card}\nStatus: {status}\n\n<b>Jury</b>\n{progress}\n\n<b>Ranking</b>\n{ranking}",
        card=contest_card(t, card),
        status=status_title(t, card.status),
        progress=progress_text(t, progress),
        ranking=ranking(t, found),
    )
    rows: list[list[Button]] = []
    if card.status in (ContestStatus.OPEN, ContestStatus.JUDGING):
        rows.append([(t.plain("📢 Publish the results"), Publish(card.contest_id).data())])
    rows.append([(t.plain("📄 Results protocol (PDF)"), Protocol(card.contest_id).data())])
    if card.status is ContestStatus.PUBLISHED:
        rows.append([(t.plain("🎓 All diplomas (PDF)"), AllDiplomas(card.contest_id).data())])
    await reply(update, context, text, inline(rows))


@BUTTONS.on(Publish)
async def publish(update: Update, context: BotContext, press: Publish) -> Settled | None:
    t = context.t
    if not press.confirmed:
        contest = await load(context.session, press.contest_id)
        await require_organiser(context.session, context.actor, contest)
        await ack(update)
        keyboard = inline(
            [
                [
                    (t.plain("✅ Yes, publish"), Publish(press.contest_id, True).data()),
                    (t.plain("✖ Not yet"), Manage(press.contest_id).data()),
                ]
            ]
        )
        await show(
            update,
            context,
            t.gettext(
                "Publish the results of «{title}»? The ranking goes to the association's "
                "group and every participant; diplomas are issued. It cannot be undone.",
                title=contest.title,
            ),
            keyboard,
        )
        return None
    found = await results.publish(context.session, context.actor, press.contest_id)
    await ack(update)
    return Settled(
        t.ngettext(
            "✅ The results are published; {n} diploma issued.",
            "✅ The results are published; {n} diplomas issued.",
            sum(len(n.entries) for n in found.nominations),
        )
    )


async def _send_pdf(
    update: Update, context: BotContext, content: bytes, name: str, caption: str
) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id, InputFile(BytesIO(content), filename=name), caption=caption
    )


@BUTTONS.on(Protocol)
async def protocol(update: Update, context: BotContext, press: Protocol) -> None:
    data = await diplomas.protocol_document(context.session, context.actor, press.contest_id)
    await ack(update)
    content = await offload(build_contest_protocol, data)
    caption = context.t.gettext("Results protocol: «{title}»", title=data.title)
    await _send_pdf(update, context, content, f"contest-{press.contest_id}-protocol.pdf", caption)


@BUTTONS.on(AllDiplomas)
async def all_diplomas(update: Update, context: BotContext, press: AllDiplomas) -> None:
    found = await diplomas.all_diplomas(
        context.session, context.actor, press.contest_id, link_for=_link_for(context)
    )
    await ack(update)
    content = await offload(build_diplomas, found)
    caption = context.t.ngettext("{n} diploma", "{n} diplomas", len(found))
    await _send_pdf(update, context, content, f"contest-{press.contest_id}-diplomas.pdf", caption)


@BUTTONS.on(DiplomaPress)
async def diploma(update: Update, context: BotContext, press: DiplomaPress) -> None:
    data = await diplomas.diploma_document(
        context.session, context.actor, press.diploma_id, link_for=_link_for(context)
    )
    await ack(update)
    content = await offload(build_diploma, data)
    caption = context.t.gettext(
        "🎓 Your diploma: «{contest}». Its code {code} can be checked with /verify.",
        contest=data.contest,
        code=data.code,
    )
    await _send_pdf(update, context, content, f"diploma-{data.number}.pdf", caption)
