"""Nominations (выдвижение на поощрение): the leader picks members from the ranking, writes
a justification for each, and the list goes as a PDF to the association's approver(s).

The list is stored (`nominations`, `nomination_entries`) with each member's activity as it
was when sent, so the PDF downloaded again later is the same document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from documents.data import AssociationInfo, Person
from documents.nominations import NominationData, Nominee, build_nomination_list
from models import Association, User
from models.nominations import Nomination, NominationEntry
from services.access import Actor
from services.activity import DEFAULT_WEIGHTS, FORM_TITLES, Counts, Form, Period, held_meetings
from services.catalogs import position_title
from services.clock import academic_year_start, now
from services.errors import DomainError, InvalidInput, NotFound
from services.notices import Notice, tell
from services.offload import offload
from services.outbox import store_file
from services.ranking import (
    Place,
    Span,
    approvers,
    member_counts,
    period_of,
    require_leader,
    require_viewer,
    today_in,
)
from services.texts import T_

MAX_NOMINEES = 20
NOTICE = "activity.nomination"
Words = Callable[[str], str]  # a catalogue key into the document's Russian


class BadJustification(InvalidInput):
    message = T_("Please write the justification in 5 to 600 characters.")


class NoApprover(DomainError):
    message = T_(
        "The association has no approver to send the list to: set the approver in the "
        "plan's route (/plan → «🧭 Route») or ask the administrator to grant the role."
    )


class TooManyNominees(InvalidInput):
    message = T_("A list may have at most {limit} members.")


class NotAMember(DomainError):
    message = T_("{name} is no longer a member of the association.")


def clean_justification(text: str) -> str:
    value = " ".join(text.split())
    if not 5 <= len(value) <= 600:
        raise BadJustification()
    return value


def activity_summary(counts: Counts, held: int, words: Words, of: str = "из") -> str:
    """«посещение заседаний — 5 из 6; материалы в копилке — 1» (the forms used, in order)."""
    parts = []
    for form in Form:
        n = counts.by_form.get(form, 0)
        if not n:
            continue
        amount = f"{n}\u00a0{of}\u00a0{held}" if form is Form.MEETINGS and held else str(n)
        parts.append(f"{words(FORM_TITLES[form])} — {amount}")
    return "; ".join(parts) or "—"


@dataclass(frozen=True, slots=True)
class Candidates:
    association: Association
    leader: User
    span: Span
    period: Period
    held: int
    places: list[Place]  # the members who may be nominated, best first


async def candidates(
    session: AsyncSession,
    *,
    actor: Actor,
    association_id: int,
    span: Span = Span.YEAR,
    weights: Mapping[Form, float] = DEFAULT_WEIGHTS,
) -> Candidates:
    """The members the leader may nominate (everyone but the leader), in ranking order."""
    association, leader = await require_leader(session, actor=actor, association_id=association_id)
    period = period_of(span, today_in(association), association.timezone)
    everyone = await member_counts(session, association_id, period, weights)
    start, end = period.bounds()
    held = await held_meetings(session, start=start, end=end, association_ids=[association_id])
    places = [p for p in everyone if p.user.id != leader.id]
    return Candidates(association, leader, span, period, held[association_id], places)


@dataclass(frozen=True, slots=True)
class Sent:
    nomination: Nomination
    filename: str
    content: bytes
    approvers: list[User]


def _filename(nomination: Nomination) -> str:
    return f"predstavlenie-k-pooshchreniyu-{nomination.id}.pdf"


async def _document(
    session: AsyncSession, nomination: Nomination, association: Association, words: Words
) -> bytes:
    rows = await session.execute(
        select(NominationEntry, User)
        .join(User, User.id == NominationEntry.user_id)
        .where(NominationEntry.nomination_id == nomination.id)
        .order_by(NominationEntry.position, NominationEntry.id)
    )
    leader = (
        await session.get(User, nomination.created_by_user_id)
        if nomination.created_by_user_id
        else None
    )
    number = await session.scalar(
        select(func.count())
        .select_from(Nomination)
        .where(Nomination.association_id == association.id, Nomination.id <= nomination.id)
    )
    data = NominationData(
        association=AssociationInfo(
            name=association.name,
            kind=association.kind.value,
            organisation=association.organisation or "",
        ),
        academic_year=nomination.academic_year,
        issued_on=(nomination.sent_at or nomination.created_at).date(),
        number=number or 1,
        nominees=[
            Nominee(
                full_name=user.full_name or "",
                position=words(position_title(user.position or "")),
                organisation=user.organisation or "",
                justification=entry.justification,
                activity=entry.activity,
            )
            for entry, user in rows.all()
        ],
        leader=Person(full_name=leader.full_name or "") if leader and leader.full_name else None,
    )
    return await offload(build_nomination_list, data)


async def send(
    session: AsyncSession,
    *,
    actor: Actor,
    association_id: int,
    entries: Sequence[tuple[int, str]],
    span: Span = Span.YEAR,
    words: Words,
    weights: Mapping[Form, float] = DEFAULT_WEIGHTS,
) -> Sent:
    """Store the list (user id, justification) and send its PDF to the approver(s)."""
    found = await candidates(
        session, actor=actor, association_id=association_id, span=span, weights=weights
    )
    association = found.association
    if not entries:
        raise NotFound()
    if len(entries) > MAX_NOMINEES:
        raise TooManyNominees(limit=MAX_NOMINEES)
    people = await approvers(session, association_id)
    if not people:
        raise NoApprover()
    places = {p.user.id: p for p in found.places}
    nomination = Nomination(
        association_id=association_id,
        academic_year=academic_year_start(found.period.start),
        created_by_user_id=found.leader.id,
        sent_at=now(),
    )
    session.add(nomination)
    await session.flush()
    for position, (user_id, justification) in enumerate(entries):
        place = places.get(user_id)
        if place is None:
            user = await session.get(User, user_id)
            raise NotAMember(name=(user.full_name if user else "") or "—")
        session.add(
            NominationEntry(
                nomination_id=nomination.id,
                user_id=user_id,
                position=position,
                justification=clean_justification(justification),
                activity=activity_summary(place.counts, found.held, words),
            )
        )
    await session.flush()
    content = await _document(session, nomination, association, words)
    stored = await store_file(
        session, filename=_filename(nomination), mime_type="application/pdf", content=content
    )
    tell(
        session,
        *(
            Notice(
                NOTICE,
                {
                    "association_id": association_id,
                    "name": association.name,
                    "leader": found.leader.full_name or "",
                    "count": len(entries),
                },
                user=person,
                file_id=stored.id,
                dedupe_key=f"nomination:{nomination.id}:{person.id}",
            )
            for person in people
        ),
    )
    return Sent(nomination, _filename(nomination), content, people)


@dataclass(frozen=True, slots=True)
class PastList:
    nomination: Nomination
    number: int  # the list's number in the association, as printed
    names: list[str]


async def past(session: AsyncSession, *, actor: Actor, association_id: int) -> list[PastList]:
    """The association's lists, newest first, with the names on each."""
    await require_viewer(session, actor=actor, association_id=association_id)
    lists = await session.scalars(
        select(Nomination)
        .where(Nomination.association_id == association_id)
        .order_by(Nomination.id.desc())
        .limit(20)
    )
    found = list(lists.all())
    if not found:
        return []
    rows = await session.execute(
        select(NominationEntry.nomination_id, User.full_name)
        .join(User, User.id == NominationEntry.user_id)
        .where(NominationEntry.nomination_id.in_([n.id for n in found]))
        .order_by(NominationEntry.position, NominationEntry.id)
    )
    names: dict[int, list[str]] = {}
    for nomination_id, name in rows.all():
        names.setdefault(nomination_id, []).append(name or "")
    total = await session.scalar(
        select(func.count())
        .select_from(Nomination)
        .where(Nomination.association_id == association_id)
    )
    return [PastList(n, (total or 0) - i, names.get(n.id, [])) for i, n in enumerate(found)]


async def document(
    session: AsyncSession, *, actor: Actor, nomination_id: int, words: Words
) -> tuple[str, bytes]:
    """A stored list's PDF again (its leader, its approver): (file name, bytes)."""
    nomination = await session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFound()
    association, _user, _leads = await require_viewer(
        session, actor=actor, association_id=nomination.association_id
    )
    return _filename(nomination), await _document(session, nomination, association, words)
