"""Consultations (/ask): a member asks, an expert takes and answers, the asker rates.

A question goes to an association the asker belongs to (its leader and experts are told)
or to the network (its methodists and experts). A young specialist with a mentor in the
association has the question assigned to the mentor at once. The first responder to take
a question owns it (the question's row is locked for the check); the others' copies are
edited to say it is taken. The sweeps remind the assignee after the association's
reminder time and escalate to the leader (or the methodists) after its escalation time.
Answered questions may be published, without the asker's name, to the association's FAQ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Association,
    AssociationStatus,
    MemberRole,
    Membership,
    MembershipStatus,
    NetworkRole,
    NetworkRoleGrant,
    OutboxMessage,
    User,
)
from models.consultations import (
    ESCALATE_AFTER_HOURS,
    REMIND_AFTER_HOURS,
    Consultation,
    ConsultationFile,
    ConsultationSettings,
    ConsultationStatus,
    FilePart,
    Mentorship,
)
from services.access import (
    Actor,
    membership_of,
    network_roles,
    require_association_role,
    require_registered,
)
from services.audit import audit, record_activity
from services.clock import now
from services.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from services.locks import lock
from services.names import short_name
from services.notices import Notice, tell
from services.texts import N_, T_

QUESTION_LIMIT = 3000
FILES_LIMIT = 10
OPEN = (ConsultationStatus.NEW, ConsultationStatus.ASSIGNED)
DONE = (ConsultationStatus.ANSWERED, ConsultationStatus.CLOSED)
ASSOCIATION_RESPONDERS = (MemberRole.LEADER, MemberRole.EXPERT)
NETWORK_RESPONDERS = (NetworkRole.METHODIST, NetworkRole.EXPERT)
RESPONDERS_TITLE = T_("the association's leader and experts")


class BadQuestionText(InvalidInput):
    message = N_("Please write from 3 to 3000 characters.")


class TooManyFiles(InvalidInput):
    message = N_("At most 10 files can be attached.")


class AlreadyTaken(DomainError):
    message = N_("Thank you! This question has already been taken by {name}.")


class AlreadyAnswered(DomainError):
    message = N_("This question has already been answered.")


class NotAnswered(DomainError):
    message = N_("This question has not been answered yet.")


class QuestionClosed(DomainError):
    message = N_("This question is closed.")


class BadRating(InvalidInput):
    message = N_("A rating is from 1 to 5.")


class NotInAssociation(DomainError):
    message = N_("You can ask only in an association you are a member of.")


class NotForFaq(DomainError):
    message = N_("Only an answered question of an association can go to its FAQ.")


class NotAYoungSpecialist(InvalidInput):
    message = N_("A mentor is assigned to a young specialist (less than 3 years of experience).")


class BadMentor(InvalidInput):
    message = N_("The mentor must be another active member of the association.")


class BadTimings(InvalidInput):
    message = N_(
        "Write two numbers of hours, the reminder before the escalation, for example "
        "<i>24 72</i> (at most 720)."
    )


# input ---------------------------------------------------------------------------------
def clean_question(text: str) -> str:
    """The question or answer as typed, trimmed; BadQuestionText when empty or too long."""
    value = text.strip()
    if not 3 <= len(value) <= QUESTION_LIMIT:
        raise BadQuestionText()
    return value


def clean_timings(text: str) -> tuple[int, int]:
    """«24 72» → (24, 72): hours to the reminder and to the escalation."""
    parts = text.replace(",", " ").split()
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        raise BadTimings()
    remind, escalate = int(parts[0]), int(parts[1])
    if not 1 <= remind < escalate <= 720:
        raise BadTimings()
    return remind, escalate


@dataclass(frozen=True, slots=True)
class Attachment:
    telegram_file_id: str
    is_photo: bool = False


# reading -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Target:
    """Where a question can go: an association (id and name) or the network (None)."""

    association_id: int | None
    name: str | None


@dataclass(frozen=True, slots=True)
class Overview:
    """What /ask shows a person."""

    mine_open: int
    mine_total: int
    queue: int
    member_of: list[Target]
    leads: list[Target]


async def _active_memberships(
    session: AsyncSession, user_id: int
) -> list[tuple[Association, MemberRole]]:
    rows = await session.execute(
        select(Association, Membership.role)
        .join(Membership, Membership.association_id == Association.id)
        .where(
            Membership.user_id == user_id,
            Membership.status == MembershipStatus.ACTIVE,
            Association.status == AssociationStatus.ACTIVE,
        )
        .order_by(Association.name)
    )
    return [(association, role) for association, role in rows.all()]


async def overview(session: AsyncSession, actor: Actor) -> Overview:
    """The person's questions, their queue's length, and their associations."""
    user = await require_registered(session, actor)
    memberships = await _active_memberships(session, user.id)
    counts = dict(
        (
            await session.execute(
                select(Consultation.status, func.count())
                .where(Consultation.asker_id == user.id)
                .group_by(Consultation.status)
            )
        ).all()
    )
    queue = await _queue_query(session, actor, user)
    waiting = await session.scalar(select(func.count()).select_from(queue.subquery()))
    return Overview(
        mine_open=sum(counts.get(status, 0) for status in OPEN),
        mine_total=sum(counts.values()),
        queue=waiting or 0,
        member_of=[Target(a.id, a.name) for a, _ in memberships],
        leads=[Target(a.id, a.name) for a, role in memberships if role is MemberRole.LEADER],
    )


async def targets(session: AsyncSession, actor: Actor) -> list[Target]:
    """Where the person can ask: their active associations, then the network."""
    user = await require_registered(session, actor)
    memberships = await _active_memberships(session, user.id)
    return [*(Target(a.id, a.name) for a, _ in memberships), Target(None, None)]


async def my_questions(
    session: AsyncSession, actor: Actor, *, limit: int = 20
) -> list[Consultation]:
    """The person's questions, open ones first, newest first."""
    user = await require_registered(session, actor)
    rows = await session.scalars(
        select(Consultation)
        .where(Consultation.asker_id == user.id)
        .order_by(Consultation.status.in_(OPEN).desc(), Consultation.id.desc())
        .limit(limit)
    )
    return list(rows.all())


