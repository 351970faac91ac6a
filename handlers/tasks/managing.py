"""The leader changes a given task from /tasks: moves its due date (dialog `taskd`) or
cancels it (asked twice). Those still working on it are told."""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.dialogs import Dialog, Turn, cleaned_answer
from bot.dialogs import register as register_dialog
from bot.keyboards import inline
from bot.replies import ack, reply
from handlers.tasks.buttons import BUTTONS, Cancel, Keep, Manage, MoveDue
from handlers.tasks.wording import STATUS_MARKS
from models.tasks import OPEN_STATUSES
from services import tasks as service
from services.formatting import format_date

MOVE = register_dialog(Dialog("taskd"))


@BUTTONS.on(Manage)
async def manage(update: Update, context: BotContext, press: Manage) -> None:
    t = context.t
    task = await service.managed_task(context.session, context.actor, press.task_id)
    await ack(update)
    waiting = sum(1 for person in task.assignees if person.status in OPEN_STATUSES)
    text = t.gettext(
        "📝 <b>{title}</b>\nAssociation «{association}». Due date: {due}.\n{people}",
        title=task.title,
        association=task.association,
        due=format_date(task.due_on, t.language),
        people=t.ngettext(
            "{n} assignee has not submitted yet.", "{n} assignees have not submitted yet.", waiting
        ),
    )
    marks = ", ".join(f"{STATUS_MARKS[p.status]} {p.name}" for p in task.assignees[:15])
    buttons = [
        [(t.plain("📅 Move the due date"), MoveDue(task.task_id).data())],
        [(t.plain("🗑 Cancel the task"), Cancel(task.task_id).data())],
    ]
    await reply(update, context, f"{text}\n{marks}" if marks else text, inline(buttons))


@BUTTONS.on(Cancel)
async def cancel(update: Update, context: BotContext, press: Cancel) -> Settled | None:
    t = context.t
    task = await service.managed_task(context.session, context.actor, press.task_id)
    if not press.confirmed:
        await ack(update)
        question = t.gettext(
            "Cancel the task «{title}»? The assignees who have not had their work accepted "
            "will be told that nothing needs to be done.",
            title=task.title,
        )
        buttons = [
            [
                (t.plain("🗑 Yes, cancel it"), Cancel(task.task_id, confirmed=True).data()),
                (t.plain("Keep the task"), Keep(task.task_id).data()),
            ]
        ]
        await reply(update, context, question, inline(buttons))
        return None
    told = await service.cancel_task(context.session, context.actor, press.task_id)
    await ack(update)
    return Settled(
        t.ngettext(
            "🗑 The task «{title}» is cancelled; {n} person is told.",
            "🗑 The task «{title}» is cancelled; {n} people are told.",
            told,
            title=task.title,
        )
    )


@BUTTONS.on(Keep)
async def keep(update: Update, context: BotContext, press: Keep) -> Settled:
    await ack(update)
    return Settled(context.t.gettext("The task stays as it is."))


@BUTTONS.on(MoveDue)
async def move_due(update: Update, context: BotContext, press: MoveDue) -> None:
    task = await service.managed_task(context.session, context.actor, press.task_id)
    await ack(update)
    data = {"task_id": task.task_id, "title": task.title, "tz": task.timezone}
    await MOVE.start(update, context, "due", data)


async def _ask_due(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "The new due date of «{title}»: for example, <i>20.12</i>, <i>20.12.2026</i> or "
            "<i>20 декабря</i>.",
            title=turn.data["title"],
        )
    )


async def _on_due(turn: Turn, text: str) -> None:
    def clean(answer: str) -> str:
        return service.parse_due(answer, turn.data["tz"]).isoformat()

    await cleaned_answer("due", clean, _moved)(turn, text)


async def _moved(turn: Turn) -> None:
    due_on = date.fromisoformat(turn.data["due"])
    told = await service.change_due(
        turn.context.session, turn.context.actor, turn.data["task_id"], due_on
    )
    await turn.finish()
    await turn.say(
        turn.t.ngettext(
            "📅 The due date is now {due}; {n} person is told.",
            "📅 The due date is now {due}; {n} people are told.",
            told,
            due=format_date(due_on, turn.t.language),
        )
    )


MOVE.step("due", ask=_ask_due, on_text=_on_due)
