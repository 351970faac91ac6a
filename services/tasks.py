"""Tasks (техническое задание / поручение): the leader gives, members submit, the leader
accepts or returns; reminders before the due date and when it is overdue.

Notices recorded here (worded in handlers/tasks/notices.py): `tasks.assigned`,
`tasks.file` (the task's or the submission's file), `tasks.submitted` (to the leader, with
the decision buttons), `tasks.accepted`, `tasks.returned`, `tasks.due_soon`, `tasks.overdue`,
`tasks.cancelled` and `tasks.due_changed` (the leader withdrew the task or moved its date).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, MemberRole, Membership, MembershipStatus, StoredFile, User
from models.tasks import OPEN_STATUSES, AssignmentStatus, Task, TaskAssignment, TaskAudience
from services import dateparse
from services.access import (
    Actor,
    membership_of,
    require_association_role,
    require_registered,
    role_holder,
)
from services.associations import held_in_roles
from services.audit import audit, record_activity
from services.clock import now
from services.errors import DomainError, InvalidInput, NotFound
from services.locks import lock
from services.names import short_name
from services.notices import Notice, tell
from services.texts import N_

MANAGERS = (MemberRole.LEADER, MemberRole.ADMINISTRATOR)
MAX_TITLE = 200
MAX_DESCRIPTION = 3000
MAX_ANSWER = 3000
MAX_COMMENT = 1000
ACTIVITY_KIND = "task_submitted"


class BadTitle(InvalidInput):
    message = N_("The title should be 3 to {limit} characters long.")


class BadDescription(InvalidInput):
    message = N_("The description should be 3 to {limit} characters long.")


class BadAnswer(InvalidInput):
    message = N_("The answer should be 1 to {limit} characters long.")


class BadComment(InvalidInput):
    message = N_("The comment should be 3 to {limit} characters long.")


class BadDueDate(InvalidInput):
    message = N_(
        "I could not read the date. Write it like this: <i>20.12</i>, <i>20.12.2026</i> "
        "or <i>20 декабря</i>."
    )


class DueInPast(InvalidInput):
    message = N_("This date has already passed. Choose today or a later date.")


class DueTooFar(InvalidInput):
    message = N_("The due date can be at most a year from today.")


class NoAssignees(DomainError):
    message = N_("Nobody would receive this task: the association has no such members.")


class NotYourTask(DomainError):
    message = N_("This task is not assigned to you.")


class NotOpen(DomainError):
    message = N_("This task is already submitted and waits for the leader's decision.")


class NotAMember(DomainError):
    message = N_("You are no longer a member of this association, so the task is closed for you.")


class AlreadyAccepted(DomainError):
    message = N_("This task is already accepted.")


class TaskCancelled(DomainError):
    message = N_("This task was cancelled by the leader: nothing needs to be done.")


class NotSubmitted(DomainError):
    message = N_("This submission has already been decided.")


def _clean(text: str, low: int, high: int, error: type[InvalidInput]) -> str:
    value = text.strip()
    if not low <= len(value) <= high:
        raise error(limit=high)
    return value


def clean_title(text: str) -> str:
    return _clean(text, 3, MAX_TITLE, BadTitle)


def clean_description(text: str) -> str:
    return _clean(text, 3, MAX_DESCRIPTION, BadDescription)


def clean_answer(text: str) -> str:
    return _clean(text, 1, MAX_ANSWER, BadAnswer)


def clean_comment(text: str) -> str:
    return _clean(text, 3, MAX_COMMENT, BadComment)


def local_today(timezone: str) -> date:
    return now().astimezone(ZoneInfo(timezone)).date()


def parse_due(text: str, timezone: str) -> date:
    """The due date `text` names («20.12», «20 декабря», «завтра») in the association's zone:
    today or later, at most a year ahead."""
    try:
        day = dateparse.parse_local(f"{text.strip()} 12:00", timezone, now()).date()
    except dateparse.NoSuchDate:
        raise
    except InvalidInput:
        raise BadDueDate() from None
    today = local_today(timezone)
    if day < today:
        raise DueInPast()
    if day > today + timedelta(days=366):
        raise DueTooFar()
    return day


@dataclass(frozen=True)
class TaskDraft:
    title: str
    description: str
    due_on: date
    audience: TaskAudience
    chosen_user_ids: tuple[int, ...] = ()
    role: MemberRole | None = None
    telegram_file_id: str | None = None
    file_name: str | None = None


@dataclass(frozen=True)
class AssignmentView:
    """One assignee's part as both sides read it."""

    assignment_id: int
    task_id: int
    title: str
    description: str
    association: str
    timezone: str
    due_on: date
    status: AssignmentStatus
    person: str
    answer_text: str | None
    comment: str | None