async def _queue_query(
    session: AsyncSession, actor: Actor, user: User
) -> Select[tuple[Consultation]]:
    """Open questions the person may take (not taken yet) or owns (not answered yet)."""
    reach = [Consultation.assignee_id == user.id]
    if actor.is_platform_admin or (await network_roles(session, user.id)) & set(NETWORK_RESPONDERS):
        reach.append(Consultation.status == ConsultationStatus.NEW)
    else:
        responding = select(Membership.association_id).where(
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role.in_(ASSOCIATION_RESPONDERS),
        )
        reach.append(
            (Consultation.status == ConsultationStatus.NEW)
            & Consultation.association_id.in_(responding)
        )
    return select(Consultation).where(
        Consultation.status.in_(OPEN), Consultation.asker_id != user.id, or_(*reach)
    )


async def queue(session: AsyncSession, actor: Actor, *, limit: int = 20) -> list[Consultation]:
    """The expert's queue: their own open questions and the untaken ones, oldest first."""
    user = await require_registered(session, actor)
    query = await _queue_query(session, actor, user)
    rows = await session.scalars(query.order_by(Consultation.created_at).limit(limit))
    return list(rows.all())


@dataclass(frozen=True, slots=True)
class QuestionView:
    consultation: Consultation
    association_name: str | None
    asker: str
    assignee: str | None
    question_files: int
    answer_files: int
    is_asker: bool
    is_assignee: bool
    may_answer: bool
    can_take_over: bool
    may_publish: bool


async def question(session: AsyncSession, actor: Actor, consultation_id: int) -> QuestionView:
    """One question as its asker or a responder sees it."""
    user = await require_registered(session, actor)
    consultation = await _get(session, consultation_id)
    is_asker = consultation.asker_id == user.id
    may_answer = await _may_answer(session, actor, user, consultation)
    if not (is_asker or may_answer):
        raise PermissionDenied(role=RESPONDERS_TITLE)
    return await _view(session, actor, user, consultation, is_asker, may_answer)


