"""Questionnaires: building one, inviting, answering step by step, results.

Who may build: an association's leader or administrator (for its members), a network
methodist (for an association or a network segment), a platform administrator. Every
action is checked when it is performed. A respondent answers in private chat; the
answers given so far wait on the invitation (`draft`) until the response is submitted.

Anonymity: a response of an anonymous survey is stored with no person, a random id and
the day only; the invitation keeps only `answered` (no time, no answers). The activity
event of an anonymous answer names the association, not the person.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, MemberRole, Membership, MembershipStatus, NetworkRole, User
from models.meetings import Meeting, MeetingAttendance, MeetingRsvp, MeetingStatus, RsvpAnswer
from models.surveys import (
    QuestionKind,
    Survey,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
    SurveyTemplate,
)
from services import audience as audiences
from services.access import (
    Actor,
    network_roles,
    require_association_role,
    require_network_role,
    require_registered,
    role_holder,
)
from services.audit import audit, record_activity
from services.clock import now
from services.errors import DomainError, InvalidInput, NotFound
from services.locks import lock
from services.notices import Notice, tell
from services.survey_templates import TEMPLATES
from services.texts import N_

MAX_TEXT = 2000
MAX_QUESTION = 500
MAX_TITLE = 200
MAX_OPTION = 100
MAX_OPTIONS = 10
MAX_QUESTIONS = 30
MAX_OPEN_DAYS = 366
FEEDBACK_DAYS = 3  # a meeting's feedback survey stays open this long
INVITE_PAGE = 250  # invitations per transaction (services.newsletters.FANOUT_PAGE's reason)
FEEDBACK_WINDOW = timedelta(days=7)  # meetings held longer ago are not asked about
REMIND_BEFORE = timedelta(days=1)
MIN_BATCH = 3  # sealed anonymous responses stored together while a survey is open
MANAGERS = (MemberRole.LEADER, MemberRole.ADMINISTRATOR)


class SurveyNotOpen(DomainError):
    message = N_("This survey is not open for answers.")


class AlreadyAnswered(DomainError):
    message = N_("You have already answered this survey. Thank you!")


class NotInvited(DomainError):
    message = N_("This survey is not addressed to you.")


class NotEditable(DomainError):
    message = N_("The questions can be changed only before the survey opens.")


class NoQuestions(DomainError):
    message = N_("Add at least one question before opening the survey.")


class AnswerRequired(InvalidInput):
    message = N_("This question is required. Please answer it.")


class AnswerTooLong(InvalidInput):
    message = N_("The answer is too long: at most {limit} characters, please.")


class NotAnOption(InvalidInput):
    message = N_("Please choose one of the offered options.")


class BadQuestion(InvalidInput):
    message = N_("The question must be 1 to {limit} characters long.")


class BadOptions(InvalidInput):
    message = N_("Please give 2 to {count} options, one per line, each at most {limit} characters.")


class BadDates(InvalidInput):
    message = N_("The survey must close after it opens, in the future and within a year.")


class TooManyQuestions(InvalidInput):
    message = N_("A survey has at most {limit} questions.")


class NobodyToAsk(DomainError):
    message = N_("Nobody matches this audience: there is nobody to send the survey to.")


@dataclass(frozen=True, slots=True)
class AuthorScope:
    """Where the person may address a survey."""

    associations: list[Association]
    network: bool  # a methodist (or administrator): network segments too


@dataclass(frozen=True, slots=True)
class SurveyScreen:
    survey: Survey
    questions: list[SurveyQuestion]
    association: Association | None
    invited: int
    answered: int


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """A survey as its respondent answers it."""

    survey: Survey
    questions: list[SurveyQuestion]
    answers: dict[str, Any]

    def next_index(self) -> int:
        """The first question not yet answered (or skipped), or len(questions)."""
        for index, question in enumerate(self.questions):
            if str(question.id) not in self.answers:
                return index
        return len(self.questions)


@dataclass(slots=True)
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    counts: list[int] = field(default_factory=list)  # per option, or per score 1–5
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ResponseRow:
    respondent: str | None  # a named survey's respondent, None when anonymous
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Results:
    survey: Survey
    association: Association | None
    invited: int
    questions: list[QuestionResult]
    rows: list[ResponseRow]
    sealed: int = 0  # anonymous answers given but not stored yet (fewer than MIN_BATCH)


@dataclass(frozen=True, slots=True)
class SurveyMenu:
    to_answer: list[tuple[Survey, bool]]  # (survey, answering already started)
    mine: list[Survey]
    can_build: bool


async def survey_menu(session: AsyncSession, actor: Actor) -> SurveyMenu:
    """What /survey shows the person: surveys waiting for their answer, the ones they
    built, and whether they may build one."""
    scope = await author_scope(session, actor)
    return SurveyMenu(
        to_answer=await to_answer(session, actor),
        mine=await my_surveys(session, actor, scope),
        can_build=scope.network or bool(scope.associations),
    )


# ---- building ---------------------------------------------------------------------------


async def author_scope(session: AsyncSession, actor: Actor) -> AuthorScope:
    """The associations the person leads or administers (offered as audiences; a list of
    every association would not fit under a message), and whether network segments too
    (methodists, platform administrators)."""
    user = await require_registered(session, actor)
    network = actor.is_platform_admin or NetworkRole.METHODIST in await network_roles(
        session, user.id
    )
    query = (
        select(Association)
        .join(Membership, Membership.association_id == Association.id)
        .where(
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role.in_(MANAGERS),
        )
        .order_by(Association.name)
    )
    associations = list((await session.scalars(query)).all())
    return AuthorScope(associations=associations, network=network)


def _check_dates(opens_at: datetime | None, closes_at: datetime) -> None:
    start = opens_at or now()
    if closes_at <= max(start, now()) or closes_at - start > timedelta(days=MAX_OPEN_DAYS):
        raise BadDates()


async def create_survey(
    session: AsyncSession,
    actor: Actor,
    *,
    template: SurveyTemplate,
    association_id: int | None,
    audience: audiences.Audience | None,
    anonymous: bool,
    closes_at: datetime,
    opens_at: datetime | None = None,
    title: str | None = None,
) -> Survey:
    """A draft survey with the template's questions copied in (editable until it opens).

    `association_id` addresses its members (its leader, administrator or a methodist);
    otherwise `audience` is a network segment (methodists only)."""
    if association_id is not None:
        user = await require_association_role(session, actor, association_id, *MANAGERS)
        audience = None
    else:
        user = await require_network_role(session, actor, NetworkRole.METHODIST)
        audience = audience or audiences.Audience()
    _check_dates(opens_at, closes_at)
    model = TEMPLATES[template]
    survey = Survey(
        author_user_id=user.id,
        association_id=association_id,
        audience=audience.to_json() if audience else {},
        template=template,
        title=clean_title(title) if title else model.title,
        title_builtin=not title,
        anonymous=anonymous,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    session.add(survey)
    await session.flush()
    _copy_questions(session, survey, template)
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="survey.create",
        target_type="survey",
        target_id=survey.id,
        template=template.value,
    )
    return survey


def _copy_questions(session: AsyncSession, survey: Survey, template: SurveyTemplate) -> None:
    for position, question in enumerate(TEMPLATES[template].questions):
        session.add(
            SurveyQuestion(
                survey_id=survey.id,
                position=position,
                kind=question.kind,
                text=question.text,
                options=list(question.options),
                required=question.required,
                builtin=True,
            )
        )


async def _manage(session: AsyncSession, actor: Actor, survey_id: int) -> Survey:
    """The survey, if the actor may manage it now: the association's leader or administrator
    (for a network survey: a methodist); platform administrators always. Its author too only
    while holding that role."""
    survey = await session.get(Survey, survey_id)
    if survey is None:
        raise NotFound()
    if survey.association_id is not None:
        await require_association_role(session, actor, survey.association_id, *MANAGERS)
    else:
        await require_network_role(session, actor, NetworkRole.METHODIST)
    return survey


async def _questions(session: AsyncSession, survey_id: int) -> list[SurveyQuestion]:
    rows = await session.scalars(
        select(SurveyQuestion)
        .where(SurveyQuestion.survey_id == survey_id)
        .order_by(SurveyQuestion.position, SurveyQuestion.id)
    )
    return list(rows.all())


async def survey_screen(session: AsyncSession, actor: Actor, survey_id: int) -> SurveyScreen:
    """The survey as its manager sees it: questions, status, how many answered."""
    survey = await _manage(session, actor, survey_id)
    invited, answered = (
        await session.execute(
            select(
                func.count(SurveyInvitation.id),
                func.count(SurveyInvitation.id).filter(SurveyInvitation.answered.is_(True)),
            ).where(SurveyInvitation.survey_id == survey.id)
        )
    ).one()
    association = (
        await session.get(Association, survey.association_id) if survey.association_id else None
    )
    return SurveyScreen(
        survey, await _questions(session, survey.id), association, invited, answered
    )


async def my_surveys(
    session: AsyncSession, actor: Actor, scope: AuthorScope | None = None
) -> list[Survey]:
    """The surveys the person built, and those of the associations they lead or administer
    (the feedback after meetings among them); newest first."""
    user = await require_registered(session, actor)
    scope = scope or await author_scope(session, actor)
    mine = Survey.author_user_id == user.id
    if scope.associations:
        mine = mine | Survey.association_id.in_([a.id for a in scope.associations])
    rows = await session.scalars(select(Survey).where(mine).order_by(Survey.id.desc()).limit(20))
    return list(rows.all())


def _editable(survey: Survey) -> None:
    if survey.status not in (SurveyStatus.DRAFT, SurveyStatus.SCHEDULED):
        raise NotEditable()


class BadTitle(InvalidInput):
    message = N_("The title must be 1 to {limit} characters long.")


def clean_title(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > MAX_TITLE:
        raise BadTitle(limit=MAX_TITLE)
    return cleaned


def clean_question(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > MAX_QUESTION:
        raise BadQuestion(limit=MAX_QUESTION)
    return cleaned


def clean_options(text: str) -> list[str]:
    """Options typed one per line (empty lines ignored)."""
    options = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not 2 <= len(options) <= MAX_OPTIONS or any(len(o) > MAX_OPTION for o in options):
        raise BadOptions(count=MAX_OPTIONS, limit=MAX_OPTION)
    return options


async def add_question(
    session: AsyncSession,
    actor: Actor,
    survey_id: int,
    *,
    kind: QuestionKind,
    text: str,
    options: Sequence[str] = (),
    required: bool = True,
) -> SurveyQuestion:
    """A question of the author's own at the end of a survey that has not opened yet."""
    survey = await _manage(session, actor, survey_id)
    _editable(survey)
    existing = await _questions(session, survey.id)
    if len(existing) >= MAX_QUESTIONS:
        raise TooManyQuestions(limit=MAX_QUESTIONS)
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        options = clean_options("\n".join(options))
    else:
        options = []
    question = SurveyQuestion(
        survey_id=survey.id,
        position=max((q.position for q in existing), default=-1) + 1,
        kind=kind,
        text=clean_question(text),
        options=list(options),
        required=required,
    )
    session.add(question)
    await session.flush()
    await _audit_edit(session, actor, survey.id, "survey.question_add", question.id)
    return question