@dataclass(frozen=True)
class Assignee:
    assignment_id: int
    name: str
    status: AssignmentStatus


@dataclass(frozen=True)
class GivenTask:
    task_id: int
    title: str
    association: str
    due_on: date
    assignees: tuple[Assignee, ...]
    timezone: str = "Europe/Moscow"  # the association's: due dates are typed in it


# who may give tasks, and to whom ---------------------------------------------------------


async def managed_associations(session: AsyncSession, actor: Actor) -> list[Association]:
    """The associations where the actor may give tasks (leader or administrator)."""
    user = await require_registered(session, actor)
    return await held_in_roles(session, user.id, MANAGERS)


async def check_giver(session: AsyncSession, actor: Actor, association_id: int) -> Association:
    """The association, if the actor may give its members tasks now."""
    await require_association_role(session, actor, association_id, *MANAGERS)
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    return association


async def assignable(
    session: AsyncSession, actor: Actor, association_id: int
) -> list[tuple[int, str]]:
    """The active members who may receive a task (the actor excepted): (user id, name)."""
    user = await require_association_role(session, actor, association_id, *MANAGERS)
    rows = await session.execute(
        select(User.id, User.full_name)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.id != user.id,
        )
        .order_by(User.full_name)
    )
    return [(user_id, short_name(name)) for user_id, name in rows.all()]


async def _assignees(
    session: AsyncSession, association_id: int, author: User, draft: TaskDraft
) -> list[User]:
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.id != author.id,
        )
        .order_by(User.id)
    )
    if draft.audience is TaskAudience.CHOSEN:
        query = query.where(User.id.in_(draft.chosen_user_ids))
    elif draft.audience is TaskAudience.ROLE:
        query = query.where(Membership.role == draft.role)
    found = list((await session.scalars(query)).all())
    if not found:
        raise NoAssignees()
    return found


def _stored(telegram_file_id: str, name: str | None) -> StoredFile:
    return StoredFile(
        filename=(name or "file")[:200],
        mime_type="application/octet-stream",
        content=b"",
        telegram_file_id=telegram_file_id,
    )


# giving ----------------------------------------------------------------------------------


async def create_task(
    session: AsyncSession, actor: Actor, *, association_id: int, draft: TaskDraft
) -> tuple[Task, int]:
    """Give the task to its assignees (each is told); returns it and how many got it."""
    author = await require_association_role(session, actor, association_id, *MANAGERS)
    association = await lock(session, Association, association_id)
    title, description = clean_title(draft.title), clean_description(draft.description)
    if draft.due_on < local_today(association.timezone):
        raise DueInPast()
    people = await _assignees(session, association_id, author, draft)
    stored = _stored(draft.telegram_file_id, draft.file_name) if draft.telegram_file_id else None
    if stored is not None:
        session.add(stored)
        await session.flush()
    task = Task(
        association_id=association_id,
        author_user_id=author.id,
        title=title,
        description=description,
        file_id=stored.id if stored else None,
        audience=draft.audience,
        due_on=draft.due_on,
        created_at=now(),
    )
    session.add(task)
    await session.flush()
    for person in people:
        assignment = TaskAssignment(task_id=task.id, user_id=person.id)
        session.add(assignment)
        await session.flush()
        view = _view(task, association, assignment, person)
        _tell_with_file(session, "tasks.assigned", view, person, task.file_id, "assigned")
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="task.create",
        target_type="task",
        target_id=task.id,
        assignees=len(people),
    )
    return task, len(people)


def _view(
    task: Task, association: Association, assignment: TaskAssignment, person: User
) -> AssignmentView:
    return AssignmentView(
        assignment_id=assignment.id,
        task_id=task.id,
        title=task.title,
        description=task.description,
        association=association.name,
        timezone=association.timezone,
        due_on=task.due_on,
        status=assignment.status,
        person=short_name(person.full_name),
        answer_text=assignment.answer_text,
        comment=assignment.comment,
    )