async def _view(
    session: AsyncSession,
    actor: Actor,
    user: User,
    consultation: Consultation,
    is_asker: bool,
    may_answer: bool,
) -> QuestionView:
    association = (
        await session.get(Association, consultation.association_id)
        if consultation.association_id
        else None
    )
    asker = await session.get(User, consultation.asker_id)
    assignee = (
        await session.get(User, consultation.assignee_id) if consultation.assignee_id else None
    )
    files = await _files(session, consultation.id)
    may_publish = (
        association is not None
        and consultation.status in DONE
        and not consultation.in_faq
        and await _leads(session, actor, user, association.id)
    )
    return QuestionView(
        consultation=consultation,
        association_name=association.name if association else None,
        asker=short_name(asker.full_name) if asker else "—",
        assignee=short_name(assignee.full_name) if assignee else None,
        question_files=sum(1 for f in files if f.part is FilePart.QUESTION),
        answer_files=sum(1 for f in files if f.part is FilePart.ANSWER),
        is_asker=is_asker,
        is_assignee=consultation.assignee_id == user.id,
        may_answer=may_answer,
        can_take_over=may_answer and await may_take_over(session, actor, user, consultation),
        may_publish=may_publish,
    )


async def files(
    session: AsyncSession, actor: Actor, consultation_id: int, part: FilePart
) -> list[ConsultationFile]:
    """The files of a question or of its answer, for the asker or a responder."""
    await question(session, actor, consultation_id)
    return [f for f in await _files(session, consultation_id) if f.part is part]


async def _files(session: AsyncSession, consultation_id: int) -> list[ConsultationFile]:
    rows = await session.scalars(
        select(ConsultationFile)
        .where(ConsultationFile.consultation_id == consultation_id)
        .order_by(ConsultationFile.id)
    )
    return list(rows.all())


async def _get(session: AsyncSession, consultation_id: int) -> Consultation:
    consultation = await session.get(Consultation, consultation_id)
    if consultation is None:
        raise NotFound()
    return consultation


async def _leads(session: AsyncSession, actor: Actor, user: User, association_id: int) -> bool:
    try:
        await require_association_role(session, actor, association_id, MemberRole.LEADER)
    except PermissionDenied:
        return False
    return True


async def _may_answer(
    session: AsyncSession, actor: Actor, user: User, consultation: Consultation
) -> bool:
    """The assignee, a network methodist or expert, or the association's leader or expert."""
    if consultation.asker_id == user.id:
        return False
    if actor.is_platform_admin or consultation.assignee_id == user.id:
        return True
    if (await network_roles(session, user.id)) & set(NETWORK_RESPONDERS):
        return True
    if consultation.association_id is None:
        return False
    membership = await membership_of(session, user.id, consultation.association_id)
    return membership is not None and membership.role in ASSOCIATION_RESPONDERS


# asking --------------------------------------------------------------------------------
async def ask(
    session: AsyncSession,
    actor: Actor,
    *,
    association_id: int | None,
    text: str,
    attachments: Sequence[Attachment] = (),
) -> Consultation:
    """Record a question and tell who answers it: the mentor of a young specialist, else
    the association's leader and experts (or the network's methodists and experts)."""
    user = await require_registered(session, actor)
    if association_id is not None and await membership_of(session, user.id, association_id) is None:
        raise NotInAssociation()
    consultation = Consultation(
        asker_id=user.id,
        association_id=association_id,
        question=clean_question(text),
        created_at=now(),
    )
    session.add(consultation)
    await session.flush()
    await _attach(session, consultation, FilePart.QUESTION, attachments)
    mentor = await _mentor_of(session, user, association_id)
    if mentor is not None:
        _assign(consultation, mentor)
        await _tell_assignee(session, consultation, mentor, user, "consultation.for_mentor")
    else:
        await _tell_responders(session, consultation, user)
    await record_activity(
        session, kind="consultation_asked", user_id=user.id, association_id=association_id
    )
    return consultation


async def _attach(
    session: AsyncSession,
    consultation: Consultation,
    part: FilePart,
    attachments: Sequence[Attachment],
) -> None:
    if len(attachments) > FILES_LIMIT:
        raise TooManyFiles()
    session.add_all(
        ConsultationFile(
            consultation_id=consultation.id,
            part=part,
            is_photo=a.is_photo,
            telegram_file_id=a.telegram_file_id,
        )
        for a in attachments
    )


