"""/task: the leader gives a task (dialog `taskn`): title → description → an optional file →
assignees (all members, chosen members, or a role) → due date → confirmation."""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn, cleaned_answer
from bot.dialogs import register as register_dialog
from bot.replies import ack, choose_association
from handlers.tasks.buttons import BUTTONS, GiveIn
from models import MemberRole
from models.tasks import TaskAudience
from services import tasks as service
from services.formatting import format_date
from services.texts import N_

GIVE = register_dialog(Dialog("taskn"))
# A keyboard of chosen members stays within Telegram's limits and readable.
MAX_CHOOSABLE = 60
ROLES = (MemberRole.MEMBER, MemberRole.EXPERT, MemberRole.SECRETARY, MemberRole.ADMINISTRATOR)


async def task_command(update: Update, context: BotContext) -> None:
    found = await service.managed_associations(context.session, context.actor)
    await choose_association(
        update,
        context,
        found,
        prefix=GiveIn.prefix,
        nothing=context.t.gettext(
            "Tasks are given by the leader or the administrator of an association. "
            "Your own tasks are in /tasks."
        ),
        open_one=lambda association: _start(update, context, association.id),
    )


@BUTTONS.on(GiveIn)
async def give_in(update: Update, context: BotContext, press: GiveIn) -> None:
    await ack(update)
    await _start(update, context, press.association_id)


async def _start(update: Update, context: BotContext, association_id: int) -> None:
    association = await service.check_giver(context.session, context.actor, association_id)
    people = await service.assignable(context.session, context.actor, association_id)
    if not people:
        raise service.NoAssignees()
    data = {"association_id": association_id, "tz": association.timezone, "people": people}
    await GIVE.start(update, context, "title", data)


# assignees -------------------------------------------------------------------------------


def _audiences(turn: Turn) -> list[tuple[str, str]]:
    t = turn.t
    options = [(TaskAudience.ALL.value, t.plain("All members"))]
    if len(turn.data["people"]) <= MAX_CHOOSABLE:
        options.append((TaskAudience.CHOSEN.value, t.plain("Chosen members")))
    options.append((TaskAudience.ROLE.value, t.plain("Members with a role")))
    return options


def _people(turn: Turn) -> list[tuple[str, str]]:
    return [(str(user_id), name) for user_id, name in turn.data["people"]]


def _roles(turn: Turn) -> list[tuple[str, str]]:
    t = turn.t
    titles = {
        MemberRole.MEMBER: t.plain("Members"),
        MemberRole.EXPERT: t.plain("Experts"),
        MemberRole.SECRETARY: t.plain("Secretary"),
        MemberRole.ADMINISTRATOR: t.plain("Administrator"),
    }
    return [(role.value, titles[role]) for role in ROLES]


async def _after_audience(turn: Turn) -> None:
    audience = TaskAudience(turn.data["audience"])
    turn.drop("chosen", "role")
    if audience is TaskAudience.CHOSEN:
        await turn.goto("people")
    elif audience is TaskAudience.ROLE:
        await turn.goto("role")
    else:
        await turn.goto("due")


# the due date ----------------------------------------------------------------------------


async def _ask_due(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Specify the due date: for example, <i>20.12</i>, <i>20.12.2026</i> or "
            "<i>20 декабря</i>."
        )
    )


async def _on_due(turn: Turn, text: str) -> None:
    def clean(answer: str) -> str:
        return service.parse_due(answer, turn.data["tz"]).isoformat()

    await cleaned_answer("due", clean, "confirm")(turn, text)


# confirmation ----------------------------------------------------------------------------


def _assignees_line(turn: Turn) -> str:
    t, audience = turn.t, TaskAudience(turn.data["audience"])
    if audience is TaskAudience.CHOSEN:
        chosen = set(turn.data.get("chosen", []))
        return ", ".join(name for value, name in _people(turn) if value in chosen)
    if audience is TaskAudience.ROLE:
        return dict(_roles(turn))[turn.data["role"]]
    return t.plain("all members")


def _summary(turn: Turn) -> str:
    t, d = turn.t, turn.data
    file = d.get("file")
    return t.gettext(
        "Check the task:\n\n📝 <b>{title}</b>\n{description}\n\nFile: {file}\n"
        "Assignees: {assignees}\nDue date: {due}\n\nGive the task?",
        title=d["title"],
        description=d["description"],
        file=(file["name"] or t.plain("attached")) if file else t.plain("none"),
        assignees=_assignees_line(turn),
        due=format_date(date.fromisoformat(d["due"]), t.language),
    )


async def _give(turn: Turn) -> None:
    d, file = turn.data, turn.data.get("file") or {}
    draft = service.TaskDraft(
        title=d["title"],
        description=d["description"],
        due_on=date.fromisoformat(d["due"]),
        audience=TaskAudience(d["audience"]),
        chosen_user_ids=tuple(int(value) for value in d.get("chosen", [])),
        role=MemberRole(d["role"]) if d.get("role") else None,
        telegram_file_id=file.get("id"),
        file_name=file.get("name"),
    )
    _, count = await service.create_task(
        turn.context.session, turn.context.actor, association_id=d["association_id"], draft=draft
    )
    await turn.finish()
    await turn.say(
        turn.t.ngettext(
            "✅ The task is given to {n} person. They will be notified; their progress is in "
            "/tasks.",
            "✅ The task is given to {n} people. They will be notified; their progress is in "
            "/tasks.",
            count,
        )
    )


async def _drop(turn: Turn) -> None:
    await turn.finish()
    await turn.say(turn.t.gettext("The task is not given. Nothing was saved."))


GIVE.text_step(
    "title",
    prompt=N_("Write the title of the task (up to 200 characters):"),
    key="title",
    clean=service.clean_title,
    then="description",
)
GIVE.text_step(
    "description",
    prompt=N_("Describe the task: what is to be done and what should be submitted."),
    key="description",
    clean=service.clean_description,
    then="file",
)
GIVE.optional_document_step(
    "file",
    prompt=N_("Attach a file to the task (send it as a document), or go on without one."),
    then="audience",
)
GIVE.choice_step(
    "audience",
    prompt=N_("Who receives the task?"),
    options=_audiences,
    key="audience",
    then=_after_audience,
)
GIVE.multi_choice_step(
    "people", prompt=N_("Choose the assignees:"), options=_people, key="chosen", then="due"
)
GIVE.choice_step(
    "role", prompt=N_("Choose the role:"), options=_roles, key="role", then="due", width=2
)
GIVE.step("due", ask=_ask_due, on_text=_on_due)
GIVE.confirm_step(
    "confirm",
    prompt=_summary,
    yes=N_("✅ Give the task"),
    on_yes=_give,
    no=N_("✖ Cancel"),
    on_no=_drop,
)
