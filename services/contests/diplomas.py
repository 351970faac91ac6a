"""Diplomas: issued with the results (I, II, III degree for places 1–3, a participant's
diploma for everyone else), looked up by their code for /verify, and the data their PDFs
and the results protocol are built from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from documents.contest_protocol import ContestProtocolData, ProtocolNomination, ProtocolRow
from documents.diploma import DiplomaData
from models import Association, User
from models.contests import Contest, ContestDiploma, ContestEntry, ContestNomination, DiplomaKind
from services.access import Actor, require_registered
from services.contests.common import contest_today, load, require_organiser
from services.contests.results import PRIZE_PLACES, Results, compute
from services.errors import DomainError, NotFound
from services.names import clean_name, initials_first
from services.texts import N_
from services.verification import Verification, new_code, printed_code, verifier

DEGREES = {1: "I", 2: "II", 3: "III"}
LinkFor = Callable[[str], str]  # a code → where its QR points


class NotYourDiploma(DomainError):
    message = N_("This diploma is not yours.")


class NoDiplomasYet(DomainError):
    message = N_("Diplomas are issued when the results are published.")


def kind_for(place: int | None) -> DiplomaKind:
    if place == 1:
        return DiplomaKind.WINNER
    if place is not None and place <= PRIZE_PLACES:
        return DiplomaKind.PRIZE
    return DiplomaKind.PARTICIPANT


def title_for(kind: DiplomaKind, place: int | None) -> str:
    """What the diploma is called, in Russian as printed."""
    if kind is DiplomaKind.PARTICIPANT or place is None:
        return "Диплом участника"
    return f"Диплом {DEGREES[place]} степени"


async def issue_diplomas(session: AsyncSession, contest: Contest, found: Results) -> dict[int, int]:
    """One diploma per entry, numbered in the order of the ranking; returns entry → diploma."""
    issued_on = await contest_today(session, contest)
    existing = dict(
        (
            await session.execute(
                select(ContestDiploma.entry_id, ContestDiploma.id).where(
                    ContestDiploma.contest_id == contest.id
                )
            )
        ).all()
    )
    codes: set[str] = set()
    made: list[tuple[int, ContestDiploma]] = []
    sequence = len(existing)
    for nomination in found.nominations:
        for entry in nomination.entries:
            if entry.entry_id in existing:
                continue
            sequence += 1
            code = new_code()
            while code in codes:
                code = new_code()
            codes.add(code)
            kind = kind_for(entry.place)
            diploma = ContestDiploma(
                contest_id=contest.id,
                entry_id=entry.entry_id,
                user_id=entry.user_id,
                code=code,
                number=f"К{contest.id}-{issued_on.year}-{sequence:04d}",
                kind=kind,
                place=entry.place if kind is not DiplomaKind.PARTICIPANT else None,
                full_name=entry.full_name[:200],
                issued_on=issued_on,
            )
            session.add(diploma)
            made.append((entry.entry_id, diploma))
    await session.flush()
    existing.update({entry_id: diploma.id for entry_id, diploma in made})
    return existing


async def _context(session: AsyncSession, diploma: ContestDiploma) -> tuple[Contest, str, str, str]:
    contest = await session.get_one(Contest, diploma.contest_id)
    entry = await session.get_one(ContestEntry, diploma.entry_id)
    nomination = await session.get_one(ContestNomination, entry.nomination_id)
    association = (
        await session.get(Association, contest.association_id) if contest.association_id else None
    )
    return contest, nomination.name, entry.title, association.name if association else ""


def _data(
    diploma: ContestDiploma,
    contest: Contest,
    nomination: str,
    work: str,
    issuer: str,
    organiser: str,
    link: str,
) -> DiplomaData:
    return DiplomaData(
        degree=DEGREES.get(diploma.place or 0)
        if diploma.kind is not DiplomaKind.PARTICIPANT
        else None,
        full_name=diploma.full_name,
        contest=contest.title,
        nomination=nomination,
        work=work,
        issuer=issuer,
        organiser=organiser,
        issued_on=diploma.issued_on,
        number=diploma.number,
        code=printed_code(diploma.code),
        link=link,
    )


async def my_diplomas(session: AsyncSession, actor: Actor) -> list[tuple[int, str, str]]:
    """The actor's diplomas: (id, what it is, the contest)."""
    user = await require_registered(session, actor)
    rows = await session.execute(
        select(ContestDiploma, Contest.title)
        .join(Contest, Contest.id == ContestDiploma.contest_id)
        .where(ContestDiploma.user_id == user.id)
        .order_by(ContestDiploma.id.desc())
        .limit(10)
    )
    return [(d.id, title_for(d.kind, d.place), title) for d, title in rows.all()]