async def _mentor_of(session: AsyncSession, user: User, association_id: int | None) -> User | None:
    if association_id is None or not user.is_young_specialist:
        return None
    mentor = await session.scalar(
        select(User)
        .join(Mentorship, Mentorship.mentor_id == User.id)
        .where(Mentorship.association_id == association_id, Mentorship.mentee_id == user.id)
    )
    if mentor is None or await membership_of(session, mentor.id, association_id) is None:
        return None
    return mentor


async def responders(session: AsyncSession, consultation: Consultation) -> list[User]:
    """Who is told of a new question: the association's leader and experts, or the
    network's methodists and experts; never the asker."""
    if consultation.association_id is not None:
        query = (
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.association_id == consultation.association_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role.in_(ASSOCIATION_RESPONDERS),
            )
        )
    else:
        query = (
            select(User)
            .join(NetworkRoleGrant, NetworkRoleGrant.user_id == User.id)
            .where(NetworkRoleGrant.role.in_(NETWORK_RESPONDERS))
        )
    rows = await session.scalars(
        query.where(User.id != consultation.asker_id, User.forgotten_at.is_(None)).order_by(User.id)
    )
    # A person with both network roles comes twice (no DISTINCT: PostgreSQL's JSON columns).
    return list({user.id: user for user in rows.all()}.values())


def copy_key(consultation_id: int, user_id: int) -> str:
    """The dedupe key of a responder's copy of a new question (edited when it is taken)."""
    return f"ask:{consultation_id}:to:{user_id}"


async def _params(
    session: AsyncSession, consultation: Consultation, asker: User
) -> dict[str, object]:
    association = (
        await session.get(Association, consultation.association_id)
        if consultation.association_id
        else None
    )
    files = await _files(session, consultation.id)
    return {
        "consultation_id": consultation.id,
        "question": consultation.question,
        "association": association.name if association else None,
        "asker": short_name(asker.full_name),
        "files": sum(1 for f in files if f.part is FilePart.QUESTION),
        "follow_up": consultation.parent_id is not None,
    }


async def _tell_responders(session: AsyncSession, consultation: Consultation, asker: User) -> None:
    params = await _params(session, consultation, asker)
    tell(
        session,
        *(
            Notice(
                "consultation.new",
                params,
                user=person,
                dedupe_key=copy_key(consultation.id, person.id),
            )
            for person in await responders(session, consultation)
        ),
    )


async def _tell_assignee(
    session: AsyncSession, consultation: Consultation, assignee: User, asker: User, kind: str
) -> None:
    """The question is the assignee's (a mentor's, or a follow-up to their answer)."""
    params = await _params(session, consultation, asker)
    tell(session, Notice(kind, params, user=assignee, dedupe_key=f"ask:{consultation.id}:{kind}"))


def _assign(consultation: Consultation, assignee: User) -> None:
    consultation.assignee_id = assignee.id
    consultation.status = ConsultationStatus.ASSIGNED
    consultation.taken_at = now()


# taking and answering ------------------------------------------------------------------
async def _locked_for_responder(
    session: AsyncSession, actor: Actor, consultation_id: int
) -> tuple[User, Consultation]:
    user = await require_registered(session, actor)
    try:
        consultation = await lock(session, Consultation, consultation_id)
    except LookupError:
        raise NotFound() from None
    if not await _may_answer(session, actor, user, consultation):
        raise PermissionDenied(role=RESPONDERS_TITLE)
    return user, consultation


async def take(session: AsyncSession, actor: Actor, consultation_id: int) -> Consultation:
    """The first responder to take the question owns it; a later one is told who did."""
    user, consultation = await _locked_for_responder(session, actor, consultation_id)
    await _take(session, actor, user, consultation)
    return consultation


async def _take(
    session: AsyncSession,
    actor: Actor,
    user: User,
    consultation: Consultation,
    *,
    tell_asker: bool = True,
) -> None:
    if consultation.assignee_id == user.id and consultation.status in OPEN:
        return
    if consultation.status is not ConsultationStatus.NEW and not (
        consultation.status is ConsultationStatus.ASSIGNED
        and await may_take_over(session, actor, user, consultation)
    ):
        if consultation.status in DONE:
            raise AlreadyAnswered()
        owner = (
            await session.get(User, consultation.assignee_id) if consultation.assignee_id else None
        )
        raise AlreadyTaken(name=short_name(owner.full_name) if owner else "—")
    _assign(consultation, user)
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="consultation.take",
        target_type="consultation",
        target_id=consultation.id,
    )
    asker = await session.get_one(User, consultation.asker_id)
    params = {**await _params(session, consultation, asker), "taker": short_name(user.full_name)}
    others = await _with_copies(session, consultation, exclude=user.id)
    tell(
        session,
        *(
            Notice("consultation.taken", params, user=p, edit_of=copy_key(consultation.id, p.id))
            for p in others
        ),
    )
    if tell_asker:
        key = f"ask:{consultation.id}:taken:{user.id}"
        tell(session, Notice("consultation.taken_for_asker", params, user=asker, dedupe_key=key))


