"""How the notices of tasks read (services/tasks.py records them): the assignment, the
submission for the leader, the decision, the reminders, and a file that goes with them."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from handlers.tasks.buttons import Accept, Return, Submit
from handlers.tasks.wording import due, task_card
from services.notices import Notice
from services.outbox import Buttons
from services.tasks import AssignmentView


def _submit_button(t: Translator, view: AssignmentView) -> Buttons:
    return [
        [{"text": t.plain("📤 Submit the work"), "callback": Submit(view.assignment_id).data()}]
    ]


@renders("tasks.assigned")
def assigned(t: Translator, notice: Notice) -> Rendered:
    view: AssignmentView = notice.params["view"]
    text = t.gettext(
        "{card}\n\nYou have a new task. Submit your work with the button below or in /tasks.",
        card=task_card(t, view),
    )
    return Rendered(text, _submit_button(t, view))


@renders("tasks.file")
def file(t: Translator, notice: Notice) -> Rendered:
    view: AssignmentView = notice.params["view"]
    if notice.params["event"] == "assigned":
        return Rendered(t.gettext("📎 The file of the task «{title}».", title=view.title))
    return Rendered(
        t.gettext("📎 The file submitted by {person} for «{title}».", **_who_what(view))
    )


def _who_what(view: AssignmentView) -> dict[str, str]:
    return {"person": view.person, "title": view.title}


def review_message(t: Translator, view: AssignmentView) -> Rendered:
    """A submission with the decision buttons (the notice, and /tasks showing it again)."""
    text = t.gettext("📥 {person} has submitted the task «{title}».", **_who_what(view))
    if view.answer_text:
        text = t.gettext("{head}\n\n{answer}", head=text, answer=view.answer_text)
    buttons: Buttons = [
        [
            {"text": t.plain("✅ Accept"), "callback": Accept(view.assignment_id).data()},
            {"text": t.plain("↩️ Return"), "callback": Return(view.assignment_id).data()},
        ]
    ]
    return Rendered(text, buttons)


@renders("tasks.submitted")
def submitted(t: Translator, notice: Notice) -> Rendered:
    return review_message(t, notice.params["view"])


@renders("tasks.accepted")
def accepted(t: Translator, notice: Notice) -> Rendered:
    view: AssignmentView = notice.params["view"]
    return Rendered(t.gettext("✅ Your work on the task «{title}» is accepted.", title=view.title))


@renders("tasks.returned")
def returned(t: Translator, notice: Notice) -> Rendered:
    view: AssignmentView = notice.params["view"]
    text = t.gettext(
        "↩️ Your work on the task «{title}» is returned for revision.\nComment: {comment}\n\n"
        "Correct it and submit again.",
        title=view.title,
        comment=view.comment or "",
    )
    return Rendered(text, _submit_button(t, view))


@renders("tasks.due_soon")
def due_soon(t: Translator, notice: Notice) -> Rendered:
    view: AssignmentView = notice.params["view"]
    text = t.gettext(
        "⏰ Tomorrow, {due}, is the due date of the task «{title}».",
        due=due(t, view),
        title=view.title,
    )
    return Rendered(text, _submit_button(t, view))


@renders("tasks.overdue")
def overdue(t: Translator, notice: Notice) -> Rendered:
    view: AssignmentView = notice.params["view"]
    text = t.gettext(
        "⚠️ The due date of the task «{title}» ({due}) has passed. Please submit your work "
        "as soon as you can.",
        due=due(t, view),
        title=view.title,
    )
    return Rendered(text, _submit_button(t, view))


@renders("tasks.cancelled")
def cancelled(t: Translator, notice: Notice) -> Rendered:
    view: AssignmentView = notice.params["view"]
    return Rendered(
        t.gettext(
            "🗑 The task «{title}» ({association}) is cancelled by the leader: nothing needs "
            "to be done.",
            title=view.title,
            association=view.association,
        )
    )


@renders("tasks.due_changed")
def due_changed(t: Translator, notice: Notice) -> Rendered:
    view: AssignmentView = notice.params["view"]
    text = t.gettext(
        "📅 The due date of the task «{title}» is moved to {due}.",
        title=view.title,
        due=due(t, view),
    )
    return Rendered(text, _submit_button(t, view))