async def _audit_edit(
    session: AsyncSession, actor: Actor, survey_id: int, action: str, question_id: int
) -> None:
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action=action,
        target_type="survey",
        target_id=survey_id,
        question_id=question_id,
    )


async def _own_question(session: AsyncSession, actor: Actor, question_id: int) -> SurveyQuestion:
    question = await session.get(SurveyQuestion, question_id)
    if question is None:
        raise NotFound()
    _editable(await _manage(session, actor, question.survey_id))
    return question


async def question_for_author(
    session: AsyncSession, actor: Actor, question_id: int
) -> SurveyQuestion:
    """A question of a survey the actor manages and may still change."""
    return await _own_question(session, actor, question_id)


async def delete_question(session: AsyncSession, actor: Actor, question_id: int) -> int:
    """Remove a question; returns its survey's id."""
    question = await _own_question(session, actor, question_id)
    await session.delete(question)
    await session.flush()
    await _audit_edit(session, actor, question.survey_id, "survey.question_delete", question_id)
    return question.survey_id


async def toggle_required(session: AsyncSession, actor: Actor, question_id: int) -> SurveyQuestion:
    question = await _own_question(session, actor, question_id)
    question.required = not question.required
    await _audit_edit(session, actor, question.survey_id, "survey.question_required", question_id)
    return question