async def _with_copies(
    session: AsyncSession, consultation: Consultation, *, exclude: int
) -> list[User]:
    """The responders who were sent a copy of the question (whose copies can be edited)."""
    people = {p.id: p for p in await responders(session, consultation) if p.id != exclude}
    keys = {copy_key(consultation.id, person_id): person_id for person_id in people}
    sent = await session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))
    )
    return [people[keys[key]] for key in sent.all() if key is not None]


async def answer(
    session: AsyncSession,
    actor: Actor,
    *,
    consultation_id: int,
    text: str,
    attachments: Sequence[Attachment] = (),
) -> Consultation:
    """The owner (or a responder taking an untaken question) answers; the asker is told."""
    user, consultation = await _locked_for_responder(session, actor, consultation_id)
    await _take(session, actor, user, consultation, tell_asker=False)
    consultation.answer = clean_question(text)
    consultation.status = ConsultationStatus.ANSWERED
    consultation.answered_at = now()
    await _attach(session, consultation, FilePart.ANSWER, attachments)
    await session.flush()
    asker = await session.get_one(User, consultation.asker_id)
    params = {
        **await _params(session, consultation, asker),
        "answer": consultation.answer,
        "expert": short_name(user.full_name),
        "answer_files": len(attachments),
    }
    tell(
        session,
        Notice(
            "consultation.answered", params, user=asker, dedupe_key=f"ask:{consultation.id}:answer"
        ),
    )
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="consultation.answer",
        target_type="consultation",
        target_id=consultation.id,
    )
    await record_activity(
        session,
        kind="consultation_answered",
        user_id=user.id,
        association_id=consultation.association_id,
    )
    return consultation


# the asker's side ----------------------------------------------------------------------
async def _locked_for_asker(
    session: AsyncSession, actor: Actor, consultation_id: int
) -> tuple[User, Consultation]:
    user = await require_registered(session, actor)
    try:
        consultation = await lock(session, Consultation, consultation_id)
    except LookupError:
        raise NotFound() from None
    if consultation.asker_id != user.id:
        raise NotFound()  # somebody else's question: as if it did not exist
    return user, consultation


async def rate(
    session: AsyncSession, actor: Actor, *, consultation_id: int, score: int
) -> Consultation:
    """The asker rates the answer (1–5); the question is closed, the expert is told."""
    if not 1 <= score <= 5:
        raise BadRating()
    user, consultation = await _locked_for_asker(session, actor, consultation_id)
    if consultation.status not in DONE:
        raise NotAnswered()
    consultation.rating = score
    _close(consultation)
    expert = await session.get(User, consultation.assignee_id) if consultation.assignee_id else None
    if expert is not None:
        params = {**await _params(session, consultation, user), "score": score}
        tell(
            session,
            Notice(
                "consultation.rated", params, user=expert, dedupe_key=f"ask:{consultation.id}:rated"
            ),
        )
    await record_activity(
        session,
        kind="consultation_rated",
        user_id=user.id,
        association_id=consultation.association_id,
    )
    return consultation


async def close(session: AsyncSession, actor: Actor, consultation_id: int) -> Consultation:
    """The asker closes the question (answered or not: it is no longer needed)."""
    _, consultation = await _locked_for_asker(session, actor, consultation_id)
    if consultation.status is ConsultationStatus.CLOSED:
        raise QuestionClosed()
    _close(consultation)
    return consultation


def _close(consultation: Consultation) -> None:
    consultation.status = ConsultationStatus.CLOSED
    consultation.closed_at = consultation.closed_at or now()


