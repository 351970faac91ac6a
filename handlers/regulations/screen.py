"""The regulation from the association's card: the leader's screen (the sections, the
draft's PDF, the approved versions), a member's approved copy; and the participant's guide
for both."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update

from bot.context import BotContext
from bot.i18n import Html, Translator
from bot.keyboards import Button, inline
from bot.replies import ack, show
from handlers.associations.presses import OpenCard
from handlers.regulations.buttons import (
    BUTTONS,
    AskApproval,
    OpenRegulation,
    OpenSection,
    Preview,
    SendGuide,
    SendVersion,
)
from handlers.regulations.wording import approved_line, section_title
from services import guide
from services import regulation_versions as service
from services.formatting import format_date
from services.regulation_versions import Copy, Screen
from services.regulations import SECTIONS


@BUTTONS.on(OpenRegulation)
async def open_regulation(update: Update, context: BotContext, press: OpenRegulation) -> None:
    await show_regulation(update, context, press.association_id)


async def show_regulation(update: Update, context: BotContext, association_id: int) -> None:
    screen = await service.screen(context.session, context.actor, association_id)
    await ack(update)
    if screen.copy is not None:
        await send_copy(update, context, screen.copy, approved_caption(context.t, screen.copy))
        return
    t = context.t
    await show(update, context, _text(t, screen), inline(_buttons(t, screen)))


def _text(t: Translator, screen: Screen) -> str:
    lines = [t.gettext("📜 <b>The regulation of «{name}»</b>", name=screen.association), ""]
    if not screen.versions:
        lines.append(
            t.gettext("Not approved yet: read the sections, look at the PDF and approve it.")
        )
    else:
        lines.append(approved_line(t, screen.versions[0]))
        lines.append(
            t.gettext("✏️ The draft has changes that are not approved yet.")
            if screen.changed
            else t.gettext("The draft is the same as this version.")
        )
    lines += [
        "",
        t.gettext(
            "Open a section to read or rewrite it (✏️ — rewritten). The other sections "
            "follow the association's details: change them on the card, and the draft follows."
        ),
    ]
    return "\n".join(lines)


def _buttons(t: Translator, screen: Screen) -> list[list[Button]]:
    aid = screen.association_id
    rows: list[list[Button]] = [
        [
            (
                t.plain(
                    "{mark} {title}",
                    mark="✏️" if number in screen.edited else "▫️",
                    title=section_title(t, number),
                ),
                OpenSection(aid, number).data(),
            )
        ]
        for number in range(1, SECTIONS + 1)
    ]
    actions = [(t.plain("👁 Draft PDF"), Preview(aid).data())]
    if screen.changed:
        actions.append((t.plain("✅ Approve the regulation"), AskApproval(aid).data()))
    rows.append(actions)
    rows.append(
        [
            (t.plain("📄 Version {version}", version=v.version), SendVersion(v.id).data())
            for v in screen.versions
        ]
    )
    rows.append([(t.plain("⬅️ To the card"), OpenCard(aid).data())])
    return rows


def approved_caption(t: Translator, copy: Copy) -> Html:
    return t.gettext(
        "📜 The regulation of «{name}», version {version} approved on {date}.",
        name=copy.association,
        version=copy.version or 0,
        date=format_date(copy.approved_on, t.language) if copy.approved_on else "",
    )


async def send_copy(update: Update, context: BotContext, copy: Copy, caption: str) -> None:
    """The PDF into the chat of the press (by Telegram's file id once Telegram has it)."""
    chat = update.effective_chat
    assert chat is not None
    document = copy.telegram_file_id or InputFile(BytesIO(copy.content), filename=copy.filename)
    await context.bot.send_document(chat.id, document, caption=caption)


@BUTTONS.on(Preview)
async def preview(update: Update, context: BotContext, press: Preview) -> None:
    copy = await service.preview(context.session, context.actor, press.association_id)
    await ack(update)
    caption = context.t.gettext(
        "👁 The draft of the regulation of «{name}», marked «ПРОЕКТ» until it is approved.",
        name=copy.association,
    )
    await send_copy(update, context, copy, caption)


@BUTTONS.on(SendVersion)
async def send_version(update: Update, context: BotContext, press: SendVersion) -> None:
    copy = await service.version_pdf(context.session, context.actor, press.version_id)
    await ack(update)
    await send_copy(update, context, copy, approved_caption(context.t, copy))


@BUTTONS.on(SendGuide)
async def send_guide(update: Update, context: BotContext, press: SendGuide) -> None:
    copy = await guide.guide_pdf(context.session, context.actor, press.association_id)
    await ack(update)
    caption = context.t.gettext(
        "📘 The participant's guide of «{name}»: how everything works here, step by step.",
        name=copy.association,
    )
    await send_copy(update, context, copy, caption)