async def reword_question(
    session: AsyncSession, actor: Actor, question_id: int, *, text: str, options: Sequence[str]
) -> SurveyQuestion:
    """The author's own wording of a question (`options`: the current options as the author
    reads them, so a copied question stops being the template's)."""
    question = await _own_question(session, actor, question_id)
    question.text = clean_question(text)
    if question.options:
        question.options = clean_options("\n".join(options))
    question.builtin = False
    await _audit_edit(session, actor, question.survey_id, "survey.question_reword", question_id)
    return question


# ---- opening, inviting, closing ---------------------------------------------------------


def _audience(survey: Survey) -> audiences.Audience:
    if survey.association_id is not None:
        return audiences.Audience(associations=(survey.association_id,), official=True)
    return audiences.Audience.from_json(survey.audience)


async def invite_next_page(session: AsyncSession, survey: Survey) -> int:
    """Invite the next `INVITE_PAGE` people of an open survey's audience; returns how many.
    A network-wide survey (100,000 teachers) is invited a page per transaction: the press
    that opens it invites the first, the sweep the rest, and closing stops the pages."""
    people = await audiences.claim_page(
        session,
        survey,
        _audience(survey),
        cursor=Survey.invite_after_user_id,
        finished=Survey.invited_all_at,
        size=INVITE_PAGE,
        only_while=(Survey.status == SurveyStatus.OPEN,),
    )
    return 0 if people is None else await _invite(session, survey, [p.id for p in people])