async def start_follow_up(
    session: AsyncSession, actor: Actor, consultation_id: int
) -> Consultation:
    """Check that the asker may ask a follow-up to this answered question."""
    user = await require_registered(session, actor)
    consultation = await _get(session, consultation_id)
    if consultation.asker_id != user.id:
        raise NotFound()
    if consultation.status not in DONE:
        raise NotAnswered()
    return consultation


async def follow_up(
    session: AsyncSession,
    actor: Actor,
    *,
    parent_id: int,
    text: str,
    attachments: Sequence[Attachment] = (),
) -> Consultation:
    """A further question to an answer: it goes to the same expert, if they can still
    answer, else to the responders as a new question."""
    user, parent = await _locked_for_asker(session, actor, parent_id)
    if parent.status not in DONE:
        raise NotAnswered()
    if (
        parent.association_id is not None
        and await membership_of(session, user.id, parent.association_id) is None
    ):
        raise NotInAssociation()
    child = Consultation(
        asker_id=user.id,
        association_id=parent.association_id,
        parent_id=parent.id,
        question=clean_question(text),
        created_at=now(),
    )
    session.add(child)
    await session.flush()
    await _attach(session, child, FilePart.QUESTION, attachments)
    expert = await session.get(User, parent.assignee_id) if parent.assignee_id else None
    if expert is not None and expert.forgotten_at is None:
        _assign(child, expert)
        await _tell_assignee(session, child, expert, user, "consultation.follow_up")
    else:
        await _tell_responders(session, child, user)
    await record_activity(
        session, kind="consultation_asked", user_id=user.id, association_id=parent.association_id
    )
    return child


# the FAQ -------------------------------------------------------------------------------
async def publish(session: AsyncSession, actor: Actor, consultation_id: int) -> Consultation:
    """The leader puts an answered question of the association into its FAQ (the asker's
    and the expert's names are not shown there)."""
    consultation = await _get(session, consultation_id)
    if consultation.association_id is None:
        raise NotForFaq()
    await require_association_role(session, actor, consultation.association_id, MemberRole.LEADER)
    consultation = await lock(session, Consultation, consultation_id)
    if consultation.status not in DONE or consultation.answer is None:
        raise NotForFaq()
    consultation.in_faq = True
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="consultation.publish",
        target_type="consultation",
        target_id=consultation.id,
    )
    return consultation


@dataclass(frozen=True, slots=True)
class FaqEntry:
    question: str
    answer: str


async def faq(
    session: AsyncSession, actor: Actor, association_id: int
) -> tuple[str, list[FaqEntry]]:
    """The association's FAQ for its members: its name and the published questions."""
    await require_association_role(session, actor, association_id)
    association = await session.get_one(Association, association_id)
    rows = await session.scalars(
        select(Consultation)
        .where(Consultation.association_id == association_id, Consultation.in_faq.is_(True))
        .order_by(Consultation.answered_at.desc())
        .limit(30)
    )
    return association.name, [FaqEntry(c.question, c.answer or "") for c in rows.all()]


# mentors -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Person:
    user_id: int
    name: str
    mentor: str | None = None


async def _active_members(session: AsyncSession, association_id: int) -> list[User]:
    rows = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.forgotten_at.is_(None),
        )
        .order_by(User.full_name)
    )
    return list(rows.all())


async def young_specialists(
    session: AsyncSession, actor: Actor, association_id: int
) -> list[Person]:
    """The association's young specialists with their mentors (for the leader)."""
    await require_association_role(session, actor, association_id, MemberRole.LEADER)
    mentors = dict(
        (
            await session.execute(
                select(Mentorship.mentee_id, User.full_name)
                .join(User, User.id == Mentorship.mentor_id)
                .where(Mentorship.association_id == association_id)
            )
        ).all()
    )
    return [
        Person(
            u.id, short_name(u.full_name), short_name(mentors[u.id]) if u.id in mentors else None
        )
        for u in await _active_members(session, association_id)
        if u.is_young_specialist
    ]


async def mentor_candidates(
    session: AsyncSession, actor: Actor, association_id: int, mentee_id: int
) -> list[Person]:
    """The members who can mentor this young specialist (experienced, not themselves)."""
    await require_association_role(session, actor, association_id, MemberRole.LEADER)
    return [
        Person(u.id, short_name(u.full_name))
        for u in await _active_members(session, association_id)
        if u.id != mentee_id and not u.is_young_specialist
    ]