async def diploma_document(
    session: AsyncSession, actor: Actor, diploma_id: int, *, link_for: LinkFor
) -> DiplomaData:
    """A diploma's printable data, for its holder or the contest's organiser."""
    user = await require_registered(session, actor)
    diploma = await session.get(ContestDiploma, diploma_id)
    if diploma is None:
        raise NotFound()
    contest, nomination, work, issuer = await _context(session, diploma)
    if diploma.user_id != user.id:
        try:
            await require_organiser(session, actor, contest)
        except DomainError:
            raise NotYourDiploma() from None
    organiser = await _organiser_name(session, contest)
    return _data(diploma, contest, nomination, work, issuer, organiser, link_for(diploma.code))


async def all_diplomas(
    session: AsyncSession, actor: Actor, contest_id: int, *, link_for: LinkFor
) -> list[DiplomaData]:
    """Every diploma of the contest, for the organiser (in the order they were numbered)."""
    contest = await load(session, contest_id)
    await require_organiser(session, actor, contest)
    return await diplomas_of(session, contest, link_for=link_for)


async def diplomas_of(
    session: AsyncSession, contest: Contest, *, link_for: LinkFor
) -> list[DiplomaData]:
    rows = (
        await session.execute(
            select(ContestDiploma, ContestEntry.title, ContestNomination.name)
            .join(ContestEntry, ContestEntry.id == ContestDiploma.entry_id)
            .join(ContestNomination, ContestNomination.id == ContestEntry.nomination_id)
            .where(ContestDiploma.contest_id == contest.id)
            .order_by(ContestDiploma.id)
        )
    ).all()
    if not rows:
        raise NoDiplomasYet()
    _, _, _, issuer = await _context(session, rows[0][0])
    organiser = await _organiser_name(session, contest)
    return [
        _data(diploma, contest, nomination, work, issuer, organiser, link_for(diploma.code))
        for diploma, work, nomination in rows
    ]


async def _organiser_name(session: AsyncSession, contest: Contest) -> str:
    if contest.organiser_user_id is None:
        return ""
    person = await session.get(User, contest.organiser_user_id)
    return initials_first(person.full_name) if person and person.full_name else ""


@verifier
async def find_diploma(session: AsyncSession, code: str) -> Verification | None:
    diploma = await session.scalar(select(ContestDiploma).where(ContestDiploma.code == code))
    if diploma is None:
        return None
    contest, _, _, issuer = await _context(session, diploma)
    return Verification(
        code=diploma.code,
        number=diploma.number,
        kind="diploma",
        title=title_for(diploma.kind, diploma.place),
        full_name=clean_name(diploma.full_name),
        issuer=issuer or contest.title,
        issued_on=diploma.issued_on,
    )


# the results protocol --------------------------------------------------------------------


async def protocol_document(
    session: AsyncSession, actor: Actor, contest_id: int
) -> ContestProtocolData:
    contest = await load(session, contest_id)
    await require_organiser(session, actor, contest)
    return protocol_data(
        contest,
        await compute(session, contest),
        await _organiser_name(session, contest),
        await contest_today(session, contest),
    )


def protocol_data(
    contest: Contest, found: Results, organiser: str, today: date
) -> ContestProtocolData:
    return ContestProtocolData(
        title=contest.title,
        issuer=found.issuer,
        opens_on=contest.opens_on,
        closes_on=contest.closes_on,
        drawn_on=today,
        criteria=found.criteria,
        jury=found.jury,
        organiser=organiser,
        nominations=tuple(
            ProtocolNomination(
                name=nomination.name,
                rows=tuple(
                    ProtocolRow(
                        place=entry.place,
                        author=entry.full_name,
                        organisation=entry.organisation,
                        title=entry.title,
                        by_criterion=entry.by_criterion,
                        result=entry.result,
                    )
                    for entry in nomination.entries
                ),
            )
            for nomination in found.nominations
        ),
        audience_award=tuple(f"{e.full_name} — «{e.title}»" for e in found.audience_award),
        published=found.published,
    )