async def invite_pages(session: AsyncSession) -> int:
    """The sweep "survey-invitations": a page more for each open survey still inviting."""
    inviting = await session.scalars(
        select(Survey).where(Survey.status == SurveyStatus.OPEN, Survey.invited_all_at.is_(None))
    )
    return sum([await invite_next_page(session, survey) for survey in inviting.all()])


async def _invite(session: AsyncSession, survey: Survey, user_ids: Sequence[int]) -> int:
    """Invitations (rows and notices) for those not yet invited; returns how many."""
    known = set(
        (
            await session.scalars(
                select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == survey.id)
            )
        ).all()
    )
    new = [user_id for user_id in user_ids if user_id not in known]
    for user_id in new:
        session.add(SurveyInvitation(survey_id=survey.id, user_id=user_id))
    people = (await session.scalars(select(User).where(User.id.in_(new)))).all() if new else []
    for person in people:
        tell(
            session,
            Notice(
                "survey.invitation",
                _notice_params(survey),
                user=person,
                dedupe_key=f"srv:{survey.id}:inv:{person.id}",
                batch=f"srv:{survey.id}",
            ),
        )
    return len(new)


def _notice_params(survey: Survey) -> dict[str, Any]:
    return {"survey": survey, "survey_id": survey.id, "closes_at": survey.closes_at}


