"""/plan: the association's plan on one screen, and its PDF."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.keyboards import Button, columns, inline
from bot.replies import ack, choose_association, show
from handlers.plans.buttons import (
    BUTTONS,
    AddItem,
    OpenChecks,
    OpenItem,
    OpenPlan,
    OpenRoute,
    Propose,
    SendPdf,
)
from handlers.plans.wording import (
    ITEM_MARKS,
    clip,
    first_step,
    form_title,
    status_title,
    when,
)
from models.plans import PlanItemStatus, PlanStatus, RouteStep
from services import plans as service

EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.APPROVED)
SUBMITTABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)


async def plan_command(update: Update, context: BotContext) -> None:
    found = await service.my_associations(context.session, context.actor)
    await choose_association(
        update,
        context,
        [association for association, _ in found],
        prefix=OpenPlan.prefix,
        nothing=context.t.gettext("You are not a member of any association yet."),
        open_one=lambda association: show_plan(update, context, association.id),
    )


@BUTTONS.on(OpenPlan)
async def open_plan(update: Update, context: BotContext, press: OpenPlan) -> None:
    await show_plan(update, context, press.association_id)
    await ack(update)


async def show_plan(update: Update, context: BotContext, association_id: int) -> None:
    screen = await service.plan_screen(context.session, context.actor, association_id)
    await show(update, context, _text(context.t, screen), inline(_buttons(context.t, screen)))


def _text(t: Translator, screen: service.PlanScreen) -> str:
    view = screen.view
    plan = view.plan
    lines = [
        t.gettext(
            "<b>Work plan of {name}, {year}/{next}</b>",
            name=view.association.name,
            year=plan.academic_year,
            next=plan.academic_year + 1,
        ),
        t.gettext(
            "Version {version} · {status}", version=plan.version, status=status_title(t, plan)
        ),
    ]
    if plan.status is PlanStatus.RETURNED and plan.returned_comment:
        lines.append(t.gettext("Comment: {comment}", comment=plan.returned_comment))
    lines += [
        t.gettext(
            "{mark} {index}. {when} · {topic} ({form})",
            mark=ITEM_MARKS[PlanItemStatus(item.status)],
            index=index,
            when=when(t, item.year, item.month, item.on_date),
            topic=item.topic,
            form=form_title(t, item.form),
        )
        for index, item in enumerate(view.items, 1)
    ]
    if not view.items:
        lines.append(t.gettext("No items yet."))
    return "\n".join(lines)


def _buttons(t: Translator, screen: service.PlanScreen) -> list[list[Button]]:
    plan, association_id = screen.view.plan, screen.view.association.id
    rows: list[list[Button]] = []
    if screen.manager:
        items = [
            (clip(f"{i}. {item.topic}"), OpenItem(item.id).data())
            for i, item in enumerate(screen.view.items, 1)
        ]
        rows += columns(items, 2)
        if plan.status in EDITABLE:
            rows.append([(t.plain("➕ Add an item"), AddItem(association_id).data())])
        if plan.status in SUBMITTABLE:
            rows.append(
                [
                    (t.plain("🧭 Route"), OpenRoute(association_id).data()),
                    (_submit_label(t, screen), OpenChecks(plan.id).data()),
                ]
            )
    else:
        rows.append([(t.plain("💡 Propose an item"), Propose(association_id).data())])
    rows.append([(t.plain("📄 PDF"), SendPdf(plan.id).data())])
    if screen.approved is not None:
        label = t.plain("📄 Approved version {version}", version=screen.approved.version)
        rows.append([(label, SendPdf(screen.approved.id).data())])
    return rows


def _submit_label(t: Translator, screen: service.PlanScreen) -> str:
    if first_step(screen.route) is RouteStep.AGREEMENT:
        return t.plain("📤 For agreement")
    return t.plain("📤 For approval")


@BUTTONS.on(SendPdf)
async def send_pdf(update: Update, context: BotContext, press: SendPdf) -> None:
    t = context.t
    plan, content = await service.plan_pdf(context.session, context.actor, press.plan_id)
    await ack(update)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        InputFile(BytesIO(content), filename=f"plan-{plan.academic_year}-v{plan.version}.pdf"),
        caption=t.gettext(
            "Work plan, version {version} · {status}",
            version=plan.version,
            status=status_title(t, plan),
        ),
    )
