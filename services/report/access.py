"""Who may make the report on demand (/report), and making it: the leader's assessments
and conclusions stored, the PDF built in the document process and told privately.

* the leader of an association: its report, with the goals dialog;
* an approver, a methodist or a platform admin: any active association's report, with
  the values its leader stored (the bot's proposals where none);
* a methodist or a platform admin: also the network summary.

The PDF always goes to the person's private chat (a notice with the file, through the
outbox), never into a group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from documents.report import build_network, build_report
from models.association import (
    Association,
    AssociationStatus,
    MemberRole,
    Membership,
    MembershipStatus,
)
from models.report import Fulfilment
from models.user import NetworkRole, User
from services.access import Actor, network_roles, require_registered
from services.activity import Period
from services.errors import DomainError, NotFound
from services.notices import Notice, tell
from services.offload import offload
from services.outbox import store_file
from services.report import gather, gather_network, goals, year_of
from services.report.data import PlanFulfilment
from services.report.meetings import held_meetings, plan_fulfilment
from services.report.surveys import Word, same
from services.texts import N_

REQUESTED = "report.requested"
NETWORK = "report.network"
MAX_LISTED = 40  # associations offered as buttons; the rest are found by a word of the name
WATCHERS = {NetworkRole.APPROVER, NetworkRole.METHODIST}


class NotAReporter(DomainError):
    message = N_(
        "The analytical report is made by the leader of an association or its approver; "
        "methodists also get the network summary."
    )


class NotTheLeader(DomainError):
    message = N_("Only the association's leader assesses its goals and writes its conclusions.")


@dataclass(frozen=True)
class Choice:
    """What /report offers the person: associations (at most MAX_LISTED), how many matched
    in all, and whether the network summary is theirs."""

    associations: tuple[Association, ...]
    matched: int
    network: bool


async def _led(session: AsyncSession, user_id: int) -> list[Association]:
    rows = await session.scalars(
        select(Association)
        .join(Membership, Membership.association_id == Association.id)
        .where(
            Membership.user_id == user_id,
            Membership.role == MemberRole.LEADER,
            Membership.status == MembershipStatus.ACTIVE,
            Association.status == AssociationStatus.ACTIVE,
        )
        .order_by(Association.name, Association.id)
    )
    return list(rows.all())


async def _watches(session: AsyncSession, actor: Actor, user: User) -> bool:
    return actor.is_platform_admin or bool(await network_roles(session, user.id) & WATCHERS)


async def _sees_network(session: AsyncSession, actor: Actor, user: User) -> bool:
    roles = await network_roles(session, user.id)
    return actor.is_platform_admin or NetworkRole.METHODIST in roles


async def choice(session: AsyncSession, actor: Actor, *, search: str = "") -> Choice:
    """The associations the person may report on (filtered by a word of the name)."""
    user = await require_registered(session, actor)
    if await _watches(session, actor, user):
        query = select(Association).where(Association.status == AssociationStatus.ACTIVE)
        found = list(
            (await session.scalars(query.order_by(Association.name, Association.id))).all()
        )
    else:
        found = await _led(session, user.id)
    word = search.strip().casefold()
    if word:
        found = [a for a in found if word in a.name.casefold()]
    network = await _sees_network(session, actor, user)
    if not found and not network and not word:
        raise NotAReporter()
    return Choice(tuple(found[:MAX_LISTED]), len(found), network)


async def check_reporter(
    session: AsyncSession, actor: Actor, association_id: int
) -> tuple[Association, bool]:
    """The association and whether the person leads it; NotAReporter if neither leader
    nor approver, methodist or admin."""
    user = await require_registered(session, actor)
    association = await session.get(Association, association_id)
    if association is None or association.status != AssociationStatus.ACTIVE:
        raise NotFound()
    leads = any(a.id == association_id for a in await _led(session, user.id))
    if not leads and not await _watches(session, actor, user):
        raise NotAReporter()
    return association, leads


async def check_network(session: AsyncSession, actor: Actor) -> User:
    user = await require_registered(session, actor)
    if not await _sees_network(session, actor, user):
        raise NotAReporter()
    return user


@dataclass(frozen=True)
class Proposal:
    """The goals to assess and the facts the bot's proposal rests on."""

    goals: tuple[str, ...]
    proposed: Fulfilment
    plan: PlanFulfilment
    held: int
    kept: str  # the conclusions that skipping keeps
    earlier: dict[str, Fulfilment]  # the leader's stored values of this year, by goal


async def proposal(
    session: AsyncSession, actor: Actor, *, association_id: int, period: Period
) -> Proposal:
    association, leads = await check_reporter(session, actor, association_id)
    if not leads:
        raise NotTheLeader()
    plan = await plan_fulfilment(session, association.id, period)
    held = len(await held_meetings(session, association.id, period, 0))
    proposed = goals.propose(plan, held)
    year = year_of(period)
    lines = await goals.goal_lines(session, association.id, year, association.goals, proposed)
    return Proposal(
        tuple(g.text for g in lines),
        proposed,
        plan,
        held,
        await goals.kept_conclusions(session, association.id, year),
        {g.text: g.confirmed for g in lines if g.confirmed is not None},
    )


async def make_report(
    session: AsyncSession,
    actor: Actor,
    *,
    association_id: int,
    period: Period,
    assessments: Sequence[goals.Assessment] | None = None,
    conclusions: str | None = None,
    word: Word = same,
) -> str:
    """Store the leader's assessments and conclusions (a leader's request: None keeps what
    skipping keeps), build the report and tell it to the person privately; returns the
    association's name."""
    association, leads = await check_reporter(session, actor, association_id)
    user = await require_registered(session, actor)
    year = year_of(period)
    if leads:
        if assessments is not None:
            await goals.save_assessments(
                session,
                association_id=association.id,
                year=year,
                user_id=user.id,
                assessments=assessments,
            )
        text = conclusions or await goals.kept_conclusions(session, association.id, year)
        if text:
            await goals.save_conclusions(
                session, association_id=association.id, year=year, user_id=user.id, text=text
            )
    elif assessments is not None or conclusions is not None:
        raise NotTheLeader()
    data = await gather(session, association.id, period, word=word)
    pdf = await offload(build_report, data)
    stored = await store_file(
        session,
        filename=f"analiticheskaya-spravka-{data.year_label.replace('/', '-')}.pdf",
        mime_type="application/pdf",
        content=pdf,
    )
    tell(
        session,
        Notice(
            REQUESTED,
            {"name": data.name, "start": period.start.isoformat(), "end": period.end.isoformat()},
            user=user,
            file_id=stored.id,
            dedupe_key=f"reportreq:{stored.id}",
            priority=1,
        ),
    )
    return data.name


async def make_network_summary(session: AsyncSession, actor: Actor, *, period: Period) -> None:
    user = await check_network(session, actor)
    data = await gather_network(session, period)
    pdf = await offload(build_network, data)
    stored = await store_file(
        session,
        filename=f"svodnaya-spravka-{data.year_label.replace('/', '-')}.pdf",
        mime_type="application/pdf",
        content=pdf,
    )
    tell(
        session,
        Notice(
            NETWORK,
            {"start": period.start.isoformat(), "end": period.end.isoformat()},
            user=user,
            file_id=stored.id,
            dedupe_key=f"reportnet:{stored.id}",
            priority=1,
        ),
    )