async def _open_now(session: AsyncSession, survey: Survey) -> int:
    if not await audiences.count(session, _audience(survey)):
        raise NobodyToAsk()
    survey.status = SurveyStatus.OPEN
    survey.opens_at = now()
    return await invite_next_page(session, survey)


async def open_survey(session: AsyncSession, actor: Actor, survey_id: int) -> Survey:
    """Open the survey now (inviting everyone in its audience), or schedule it for its
    opening date."""
    survey = await _manage(session, actor, survey_id)
    await lock(session, Survey, survey.id)
    if survey.status is not SurveyStatus.DRAFT:
        raise NotEditable()
    if not await _questions(session, survey.id):
        raise NoQuestions()
    _check_dates(survey.opens_at, survey.closes_at)
    if survey.opens_at is not None and survey.opens_at > now():
        survey.status = SurveyStatus.SCHEDULED
    else:
        await _open_now(session, survey)
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="survey.open",
        target_type="survey",
        target_id=survey.id,
        status=survey.status.value,
    )
    return survey


async def close_survey(session: AsyncSession, actor: Actor, survey_id: int) -> Survey:
    """Stop accepting answers now."""
    survey = await _manage(session, actor, survey_id)
    await lock(session, Survey, survey.id)
    if survey.status is not SurveyStatus.OPEN:
        raise SurveyNotOpen()
    survey.status = SurveyStatus.CLOSED
    survey.closes_at = min(survey.closes_at, now())
    await publish_sealed(session, survey_id=survey.id)
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="survey.close",
        target_type="survey",
        target_id=survey.id,
    )
    return survey


# ---- answering --------------------------------------------------------------------------


async def to_answer(session: AsyncSession, actor: Actor) -> list[tuple[Survey, bool]]:
    """Open surveys the person is asked to answer and has not: (survey, started)."""
    user = await require_registered(session, actor)
    rows = await session.execute(
        select(Survey, SurveyInvitation.draft)
        .join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
        .where(
            SurveyInvitation.user_id == user.id,
            SurveyInvitation.answered.is_(False),
            Survey.status == SurveyStatus.OPEN,
        )
        .order_by(Survey.closes_at)
    )
    return [(survey, bool(draft)) for survey, draft in rows.all()]


async def _invitation(
    session: AsyncSession, actor: Actor, survey_id: int
) -> tuple[Survey, SurveyInvitation]:
    user = await require_registered(session, actor)
    survey = await session.get(Survey, survey_id)
    if survey is None:
        raise NotFound()
    invitation = await session.scalar(
        select(SurveyInvitation).where(
            SurveyInvitation.survey_id == survey_id, SurveyInvitation.user_id == user.id
        )
    )
    if invitation is None:
        raise NotInvited()
    if invitation.answered:
        raise AlreadyAnswered()
    if survey.status is not SurveyStatus.OPEN or survey.closes_at <= now():
        raise SurveyNotOpen()
    return survey, invitation


async def questionnaire(session: AsyncSession, actor: Actor, survey_id: int) -> Questionnaire:
    """The survey to answer, with the answers given so far (to resume where one stopped)."""
    survey, invitation = await _invitation(session, actor, survey_id)
    answers = dict((invitation.draft or {}).get("answers", {}))
    return Questionnaire(survey, await _questions(session, survey.id), answers)


def clean_answer(question: SurveyQuestion, raw: str | list[str] | None) -> Any:
    """The stored form of an answer: an option index, a list of them, a score, a text, or
    None (skipped, for an optional question)."""
    if raw is None or raw == [] or raw == "":
        if question.required:
            raise AnswerRequired()
        return None
    if question.kind is QuestionKind.TEXT:
        text = str(raw).strip()
        if not text:
            raise AnswerRequired()
        if len(text) > MAX_TEXT:
            raise AnswerTooLong(limit=MAX_TEXT)
        return text
    if question.kind is QuestionKind.SCALE:
        return _index(raw, range(1, 6))
    if question.kind is QuestionKind.SINGLE:
        return _index(raw, range(len(question.options)))
    values = raw if isinstance(raw, list) else [raw]
    return sorted({_index(value, range(len(question.options))) for value in values})


