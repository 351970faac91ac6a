"""The items of a plan: one item's screen, deleting it, and marking its progress."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.keyboards import Button, inline
from bot.replies import ack, alert, show
from handlers.plans.buttons import (
    BUTTONS,
    DeleteItem,
    EditTopic,
    MarkProgress,
    MoveItem,
    OpenItem,
    OpenPlan,
    PickMeeting,
)
from handlers.plans.listing import EDITABLE, show_plan
from handlers.plans.wording import form_title, when
from models.plans import PlanItemStatus, PlanStatus
from services import plans as service
from services.formatting import format_datetime, short_name


@BUTTONS.on(OpenItem)
async def open_item(update: Update, context: BotContext, press: OpenItem) -> None:
    await show_item(update, context, press.item_id)
    await ack(update)


async def show_item(update: Update, context: BotContext, item_id: int) -> None:
    screen = await service.item_screen(context.session, context.actor, item_id)
    await show(update, context, _text(context.t, screen), inline(_buttons(context.t, screen)))


def _text(t: Translator, screen: service.ItemScreen) -> str:
    item, view = screen.item, screen.view
    people = ", ".join(
        short_name(view.people[u].full_name or "")
        for u in item.responsible_user_ids
        if u in view.people
    )
    lines = [
        t.gettext("<b>{topic}</b>", topic=item.topic),
        t.gettext("When: {when}", when=when(t, item.year, item.month, item.on_date)),
        t.gettext("Form: {form}", form=form_title(t, item.form)),
        t.gettext("Responsible: {people}", people=people or "—"),
        t.gettext("Expected result: {result}", result=item.expected_result),
    ]
    if view.plan.status is PlanStatus.APPROVED:
        lines.append(
            t.gettext(
                "Editing creates version {version} for approval.", version=view.plan.version + 1
            )
        )
    return "\n".join(lines)


def _buttons(t: Translator, screen: service.ItemScreen) -> list[list[Button]]:
    item, plan = screen.item, screen.view.plan
    rows: list[list[Button]] = []
    if plan.status in EDITABLE:
        rows.append(
            [
                (t.plain("✏️ Edit the topic"), EditTopic(item.id).data()),
                (t.plain("📅 Move"), MoveItem(item.id).data()),
            ]
        )
        rows.append([(t.plain("🗑 Delete"), DeleteItem(item.id).data())])
    if plan.status is PlanStatus.APPROVED:
        rows.append(
            [
                (t.plain("✅ Done (meeting)"), PickMeeting(item.id).data()),
                (t.plain("↪️ Moved"), MarkProgress(item.id, PlanItemStatus.MOVED).data()),
                (t.plain("✖ Cancelled"), MarkProgress(item.id, PlanItemStatus.CANCELLED).data()),
            ]
        )
    rows.append([(t.plain("⬅️ Back"), OpenPlan(plan.association_id).data())])
    return rows


@BUTTONS.on(DeleteItem)
async def delete_item(update: Update, context: BotContext, press: DeleteItem) -> None:
    plan = await service.delete_item(context.session, context.actor, item_id=press.item_id)
    await ack(update, context.t.plain("The item is deleted."))
    await show_plan(update, context, plan.association_id)


@BUTTONS.on(PickMeeting)
async def pick_meeting(update: Update, context: BotContext, press: PickMeeting) -> None:
    t = context.t
    screen, meetings = await service.meetings_for_item(
        context.session, context.actor, press.item_id
    )
    if not meetings:
        await alert(update, t.plain("No meetings of the association have been held yet."))
        return
    await ack(update)
    zone = screen.view.association.timezone
    rows: list[list[Button]] = [
        [
            (
                f"№ {m.number} · {format_datetime(m.starts_at, zone, t.language)}",
                MarkProgress(press.item_id, PlanItemStatus.DONE, m.id).data(),
            )
        ]
        for m in meetings
    ]
    rows.append([(t.plain("⬅️ Back"), OpenItem(press.item_id).data())])
    await show(update, context, t.gettext("Which meeting fulfilled this item?"), inline(rows))


@BUTTONS.on(MarkProgress)
async def mark_progress(update: Update, context: BotContext, press: MarkProgress) -> None:
    await service.mark_progress(
        context.session,
        context.actor,
        item_id=press.item_id,
        status=press.status,
        meeting_id=press.meeting_id,
    )
    await ack(update, context.t.plain("Noted."))
    await show_item(update, context, press.item_id)