async def assign_mentor(
    session: AsyncSession, actor: Actor, *, association_id: int, mentee_id: int, mentor_id: int
) -> tuple[User, User]:
    """The leader assigns (or changes) a young specialist's mentor; both are told."""
    await require_association_role(session, actor, association_id, MemberRole.LEADER)
    await lock(session, Association, association_id)
    mentee, mentor = await session.get(User, mentee_id), await session.get(User, mentor_id)
    if mentee is None or await membership_of(session, mentee_id, association_id) is None:
        raise NotFound()
    if not mentee.is_young_specialist:
        raise NotAYoungSpecialist()
    if (
        mentor is None
        or mentor.id == mentee.id
        or mentor.is_young_specialist
        or await membership_of(session, mentor_id, association_id) is None
    ):
        raise BadMentor()
    existing = await session.scalar(
        select(Mentorship).where(
            Mentorship.association_id == association_id, Mentorship.mentee_id == mentee_id
        )
    )
    if existing is None:
        session.add(
            Mentorship(
                association_id=association_id,
                mentee_id=mentee_id,
                mentor_id=mentor_id,
                assigned_at=now(),
            )
        )
    else:
        existing.mentor_id, existing.assigned_at = mentor_id, now()
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="consultation.mentor",
        target_type="association",
        target_id=association_id,
        mentee_id=mentee_id,
        mentor_id=mentor_id,
    )
    association = await session.get_one(Association, association_id)
    params = {
        "association": association.name,
        "mentee": short_name(mentee.full_name),
        "mentor": short_name(mentor.full_name),
    }
    stamp = int(now().timestamp())
    tell(
        session,
        Notice(
            "consultation.mentor_for_mentee",
            params,
            user=mentee,
            dedupe_key=f"ask:mentor:{association_id}:{mentee_id}:{stamp}:mentee",
        ),
        Notice(
            "consultation.mentor_for_mentor",
            params,
            user=mentor,
            dedupe_key=f"ask:mentor:{association_id}:{mentee_id}:{stamp}:mentor",
        ),
    )
    return mentee, mentor


# timings -------------------------------------------------------------------------------
async def timings(session: AsyncSession, association_id: int) -> tuple[int, int]:
    """Hours to the reminder and to the escalation (the defaults: 24 and 72)."""
    settings = await session.get(ConsultationSettings, association_id)
    if settings is None:
        return REMIND_AFTER_HOURS, ESCALATE_AFTER_HOURS
    return settings.remind_after_hours, settings.escalate_after_hours


async def leader_timings(
    session: AsyncSession, actor: Actor, association_id: int
) -> tuple[str, int, int]:
    """The association's name and timings, for its leader."""
    await require_association_role(session, actor, association_id, MemberRole.LEADER)
    association = await session.get_one(Association, association_id)
    return (association.name, *await timings(session, association_id))


async def set_timings(
    session: AsyncSession, actor: Actor, *, association_id: int, remind: int, escalate: int
) -> None:
    """The leader sets when a question is reminded of and when it is escalated."""
    await require_association_role(session, actor, association_id, MemberRole.LEADER)
    if not 1 <= remind < escalate <= 720:
        raise BadTimings()
    settings = await session.get(ConsultationSettings, association_id)
    if settings is None:
        session.add(
            ConsultationSettings(
                association_id=association_id,
                remind_after_hours=remind,
                escalate_after_hours=escalate,
            )
        )
    else:
        settings.remind_after_hours, settings.escalate_after_hours = remind, escalate
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="consultation.timings",
        target_type="association",
        target_id=association_id,
        remind=remind,
        escalate=escalate,
    )


# the sweeps ----------------------------------------------------------------------------
async def _overdue(session: AsyncSession, *, escalation: bool) -> list[tuple[Consultation, int]]:
    """Open questions past their reminder (or escalation) time, not yet reminded (escalated)."""
    marker = Consultation.escalated_at if escalation else Consultation.reminded_at
    default = ESCALATE_AFTER_HOURS if escalation else REMIND_AFTER_HOURS
    hours = (
        ConsultationSettings.escalate_after_hours
        if escalation
        else ConsultationSettings.remind_after_hours
    )
    rows = await session.execute(
        select(Consultation, func.coalesce(hours, default))
        .outerjoin(
            ConsultationSettings, ConsultationSettings.association_id == Consultation.association_id
        )
        .where(
            Consultation.status.in_(OPEN),
            marker.is_(None),
            Consultation.created_at <= now() - timedelta(hours=1),
        )
        .order_by(Consultation.id)
        .limit(500)
    )
    moment = now()
    return [(c, h) for c, h in rows.all() if c.created_at <= moment - timedelta(hours=h)]


