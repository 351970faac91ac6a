"""/tasks: a member's tasks (with a button to submit each open one) and, for a leader, the
tasks given in their associations with each assignee's status."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Html, Translator
from bot.keyboards import Button, inline
from bot.replies import reply
from handlers.tasks.buttons import Manage, OpenReview, Submit
from handlers.tasks.wording import STATUS_MARKS, due, status_title
from models.tasks import OPEN_STATUSES, AssignmentStatus
from services import tasks as service
from services.formatting import format_date
from services.tasks import AssignmentView, GivenTask

SHOWN_NAMES = 15
MAX_REVIEW_BUTTONS = 10


async def tasks_command(update: Update, context: BotContext) -> None:
    t = context.t
    mine = await service.my_tasks(context.session, context.actor)
    given = await service.given_tasks(context.session, context.actor)
    if not mine and not given:
        await reply(update, context, t.gettext("You have no tasks yet."))
        return
    parts = [_mine(t, mine)] if mine else []
    if given:
        parts.append(_given(t, given))
    buttons = (
        [
            [(t.plain("📤 Submit: {title}", title=v.title[:40]), Submit(v.assignment_id).data())]
            for v in mine
            if v.status in OPEN_STATUSES
        ]
        + _review_buttons(t, given)
        + _manage_buttons(t, given)
    )
    await reply(update, context, "\n\n".join(parts), inline(buttons) if buttons else None)


def _mine(t: Translator, views: list[AssignmentView]) -> Html:
    lines = [t.gettext("<b>My tasks</b>")]
    for view in views:
        line = t.gettext(
            "{mark} «{title}» ({association}), due {due}: {status}.",
            mark=STATUS_MARKS[view.status],
            title=view.title,
            association=view.association,
            due=due(t, view),
            status=status_title(t, view.status),
        )
        if view.comment and view.status in OPEN_STATUSES:
            line = t.gettext("{line}\nComment: {comment}", line=line, comment=view.comment)
        lines.append(line)
    return Html("\n".join(lines))


def _given(t: Translator, tasks: list[GivenTask]) -> Html:
    lines = [t.gettext("<b>Tasks I have given</b>")]
    for task in tasks:
        done = sum(1 for person in task.assignees if person.status not in OPEN_STATUSES)
        lines.append(
            t.ngettext(
                "📝 «{title}» ({association}), due {due}: {done} of {n} submitted.",
                "📝 «{title}» ({association}), due {due}: {done} of {n} submitted.",
                len(task.assignees),
                title=task.title,
                association=task.association,
                due=format_date(task.due_on, t.language),
                done=done,
            )
        )
        people = [
            t.gettext("{mark} {name}", mark=STATUS_MARKS[person.status], name=person.name)
            for person in task.assignees[:SHOWN_NAMES]
        ]
        hidden = len(task.assignees) - SHOWN_NAMES
        if hidden > 0:
            people.append(t.ngettext("and {n} more", "and {n} more", hidden))
        lines.append("   " + ", ".join(people))
    return Html("\n".join(lines))


def _manage_buttons(t: Translator, tasks: list[GivenTask]) -> list[list[Button]]:
    return [
        [(t.plain("⚙️ {title}", title=task.title[:40]), Manage(task.task_id).data())]
        for task in tasks
    ]


def _review_buttons(t: Translator, tasks: list[GivenTask]) -> list[list[Button]]:
    """A button for each submission still waiting for the decision (the notice may be
    far up the chat)."""
    waiting = [
        (person, task)
        for task in tasks
        for person in task.assignees
        if person.status is AssignmentStatus.SUBMITTED
    ]
    return [
        [
            (
                t.plain("📥 {name}: {title}", name=person.name, title=task.title[:30]),
                OpenReview(person.assignment_id).data(),
            )
        ]
        for person, task in waiting[:MAX_REVIEW_BUTTONS]
    ]