def _tell_with_file(
    session: AsyncSession,
    kind: str,
    view: AssignmentView,
    recipient: User,
    file_id: int | None,
    event: str,
) -> None:
    """A notice, and the file that goes with it as a message of its own (a caption could
    not hold the whole text)."""
    key = f"task:{view.task_id}:{view.assignment_id}:{event}"
    notices = [Notice(kind, {"view": view}, user=recipient, dedupe_key=key)]
    if file_id is not None:
        notices.append(
            Notice(
                "tasks.file",
                {"view": view, "event": event},
                user=recipient,
                file_id=file_id,
                dedupe_key=f"{key}:file",
            )
        )
    tell(session, *notices)


# the assignee's side ---------------------------------------------------------------------


async def _loaded(
    session: AsyncSession, assignment_id: int
) -> tuple[TaskAssignment, Task, Association]:
    assignment = await session.get(TaskAssignment, assignment_id)
    if assignment is None:
        raise NotFound()
    task = await session.get_one(Task, assignment.task_id)
    if task.cancelled_at is not None:
        raise TaskCancelled()
    association = await session.get_one(Association, task.association_id)
    return assignment, task, association


async def _locked(session: AsyncSession, assignment_id: int) -> TaskAssignment:
    """The assignment, locked until the end of the unit of work (a decision is taken once)."""
    if await session.get(TaskAssignment, assignment_id) is None:
        raise NotFound()
    return await lock(session, TaskAssignment, assignment_id)


async def submittable(session: AsyncSession, actor: Actor, assignment_id: int) -> AssignmentView:
    """The actor's open assignment, ready for a submission (refused otherwise)."""
    user = await require_registered(session, actor)
    assignment, task, association = await _loaded(session, assignment_id)
    if assignment.user_id != user.id:
        raise NotYourTask()
    if await membership_of(session, user.id, association.id) is None:
        raise NotAMember()
    if assignment.status is AssignmentStatus.ACCEPTED:
        raise AlreadyAccepted()
    if assignment.status not in OPEN_STATUSES:
        raise NotOpen()
    return _view(task, association, assignment, user)


async def submit(
    session: AsyncSession,
    actor: Actor,
    *,
    assignment_id: int,
    text: str | None,
    telegram_file_id: str | None = None,
    file_name: str | None = None,
) -> AssignmentView:
    """The assignee hands in the work (text and/or a file); the task's giver is told."""
    user = await require_registered(session, actor)
    await _locked(session, assignment_id)
    await submittable(session, actor, assignment_id)
    assignment, task, association = await _loaded(session, assignment_id)
    if text is None and telegram_file_id is None:
        raise BadAnswer(limit=MAX_ANSWER)
    if assignment.answer_file_id is not None:
        await session.delete(await session.get_one(StoredFile, assignment.answer_file_id))
        assignment.answer_file_id = None
        await session.flush()
    stored = _stored(telegram_file_id, file_name) if telegram_file_id else None
    if stored is not None:
        session.add(stored)
        await session.flush()
    assignment.answer_text = clean_answer(text) if text else None
    assignment.answer_file_id = stored.id if stored else None
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.submitted_at = now()
    assignment.submissions += 1
    await session.flush()
    await record_activity(
        session, kind=ACTIVITY_KIND, user_id=user.id, association_id=association.id
    )
    view = _view(task, association, assignment, user)
    reviewer = await _reviewer(session, task)
    if reviewer is not None:
        event = f"submitted:{assignment.submissions}"
        _tell_with_file(
            session, "tasks.submitted", view, reviewer, assignment.answer_file_id, event
        )
    return view


async def _reviewer(session: AsyncSession, task: Task) -> User | None:
    """Who decides on submissions: the task's giver, else the association's leader."""
    if task.author_user_id is not None:
        author = await session.get(User, task.author_user_id)
        if author is not None and author.telegram_id is not None:
            return author
    return await role_holder(session, task.association_id, MemberRole.LEADER)


# the leader's decision -------------------------------------------------------------------


async def deciding(session: AsyncSession, actor: Actor, assignment_id: int) -> AssignmentView:
    """The submission the actor may decide on now (refused otherwise)."""
    assignment, task, association = await _loaded(session, assignment_id)
    await require_association_role(session, actor, association.id, *MANAGERS)
    if assignment.status is not AssignmentStatus.SUBMITTED:
        raise NotSubmitted()
    person = await session.get_one(User, assignment.user_id)
    return _view(task, association, assignment, person)


