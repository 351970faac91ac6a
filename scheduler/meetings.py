"""Meeting sweeps (rows of scheduler/schedule.py): reminders, after the meeting, the norm.

Reminders: for every announced meeting, each stage ("r24", "r1" per the association's
settings, "start") becomes due at its moment and stays sendable for a grace window, so a
bot that was down catches up, and a stage missed by more than that is skipped rather than
sent late. Every notice has a dedupe key (meeting, revision, stage, person), so running
the sweep twice, or after a restart, sends nothing twice.

Only meetings with a stage inside its sendable window are read (one range per reminder
offset), so the sweep's cost follows the reminders due now, not the meetings ahead.

After a meeting: the secretary (or the leader) is asked once to fill in the protocol
(not when a draft exists), and the plan item the meeting fulfils is marked done. From
1 March the leader is warned once per academic year when fewer than two meetings are held
or the plan is two items behind.

The sweeps record notices; their words are in handlers/meetings/notices.py. The card
edits stay in scheduler/reminders.py.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, MemberRole, Membership, MembershipStatus, OutboxMessage, User
from models.meetings import Meeting, MeetingRsvp, MeetingSettings, MeetingStatus, RsvpAnswer
from models.plans import PlanEntry, PlanItemStatus
from models.protocols import Protocol
from services import meetings as service
from services.access import role_holder
from services.clock import academic_year_start, now
from services.notices import Notice, tell
from services.protocols import protocol_request_batch

GRACE = timedelta(hours=2)
START_GRACE = timedelta(minutes=15)
# Every offset a reminder can have (the presets and the default).
OFFSETS = sorted({h for preset in service.REMINDER_PRESETS for h in preset} | {24, 1})
# After the end, the secretary is asked for the protocol if the bot notices within this window.
PROTOCOL_REQUEST_WINDOW = timedelta(days=7)


def _stages(hours: list[int]) -> list[tuple[str, timedelta]]:
    return [(f"r{h}", timedelta(hours=h)) for h in sorted(set(hours), reverse=True)] + [
        ("start", timedelta(0))
    ]


def _state(stage: str, offset: timedelta, starts_at: datetime, moment: datetime) -> str:
    """ "wait", "due" or "missed" for one stage at `moment`."""
    due = starts_at - offset
    if moment < due:
        return "wait"
    if stage == "start":
        return "due" if moment < starts_at + START_GRACE else "missed"
    return "due" if moment < min(due + GRACE, starts_at) else "missed"


async def sweep_reminders(session: AsyncSession) -> int:
    """Tell every member the reminders due now; returns how many notices were recorded."""
    moment = now()
    # A stage of offset h is sendable while starts_at - h <= moment < starts_at - h + GRACE.
    windows = [
        and_(
            Meeting.starts_at > moment + timedelta(hours=h) - GRACE,
            Meeting.starts_at <= moment + timedelta(hours=h),
        )
        for h in OFFSETS
    ]
    windows.append(
        and_(Meeting.starts_at > moment - START_GRACE, Meeting.starts_at <= moment + START_GRACE)
    )
    meetings = list(
        (
            await session.scalars(
                select(Meeting).where(
                    Meeting.status == MeetingStatus.SCHEDULED,
                    Meeting.announced_at.is_not(None),
                    Meeting.starts_at > moment - START_GRACE,
                    or_(*windows),
                )
            )
        ).all()
    )
    if not meetings:
        return 0
    association_ids = {m.association_id for m in meetings}
    settings = {
        s.association_id: s.reminder_hours
        for s in (
            await session.scalars(
                select(MeetingSettings).where(MeetingSettings.association_id.in_(association_ids))
            )
        ).all()
    }
    due: list[tuple[Meeting, str]] = []
    for meeting in meetings:
        done = set(meeting.reminders_done or [])
        finished = set()
        for stage, offset in _stages(settings.get(meeting.association_id, [24, 1])):
            if stage in done:
                continue
            state = _state(stage, offset, meeting.starts_at, moment)
            if state == "due":
                due.append((meeting, stage))
                finished.add(stage)
            elif state == "missed":
                finished.add(stage)
        if finished:
            meeting.reminders_done = sorted(done | finished)
    if not due:
        return 0
    members: dict[int, list[User]] = defaultdict(list)
    rows = await session.execute(
        select(Membership.association_id, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.association_id.in_({m.association_id for m, _ in due}),
            Membership.status == MembershipStatus.ACTIVE,
            User.telegram_id.is_not(None),
        )
    )
    for association_id, user in rows.all():
        members[association_id].append(user)
    declined_rows = await session.execute(
        select(MeetingRsvp.meeting_id, MeetingRsvp.user_id).where(
            MeetingRsvp.meeting_id.in_({m.id for m, _ in due}),
            MeetingRsvp.answer == RsvpAnswer.NO,
        )
    )
    declined = {(meeting_id, user_id) for meeting_id, user_id in declined_rows.all()}
    views = await service.views_of(session, list({m.id: m for m, _ in due}.values()))
    notices = [
        Notice(
            "meeting.reminder",
            {"view": views[meeting.id], "stage": stage},
            user=user,
            dedupe_key=f"mtg:{meeting.id}:v{meeting.revision}:{stage}:{user.id}",
            priority=2,
        )
        for meeting, stage in due
        for user in members[meeting.association_id]
        if (meeting.id, user.id) not in declined
    ]
    tell(session, *notices)
    return len(notices)


async def sweep_after_meetings(session: AsyncSession) -> int:
    """For each meeting that has just ended: mark its plan item done and ask for the protocol
    (unless a draft exists already); returns how many requests were recorded."""
    moment = now()
    candidates = (
        await session.scalars(
            select(Meeting).where(
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.announced_at.is_not(None),
                Meeting.protocol_requested_at.is_(None),
                Meeting.starts_at <= moment,
                Meeting.starts_at > moment - PROTOCOL_REQUEST_WINDOW,
            )
        )
    ).all()
    ended = [m for m in candidates if m.starts_at + timedelta(minutes=m.duration_minutes) <= moment]
    if not ended:
        return 0
    with_protocol = set(
        (
            await session.scalars(
                select(Protocol.meeting_id).where(Protocol.meeting_id.in_([m.id for m in ended]))
            )
        ).all()
    )
    notices: list[Notice] = []
    for meeting in ended:
        meeting.protocol_requested_at = moment
        if meeting.plan_item_id is not None:
            item = await session.get(PlanEntry, meeting.plan_item_id)
            if item is not None and item.status is PlanItemStatus.PLANNED:
                item.status, item.meeting_id = PlanItemStatus.DONE, meeting.id
        if meeting.id in with_protocol:
            continue
        person = await role_holder(session, meeting.association_id, MemberRole.SECRETARY)
        person = person or await role_holder(session, meeting.association_id, MemberRole.LEADER)
        if person is None:
            continue
        notices.append(
            Notice(
                "meeting.protocol_request",
                {"view": await service.view_of(session, meeting)},
                user=person,
                dedupe_key=f"mtg:{meeting.id}:protreq",
                batch=protocol_request_batch(meeting.id),
                priority=3,
            )
        )
    await session.flush()
    tell(session, *notices)
    return len(notices)


def norm_key(association_id: int, academic_year: int) -> str:
    return f"norm:{association_id}:{academic_year}"


async def sweep_norms(session: AsyncSession) -> int:
    """From 1 March: warn the leader once per academic year when the association lags."""
    moment = now()
    day = moment.date()
    associations = (
        await session.scalars(
            select(Association).where(
                Association.period_start <= day + timedelta(days=1),
                Association.period_end >= day - timedelta(days=1),
            )
        )
    ).all()
    sent = set(
        (
            await session.scalars(
                select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like("norm:%"))
            )
        ).all()
    )
    notices: list[Notice] = []
    for association in associations:
        today = service.local_today(association)
        year = academic_year_start(today)
        key = norm_key(association.id, year)
        if (
            key in sent
            or today < date(year + 1, 3, 1)
            or not association.period_start <= today <= association.period_end
        ):
            continue
        status = await service.norm_status(session, association)
        if not status.warning_due(today):
            continue
        leader = await role_holder(session, association.id, MemberRole.LEADER)
        if leader is None:
            continue
        notices.append(
            Notice(
                "meeting.norm_warning",
                {"association": association, "status": status},
                user=leader,
                dedupe_key=key,
                priority=4,
            )
        )
    tell(session, *notices)
    return len(notices)
