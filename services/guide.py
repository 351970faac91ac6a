"""The participant's guide (инструкция участника), drawn from the association's settings,
and what a newcomer receives on joining: the guide and the approved regulation.

A guide is built once for the settings it reflects and kept (`ParticipantGuide`), so a
hundred newcomers get one file, which the outbox uploads to Telegram once.

Notices recorded here (worded in handlers/regulations/notices.py): `regulations.guide` and
`regulations.regulation`, each to the newcomer with its PDF, once per joining.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from documents.guide import EDITION, GuideData, build_guide
from models import Association, Membership, User
from models.meetings import MeetingSettings
from models.regulations import ParticipantGuide
from services.access import Actor, require_association_role
from services.associations import chat_link, get, leader_of
from services.locks import lock
from services.meetings import NORM, REMINDER_PRESETS
from services.notices import Notice, tell
from services.outbox import store_file
from services.regulation_versions import Copy, approved_on, latest_version, stored_copy
from services.regulations import family

DEFAULT_REMINDERS = REMINDER_PRESETS[0]  # what MeetingSettings starts with


async def guide_data(session: AsyncSession, association: Association) -> GuideData:
    """What this association's guide says, from its settings as they are now."""
    leader = await leader_of(session, association.id)
    parent, children = await family(session, association)
    # Read, never created here: a guide asked for by two members at once writes nothing.
    meetings = await session.get(MeetingSettings, association.id)
    latest = await latest_version(session, association.id)
    return GuideData(
        name=association.name,
        kind=association.kind.value,
        period_start=association.period_start,
        period_end=association.period_end,
        organisation=association.organisation or "",
        leader=(leader.full_name or "") if leader else "",
        topic=association.topic or "",
        join_policy=association.join_policy.value,
        member_cap=association.member_cap,
        chat_bound=association.chat_id is not None,
        chat_link=await chat_link(session, association.id) or "",
        chat_is_forum=association.chat_is_forum,
        reminder_hours=tuple(meetings.reminder_hours if meetings else DEFAULT_REMINDERS),
        meetings_per_year=NORM,
        regulation_version=latest.version if latest else None,
        regulation_approved_on=approved_on(latest, association) if latest else None,
        parent=parent,
        children=children,
    )


def fingerprint(data: GuideData) -> str:
    """Equal for equal settings; a new EDITION of the wording changes every one."""
    normal = replace(data, reminder_hours=tuple(data.reminder_hours), children=tuple(data.children))
    return hashlib.sha256(f"{EDITION}:{normal!r}".encode()).hexdigest()


async def guide_file(session: AsyncSession, association: Association) -> int:
    """The stored PDF of the association's guide for its current settings (built when
    they changed since the last one)."""
    data = await guide_data(session, association)
    key = fingerprint(data)
    kept = await session.get(ParticipantGuide, association.id)
    if kept is not None and kept.fingerprint == key:
        return kept.file_id
    await lock(session, Association, association.id)  # one builder, one row
    kept = await session.get(ParticipantGuide, association.id, populate_existing=True)
    if kept is not None and kept.fingerprint == key:
        return kept.file_id
    stored = await store_file(
        session,
        filename="participant-guide.pdf",
        mime_type="application/pdf",
        content=build_guide(data),
    )
    if kept is None:
        session.add(
            ParticipantGuide(association_id=association.id, fingerprint=key, file_id=stored.id)
        )
    else:
        kept.fingerprint, kept.file_id = key, stored.id
    await session.flush()
    return stored.id


async def guide_pdf(session: AsyncSession, actor: Actor, association_id: int) -> Copy:
    """The guide, for the association's members (and its leaders, to see what they get)."""
    await require_association_role(session, actor, association_id)
    association = await get(session, association_id)
    return await stored_copy(session, association, await guide_file(session, association))


async def welcome_newcomer(
    session: AsyncSession, association: Association, user: User, membership: Membership
) -> None:
    """Send a new member the guide and, once there is one, the approved regulation."""
    joined = membership.joined_at.timestamp() if membership.joined_at else 0
    key = f"{membership.id}:{joined:.0f}"  # once per joining, again after a rejoin
    notices = [
        Notice(
            "regulations.guide",
            {"association": association},
            user=user,
            file_id=await guide_file(session, association),
            dedupe_key=f"guide:{key}",
        )
    ]
    latest = await latest_version(session, association.id)
    if latest is not None:
        notices.append(
            Notice(
                "regulations.regulation",
                {
                    "association": association,
                    "version": latest.version,
                    "approved_on": approved_on(latest, association),
                },
                user=user,
                file_id=latest.file_id,
                dedupe_key=f"regulation:{key}",
            )
        )
    tell(session, *notices)