def _index(raw: object, allowed: range) -> int:
    text = str(raw)
    if not text.isdigit() or int(text) not in allowed:
        raise NotAnOption()
    return int(text)


async def save_answer(
    session: AsyncSession,
    actor: Actor,
    survey_id: int,
    *,
    question_id: int,
    raw: str | list[str] | None,
) -> Questionnaire:
    """Keep one answer with the others given so far (the person may stop and resume)."""
    survey, invitation = await _invitation(session, actor, survey_id)
    questions = await _questions(session, survey.id)
    question = next((q for q in questions if q.id == question_id), None)
    if question is None:
        raise NotFound()
    answers = dict((invitation.draft or {}).get("answers", {}))
    answers[str(question.id)] = clean_answer(question, raw)
    invitation.draft = {"answers": answers}
    return Questionnaire(survey, questions, answers)


async def restart_answers(session: AsyncSession, actor: Actor, survey_id: int) -> Questionnaire:
    """Forget the answers given so far, to answer again from the first question."""
    survey, invitation = await _invitation(session, actor, survey_id)
    invitation.draft = None
    return Questionnaire(survey, await _questions(session, survey.id), {})


async def submit(session: AsyncSession, actor: Actor, survey_id: int) -> Survey:
    """Take the response. Named: stored at once with the person. Anonymous: sealed on the
    invitation (the person can no longer change it) and stored later among others by
    `publish_sealed`, so neither the order of rows nor the transaction that wrote them pairs
    a response with its respondent; the invitation keeps only the bare mark."""
    survey, invitation = await _invitation(session, actor, survey_id)
    questions = await _questions(session, survey.id)
    answers = dict((invitation.draft or {}).get("answers", {}))
    for question in questions:
        clean_answer(question, answers.get(str(question.id)))  # required ones are there
    kept = {str(q.id): answers.get(str(q.id)) for q in questions}
    invitation.answered = True
    if survey.anonymous:
        invitation.draft = {"sealed": kept}
    else:
        invitation.draft = None
        session.add(_response(survey.id, kept, user_id=invitation.user_id))
    await record_activity(
        session,
        kind="survey.answered",
        user_id=None if survey.anonymous else invitation.user_id,
        association_id=survey.association_id,
    )
    return survey


def _response(survey_id: int, answers: dict[str, Any], *, user_id: int | None) -> SurveyResponse:
    return SurveyResponse(
        id=secrets.randbelow(2**62) + 1,  # random: no sequence to follow
        survey_id=survey_id,
        user_id=user_id,
        submitted_on=now().date(),
        answers=answers,
    )


async def publish_sealed(session: AsyncSession, *, survey_id: int | None = None) -> int:
    """Store the sealed anonymous responses as unlinked rows, shuffled, at least MIN_BATCH
    at a time while the survey is open (all of them once it is closed); returns how many."""
    query = select(SurveyInvitation, Survey).join(Survey, Survey.id == SurveyInvitation.survey_id)
    query = query.where(SurveyInvitation.answered.is_(True), SurveyInvitation.draft.is_not(None))
    if survey_id is not None:
        query = query.where(Survey.id == survey_id)
    waiting: dict[int, list[SurveyInvitation]] = {}
    surveys_by_id: dict[int, Survey] = {}
    for invitation, survey in (await session.execute(query)).all():
        waiting.setdefault(survey.id, []).append(invitation)
        surveys_by_id[survey.id] = survey
    published = 0
    for key, invitations in waiting.items():
        survey = surveys_by_id[key]
        still_open = survey.status is SurveyStatus.OPEN and survey.closes_at > now()
        if still_open and len(invitations) < MIN_BATCH:
            continue
        secrets.SystemRandom().shuffle(invitations)
        for invitation in invitations:
            sealed = (invitation.draft or {}).get("sealed")
            invitation.draft = None
            if sealed is not None:
                session.add(_response(survey.id, sealed, user_id=None))
                published += 1
    return published


