"""/upload: «New material», «My materials» (status, comment, Correct & resubmit, Withdraw)
and, for a reviewer, the queue. `/upload <link>` starts a material with that link."""

from __future__ import annotations

from telegram import Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.i18n import Html, Translator
from bot.keyboards import Button, inline
from bot.replies import ack, reply, show
from handlers.uploads.buttons import (
    BUTTONS,
    Correct,
    MyMaterials,
    NewMaterial,
    OpenMine,
    OpenQueue,
    Withdraw,
    WithdrawSure,
)
from handlers.uploads.form import start_correction, start_new
from handlers.uploads.wording import STATUS_MARKS, material_card, status_line, where
from models.resources import MaterialStatus as Status
from services.resources import drafts
from services.resources import submission as service
from services.resources.views import MaterialView

TITLE_IN_BUTTON = 40


async def upload_command(update: Update, context: BotContext) -> None:
    if context.args:
        await start_new(update, context, url=drafts.clean_url(" ".join(context.args)))
        return
    t = context.t
    found = await service.overview(context.session, context.actor)
    rows: list[list[Button]] = [
        [(t.plain("➕ New material"), NewMaterial().data())],
        [(t.plain("📂 My materials ({n})", n=found.mine), MyMaterials().data())],
    ]
    if found.to_review is not None:
        rows.append([(t.plain("🔍 Review queue ({n})", n=found.to_review), OpenQueue().data())])
    text = t.gettext(
        "📤 <b>The resource bank</b>\nShare your materials with colleagues: files or a link, "
        "with a short card. A material is published once the association's leader or an "
        "expert has reviewed it."
    )
    await reply(update, context, text, inline(rows))


@BUTTONS.on(NewMaterial)
async def new_material(update: Update, context: BotContext, press: NewMaterial) -> None:
    await start_new(update, context)
    await ack(update)


@BUTTONS.on(MyMaterials)
async def my_materials(update: Update, context: BotContext, press: MyMaterials) -> None:
    t = context.t
    views = await service.my_materials(context.session, context.actor)
    await ack(update)
    if not views:
        await reply(
            update,
            context,
            t.gettext("You have not shared any materials yet."),
            inline([[(t.plain("➕ New material"), NewMaterial().data())]]),
        )
        return
    lines = [t.gettext("<b>📂 My materials</b>"), *(_line(t, view) for view in views)]
    buttons = [
        [
            (
                f"{STATUS_MARKS[view.status]} {view.title[:TITLE_IN_BUTTON]}",
                OpenMine(view.material_id).data(),
            )
        ]
        for view in views
    ]
    await reply(update, context, "\n".join(lines), inline(buttons))


def _line(t: Translator, view: MaterialView) -> Html:
    line = t.gettext(
        "{status} — «{title}», {place}",
        status=status_line(t, view.status),
        title=view.title,
        place=where(t, view.association),
    )
    if view.comment and view.status in (Status.NEEDS_REVISION, Status.REJECTED):
        line = t.gettext("{line}\n      💬 {comment}", line=line, comment=view.comment)
    return line


@BUTTONS.on(OpenMine)
async def open_mine(update: Update, context: BotContext, press: OpenMine) -> None:
    view = await service.my_material(context.session, context.actor, press.material_id)
    await ack(update)
    await show(update, context, _mine_text(context.t, view), _mine_buttons(context.t, view))


def _mine_text(t: Translator, view: MaterialView) -> Html:
    text = t.gettext(
        "{card}\n\n{status}",
        card=material_card(t, view, author=False),
        status=status_line(t, view.status),
    )
    if view.comment and view.status is Status.NEEDS_REVISION:
        return t.gettext(
            "{text}\n✏️ The reviewer's comment: {comment}", text=text, comment=view.comment
        )
    if view.comment and view.status is Status.REJECTED:
        return t.gettext("{text}\n❌ The reason: {comment}", text=text, comment=view.comment)
    return text


def _mine_buttons(t: Translator, view: MaterialView):  # type: ignore[no-untyped-def]
    rows: list[list[Button]] = []
    if view.status is Status.NEEDS_REVISION:
        rows.append([(t.plain("✏️ Correct and resubmit"), Correct(view.material_id).data())])
    if view.status in service.WITHDRAWABLE:
        rows.append([(t.plain("↩️ Withdraw"), Withdraw(view.material_id).data())])
    rows.append([(t.plain("⬅️ My materials"), MyMaterials().data())])
    return inline(rows)


@BUTTONS.on(Correct)
async def correct(update: Update, context: BotContext, press: Correct) -> None:
    await start_correction(update, context, press.material_id)
    await ack(update)


@BUTTONS.on(Withdraw)
async def withdraw(update: Update, context: BotContext, press: Withdraw) -> None:
    t = context.t
    view = await service.withdrawable(context.session, context.actor, press.material_id)
    await ack(update)
    if view.status is Status.APPROVED:
        question = t.gettext(
            "Withdraw «{title}»? It will no longer be in the bank for colleagues.", title=view.title
        )
    else:
        question = t.gettext("Withdraw «{title}»? It leaves the review queue.", title=view.title)
    rows = [
        [(t.plain("↩️ Yes, withdraw"), WithdrawSure(view.material_id).data())],
        [(t.plain("⬅️ No, keep it"), OpenMine(view.material_id).data())],
    ]
    await show(update, context, question, inline(rows))


@BUTTONS.on(WithdrawSure)
async def withdraw_sure(update: Update, context: BotContext, press: WithdrawSure) -> Settled:
    view = await service.withdraw(context.session, context.actor, press.material_id)
    await ack(update)
    return Settled(context.t.gettext("↩️ «{title}» is withdrawn.", title=view.title))