async def remind_unanswered(session: AsyncSession) -> int:
    """The assignee (or, while nobody has taken it, the responders) of each question left
    unanswered past the reminder time is reminded once; returns the questions reminded."""
    due = await _overdue(session, escalation=False)
    for consultation, hours in due:
        consultation.reminded_at = now()
        asker = await session.get_one(User, consultation.asker_id)
        assignee = (
            await session.get(User, consultation.assignee_id) if consultation.assignee_id else None
        )
        people = [assignee] if assignee is not None else await responders(session, consultation)
        params = {**await _params(session, consultation, asker), "hours": hours}
        tell(
            session,
            *(
                Notice(
                    "consultation.reminder",
                    params,
                    user=p,
                    dedupe_key=f"ask:{consultation.id}:remind:{p.id}",
                )
                for p in people
            ),
        )
    return len(due)


async def escalate_unanswered(session: AsyncSession) -> int:
    """Each question left unanswered past the escalation time goes to the association's
    leader (the network's methodists for a network question), once; returns how many."""
    due = await _overdue(session, escalation=True)
    for consultation, hours in due:
        consultation.escalated_at = now()
        asker = await session.get_one(User, consultation.asker_id)
        params = {**await _params(session, consultation, asker), "hours": hours}
        tell(
            session,
            *(
                Notice(
                    "consultation.escalated",
                    params,
                    user=p,
                    dedupe_key=f"ask:{consultation.id}:esc:{p.id}",
                )
                for p in await _escalation_targets(session, consultation)
            ),
        )
    return len(due)


async def _escalation_targets(session: AsyncSession, consultation: Consultation) -> list[User]:
    if consultation.association_id is not None:
        rows = await session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.association_id == consultation.association_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role == MemberRole.LEADER,
            )
        )
    else:
        rows = await session.scalars(
            select(User)
            .join(NetworkRoleGrant, NetworkRoleGrant.user_id == User.id)
            .where(NetworkRoleGrant.role == NetworkRole.METHODIST)
        )
    return [u for u in rows.all() if u.id != consultation.asker_id and u.forgotten_at is None]


async def start_answer(session: AsyncSession, actor: Actor, consultation_id: int) -> QuestionView:
    """Check that the person may answer now (the answer itself is checked again)."""
    view = await question(session, actor, consultation_id)
    consultation = view.consultation
    if not view.may_answer:
        raise PermissionDenied(role=RESPONDERS_TITLE)
    if consultation.status in DONE:
        raise AlreadyAnswered()
    user = await require_registered(session, actor)
    mine = consultation.assignee_id in (None, user.id)
    if not mine and not await may_take_over(session, actor, user, consultation):
        raise AlreadyTaken(name=view.assignee or "—")
    return view


async def may_take_over(
    session: AsyncSession, actor: Actor, user: User, consultation: Consultation
) -> bool:
    """Whether the person may take an escalated question from its assignee: the one it was
    escalated to (the association's leader; a methodist for a network question)."""
    if consultation.escalated_at is None or consultation.assignee_id == user.id:
        return False
    if consultation.association_id is not None:
        return await _leads(session, actor, user, consultation.association_id)
    return actor.is_platform_admin or NetworkRole.METHODIST in await network_roles(session, user.id)


async def answered_questions(
    session: AsyncSession, actor: Actor, association_id: int, *, limit: int = 20
) -> list[Consultation]:
    """The association's answered questions not yet in the FAQ, newest first (the leader's)."""
    await require_association_role(session, actor, association_id, MemberRole.LEADER)
    rows = await session.scalars(
        select(Consultation)
        .where(
            Consultation.association_id == association_id,
            Consultation.status.in_(DONE),
            Consultation.in_faq.is_(False),
        )
        .order_by(Consultation.answered_at.desc())
        .limit(limit)
    )
    return list(rows.all())