# ---- results ----------------------------------------------------------------------------


async def results(session: AsyncSession, actor: Actor, survey_id: int) -> Results:
    """Counts, percentages' bases, means and free-text answers per question, and the rows
    for the CSV (with names only for a named survey)."""
    survey = await _manage(session, actor, survey_id)
    await publish_sealed(session, survey_id=survey.id)
    questions = await _questions(session, survey.id)
    responses = (
        await session.scalars(
            select(SurveyResponse)
            .where(SurveyResponse.survey_id == survey.id)
            .order_by(SurveyResponse.id)
        )
    ).all()
    names: dict[int, str] = {}
    if not survey.anonymous:
        ids = [r.user_id for r in responses if r.user_id is not None]
        found = await session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
        names = {user_id: name or "" for user_id, name in found.all()}
    tallies = [_tally(q, [r.answers.get(str(q.id)) for r in responses]) for q in questions]
    invited = await session.scalar(
        select(func.count(SurveyInvitation.id)).where(SurveyInvitation.survey_id == survey.id)
    )
    association = (
        await session.get(Association, survey.association_id) if survey.association_id else None
    )
    rows = [
        ResponseRow(names.get(r.user_id) if r.user_id is not None else None, r.answers)
        for r in responses
    ]
    if not survey.anonymous:
        rows.sort(key=lambda row: row.respondent or "")
    sealed = await session.scalar(
        select(func.count(SurveyInvitation.id)).where(
            SurveyInvitation.survey_id == survey.id,
            SurveyInvitation.answered.is_(True),
            SurveyInvitation.draft.is_not(None),
        )
    )
    return Results(survey, association, invited or 0, tallies, rows, sealed or 0)


def _tally(question: SurveyQuestion, answers: list[Any]) -> QuestionResult:
    given = [a for a in answers if a is not None]
    result = QuestionResult(question, answered=len(given))
    if question.kind is QuestionKind.TEXT:
        result.texts = sorted(str(a) for a in given)
    elif question.kind is QuestionKind.SCALE:
        result.counts = [sum(1 for a in given if a == score) for score in range(1, 6)]
        result.mean = sum(given) / len(given) if given else None
    else:
        chosen = [a if isinstance(a, list) else [a] for a in given]
        result.counts = [
            sum(1 for picks in chosen if index in picks) for index in range(len(question.options))
        ]
    return result


# ---- sweeps -----------------------------------------------------------------------------


async def open_due(session: AsyncSession) -> int:
    """Open the scheduled surveys whose opening time has come; returns how many."""
    due = (
        await session.scalars(
            select(Survey).where(Survey.status == SurveyStatus.SCHEDULED, Survey.opens_at <= now())
        )
    ).all()
    for survey in due:
        if await audiences.count(session, _audience(survey)):
            await _open_now(session, survey)
        else:
            survey.status = SurveyStatus.CLOSED
    return len(due)


def _remind_at(survey: Survey) -> datetime:
    opened = survey.opens_at or survey.created_at
    return max(survey.closes_at - REMIND_BEFORE, opened + (survey.closes_at - opened) / 2)


