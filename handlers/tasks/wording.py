"""How a task reads, shared by the notices and the lists."""

from __future__ import annotations

from bot.i18n import Html, Translator
from models.tasks import AssignmentStatus
from services.formatting import format_date
from services.tasks import AssignmentView

STATUS_MARKS = {
    AssignmentStatus.ASSIGNED: "⏳",
    AssignmentStatus.SUBMITTED: "📥",
    AssignmentStatus.ACCEPTED: "✅",
    AssignmentStatus.RETURNED: "↩️",
}


def due(t: Translator, view: AssignmentView) -> str:
    return format_date(view.due_on, t.language)


def status_title(t: Translator, status: AssignmentStatus) -> str:
    titles = {
        AssignmentStatus.ASSIGNED: t.plain("to do"),
        AssignmentStatus.SUBMITTED: t.plain("submitted, awaiting review"),
        AssignmentStatus.ACCEPTED: t.plain("accepted"),
        AssignmentStatus.RETURNED: t.plain("returned for revision"),
    }
    return titles[status]


def task_card(t: Translator, view: AssignmentView) -> Html:
    """Title, association, due date and description."""
    return t.gettext(
        "📝 <b>{title}</b>\nAssociation «{association}». Due date: {due}.\n\n{description}",
        title=view.title,
        association=view.association,
        due=due(t, view),
        description=view.description,
    )