async def review_of(
    session: AsyncSession, actor: Actor, assignment_id: int
) -> tuple[AssignmentView, str | None]:
    """A submission waiting for the actor's decision, and its file's Telegram id if any."""
    view = await deciding(session, actor, assignment_id)
    assignment = await session.get_one(TaskAssignment, assignment_id)
    if assignment.answer_file_id is None:
        return view, None
    stored = await session.get_one(StoredFile, assignment.answer_file_id)
    return view, stored.telegram_file_id


async def decide(
    session: AsyncSession,
    actor: Actor,
    *,
    assignment_id: int,
    accept: bool,
    comment: str | None = None,
) -> AssignmentView:
    """Accept the submission, or return it with a comment; the assignee is told."""
    await _locked(session, assignment_id)
    await deciding(session, actor, assignment_id)
    assignment, task, association = await _loaded(session, assignment_id)
    assignment.status = AssignmentStatus.ACCEPTED if accept else AssignmentStatus.RETURNED
    assignment.comment = None if accept else clean_comment(comment or "")
    assignment.decided_at = now()
    await session.flush()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="task.accept" if accept else "task.return",
        target_type="task_assignment",
        target_id=assignment.id,
    )
    person = await session.get_one(User, assignment.user_id)
    view = _view(task, association, assignment, person)
    kind = "tasks.accepted" if accept else "tasks.returned"
    tell(
        session,
        Notice(
            kind,
            {"view": view},
            user=person,
            dedupe_key=f"task:{task.id}:{assignment.id}:{kind}:{assignment.submissions}",
        ),
    )
    return view


# the leader withdraws a task or moves its date ---------------------------------------------

STILL_OPEN = (*OPEN_STATUSES, AssignmentStatus.SUBMITTED)


async def managed_task(session: AsyncSession, actor: Actor, task_id: int) -> GivenTask:
    """A task the actor may change (its association's leader or administrator)."""
    task = await session.get(Task, task_id)
    if task is None:
        raise NotFound()
    if task.cancelled_at is not None:
        raise TaskCancelled()
    await require_association_role(session, actor, task.association_id, *MANAGERS)
    association = await session.get_one(Association, task.association_id)
    people = await _statuses(session, [task.id])
    assignees = tuple(people.get(task.id, ()))
    return GivenTask(
        task.id, task.title, association.name, task.due_on, assignees, association.timezone
    )


async def _open_parts(
    session: AsyncSession, task: Task, statuses: Sequence[AssignmentStatus]
) -> list[tuple[TaskAssignment, User]]:
    rows = await session.execute(
        select(TaskAssignment, User)
        .join(User, User.id == TaskAssignment.user_id)
        .where(TaskAssignment.task_id == task.id, TaskAssignment.status.in_(statuses))
        .order_by(TaskAssignment.id)
    )
    return [(assignment, person) for assignment, person in rows.all()]


async def cancel_task(session: AsyncSession, actor: Actor, task_id: int) -> int:
    """Withdraw the task; whoever has not had their work accepted is told. Returns how many."""
    await managed_task(session, actor, task_id)
    task = await lock(session, Task, task_id)
    if task.cancelled_at is not None:
        raise TaskCancelled()
    task.cancelled_at = now()
    association = await session.get_one(Association, task.association_id)
    parts = await _open_parts(session, task, STILL_OPEN)
    for assignment, person in parts:
        view = _view(task, association, assignment, person)
        key = f"task:{task.id}:{assignment.id}:cancelled"
        tell(session, Notice("tasks.cancelled", {"view": view}, user=person, dedupe_key=key))
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="task.cancel",
        target_type="task",
        target_id=task.id,
        told=len(parts),
    )
    return len(parts)


async def change_due(session: AsyncSession, actor: Actor, task_id: int, due_on: date) -> int:
    """Move the due date; those still to hand in are told and reminded again. Returns how
    many were told."""
    await managed_task(session, actor, task_id)
    task = await lock(session, Task, task_id)
    association = await session.get_one(Association, task.association_id)
    if due_on < local_today(association.timezone):
        raise DueInPast()
    if due_on == task.due_on:
        return 0
    task.due_on = due_on
    parts = await _open_parts(session, task, OPEN_STATUSES)
    for assignment, person in parts:
        assignment.reminded_at = assignment.overdue_told_at = None
        view = _view(task, association, assignment, person)
        key = f"task:{task.id}:{assignment.id}:due:{due_on.isoformat()}"
        tell(session, Notice("tasks.due_changed", {"view": view}, user=person, dedupe_key=key))
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="task.due",
        target_type="task",
        target_id=task.id,
        due_on=due_on.isoformat(),
    )
    return len(parts)