async def remind_due(session: AsyncSession) -> int:
    """One reminder to each invited person who has not answered, a day before the close
    (halfway through a shorter survey); returns how many were reminded."""
    surveys = (
        await session.scalars(
            select(Survey).where(Survey.status == SurveyStatus.OPEN, Survey.reminded.is_(False))
        )
    ).all()
    told = 0
    for survey in surveys:
        if now() < _remind_at(survey):
            continue
        survey.reminded = True
        pending = await session.execute(
            select(SurveyInvitation, User)
            .join(User, User.id == SurveyInvitation.user_id)
            .where(
                SurveyInvitation.survey_id == survey.id,
                SurveyInvitation.answered.is_(False),
                SurveyInvitation.reminded.is_(False),
            )
        )
        for invitation, person in pending.all():
            invitation.reminded = True
            told += 1
            tell(
                session,
                Notice(
                    "survey.reminder",
                    _notice_params(survey),
                    user=person,
                    dedupe_key=f"srv:{survey.id}:rem:{person.id}",
                    batch=f"srv:{survey.id}",
                ),
            )
    return told


async def close_due(session: AsyncSession) -> int:
    """Close the open surveys whose time is up and tell their authors; returns how many."""
    due = (
        await session.scalars(
            select(Survey).where(Survey.status == SurveyStatus.OPEN, Survey.closes_at <= now())
        )
    ).all()
    for survey in due:
        survey.status = SurveyStatus.CLOSED
        author = await session.get(User, survey.author_user_id) if survey.author_user_id else None
        if author is not None:
            answered = await session.scalar(
                select(func.count(SurveyInvitation.id)).where(
                    SurveyInvitation.survey_id == survey.id, SurveyInvitation.answered.is_(True)
                )
            )
            tell(
                session,
                Notice(
                    "survey.closed",
                    {**_notice_params(survey), "answered": answered or 0},
                    user=author,
                    dedupe_key=f"srv:{survey.id}:closed",
                ),
            )
    return len(due)


async def offer_meeting_feedback(session: AsyncSession) -> int:
    """A feedback survey (anonymous, open for three days) for each meeting held within the
    last week that has none, sent to those who attended or said they would come."""
    moment = now()
    asked = select(Survey.meeting_id).where(Survey.meeting_id.is_not(None))
    meetings = (
        await session.scalars(
            select(Meeting).where(
                Meeting.status != MeetingStatus.CANCELLED,
                Meeting.starts_at >= moment - FEEDBACK_WINDOW,
                Meeting.starts_at <= moment,
                Meeting.id.not_in(asked),
            )
        )
    ).all()
    created = 0
    for meeting in meetings:
        if meeting.starts_at + timedelta(minutes=meeting.duration_minutes) > moment:
            continue  # still going on
        participants = await _participants(session, meeting.id)
        if not participants:
            continue
        survey = await _feedback_survey(session, meeting)
        await _invite(session, survey, participants)
        created += 1
    return created


async def _participants(session: AsyncSession, meeting_id: int) -> list[int]:
    attended = select(MeetingAttendance.user_id).where(MeetingAttendance.meeting_id == meeting_id)
    going = select(MeetingRsvp.user_id).where(
        MeetingRsvp.meeting_id == meeting_id, MeetingRsvp.answer == RsvpAnswer.GOING
    )
    rows = await session.scalars(
        select(User.id)
        .where(
            User.id.in_(attended.union(going)),
            User.telegram_id.is_not(None),
            User.forgotten_at.is_(None),
        )
        .order_by(User.id)
    )
    return list(rows.all())


async def _feedback_survey(session: AsyncSession, meeting: Meeting) -> Survey:
    author = meeting.created_by_user_id
    if author is None:
        leader = await role_holder(session, meeting.association_id, MemberRole.LEADER)
        author = leader.id if leader is not None else None
    survey = Survey(
        author_user_id=author,
        association_id=meeting.association_id,
        template=SurveyTemplate.FEEDBACK,
        title=meeting.topic[:200],
        title_builtin=False,
        anonymous=True,
        status=SurveyStatus.OPEN,
        opens_at=now(),
        closes_at=now() + timedelta(days=FEEDBACK_DAYS),
        meeting_id=meeting.id,
        invited_all_at=now(),  # its participants are invited at once, not its audience
    )
    session.add(survey)
    await session.flush()
    _copy_questions(session, survey, SurveyTemplate.FEEDBACK)
    return survey