# lists -----------------------------------------------------------------------------------


async def my_tasks(session: AsyncSession, actor: Actor, *, limit: int = 10) -> list[AssignmentView]:
    """The actor's tasks, open ones first, then by due date."""
    user = await require_registered(session, actor)
    rows = await session.execute(
        select(TaskAssignment, Task, Association)
        .join(Task, Task.id == TaskAssignment.task_id)
        .join(Association, Association.id == Task.association_id)
        .where(TaskAssignment.user_id == user.id, Task.cancelled_at.is_(None))
        .order_by(Task.due_on.desc(), Task.id.desc())
        .limit(limit)
    )
    views = [_view(task, a, assignment, user) for assignment, task, a in rows.all()]
    return sorted(views, key=lambda v: (v.status not in OPEN_STATUSES, v.due_on))


async def given_tasks(session: AsyncSession, actor: Actor, *, limit: int = 5) -> list[GivenTask]:
    """The tasks of the associations the actor manages, newest first, with each assignee's
    status."""
    associations = await managed_associations(session, actor)
    if not associations:
        return []
    tasks = (
        await session.execute(
            select(Task, Association)
            .join(Association, Association.id == Task.association_id)
            .where(
                Task.association_id.in_([a.id for a in associations]), Task.cancelled_at.is_(None)
            )
            .order_by(Task.id.desc())
            .limit(limit)
        )
    ).all()
    people = await _statuses(session, [task.id for task, _ in tasks])
    return [
        GivenTask(task.id, task.title, a.name, task.due_on, tuple(people.get(task.id, ())))
        for task, a in tasks
    ]


async def _statuses(session: AsyncSession, task_ids: Sequence[int]) -> dict[int, list[Assignee]]:
    rows = await session.execute(
        select(TaskAssignment.task_id, TaskAssignment.id, User.full_name, TaskAssignment.status)
        .join(User, User.id == TaskAssignment.user_id)
        .where(TaskAssignment.task_id.in_(task_ids))
        .order_by(User.full_name)
    )
    found: dict[int, list[Assignee]] = {}
    for task_id, assignment_id, name, status in rows.all():
        found.setdefault(task_id, []).append(Assignee(assignment_id, short_name(name), status))
    return found


# reminders -------------------------------------------------------------------------------


async def send_reminders(session: AsyncSession) -> int:
    """One reminder the day before the due date, one notice on the first day it is
    overdue (or the first sweep after it), to every assignee whose part is still open.
    Each is sent once (marks on the row and the outbox's dedupe keys). Returns how many."""
    horizon = now().date() + timedelta(days=2)
    rows = await session.execute(
        select(TaskAssignment, Task, Association, User)
        .join(Task, Task.id == TaskAssignment.task_id)
        .join(Association, Association.id == Task.association_id)
        .join(User, User.id == TaskAssignment.user_id)
        .join(
            Membership,
            (Membership.user_id == User.id) & (Membership.association_id == Association.id),
        )
        .where(
            Membership.status == MembershipStatus.ACTIVE,
            TaskAssignment.status.in_(OPEN_STATUSES),
            TaskAssignment.overdue_told_at.is_(None),
            Task.due_on <= horizon,
            Task.cancelled_at.is_(None),
        )
    )
    told = 0
    for assignment, task, association, person in rows.all():
        kind = _reminder_due(assignment, task, local_today(association.timezone))
        if kind is None:
            continue
        if kind == "tasks.overdue":
            assignment.overdue_told_at = now()
        else:
            assignment.reminded_at = now()
        view = _view(task, association, assignment, person)
        key = f"task:{task.id}:{assignment.id}:{kind}:{task.due_on.isoformat()}"
        tell(session, Notice(kind, {"view": view}, user=person, dedupe_key=key))
        told += 1
    return told


def _reminder_due(assignment: TaskAssignment, task: Task, today: date) -> str | None:
    if today > task.due_on:
        return "tasks.overdue"
    if today == task.due_on - timedelta(days=1) and assignment.reminded_at is None:
        return "tasks.due_soon"
    return None
