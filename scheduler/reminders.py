"""Meeting sweeps: reminders from the database, and batched edits of the RSVP cards.

Reminders: for every announced meeting, each stage ("r24", "r1" per the association's
settings, "start") becomes due at its moment and stays sendable for a grace window, so a
bot that was down catches up, and a stage missed by more than that is skipped rather than
sent late. Every message has a dedupe key (meeting, revision, stage, person), so running
the sweep twice, or after a restart, sends nothing twice.

Only meetings with a stage inside its sendable window are read (one range per reminder
offset), so the sweep's cost follows the reminders due now, not the meetings ahead.

After a meeting: the secretary (or the leader) is asked once to fill the protocol, and the
plan item the meeting fulfils is marked done. Decisions' follow-ups remind the responsible
member 3 days and 1 day before the deadline. From 1 March the leader is warned once per
academic year when fewer than two meetings are held or the plan is two items behind.

Cards: an RSVP only marks the card dirty; this sweep enqueues an edit of each dirty card
at most once per `CARD_EDIT_INTERVAL` and one card per group per sweep, which keeps a busy
group far below Telegram's 20 per minute. The outbox sends the edits under the same limits
as messages, and only the latest pending edit of a card.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from typing import Protocol as Interface
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, MemberRole, Membership, MembershipStatus, OutboxMessage, User
from models.meetings import Meeting, MeetingRsvp, MeetingSettings, MeetingStatus, RsvpAnswer
from models.plans import PlanEntry, PlanItemStatus
from models.protocols import FollowUp, Protocol
from services import meetings as service
from services.access import role_holder
from services.clock import academic_year_start, now
from services.outbox import Outgoing, enqueue

GRACE = timedelta(hours=2)
START_GRACE = timedelta(minutes=15)
# Every offset a reminder can have (the presets and the default).
OFFSETS = sorted({h for preset in service.REMINDER_PRESETS for h in preset} | {24, 1})
# After the end, the secretary is asked for the protocol if the bot notices within this window.
PROTOCOL_REQUEST_WINDOW = timedelta(days=7)
# Follow-ups: reminded this many days before the deadline, from this local hour.
FOLLOWUP_STAGES = (("d3", 3), ("d1", 1))
FOLLOWUP_HOUR = 9
CARD_EDIT_INTERVAL = timedelta(seconds=4)


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


async def sweep_reminders(session: AsyncSession, texts: service.MeetingTexts) -> int:
    """Enqueue every reminder due now; returns how many messages were added."""
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
    messages: list[Outgoing] = []
    views = await service.views_of(session, list({m.id: m for m, _ in due}.values()))
    # A reminder's text depends on the meeting, the stage and the reader's language only.
    composed: dict[tuple[int, str, str | None], tuple[str, Any]] = {}
    for meeting, stage in due:
        for user in members[meeting.association_id]:
            if (meeting.id, user.id) in declined:
                continue
            key = (meeting.id, stage, user.language)
            if key not in composed:
                composed[key] = texts.reminder(views[meeting.id], user, stage)
            text, buttons = composed[key]
            messages.append(
                Outgoing(
                    chat_id=user.telegram_id or 0,
                    text=text,
                    buttons=buttons,
                    dedupe_key=f"mtg:{meeting.id}:v{meeting.revision}:{stage}:{user.id}",
                )
            )
    return await enqueue(session, messages, priority=2)


class AfterTexts(Interface):
    def protocol_request(self, view: service.MeetingView, user: User) -> tuple[str, Any]: ...

    def norm_warning(
        self, association: Association, user: User, status: service.NormStatus
    ) -> str: ...


class FollowUpTexts(Interface):
    def followup(
        self, followup: FollowUp, protocol: Protocol, association: Association, user: User
    ) -> str: ...


async def sweep_after_meetings(session: AsyncSession, texts: AfterTexts) -> int:
    """For each meeting that has just ended: mark its plan item done and ask for the protocol."""
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
    messages: list[Outgoing] = []
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
        text, buttons = texts.protocol_request(await service.view_of(session, meeting), person)
        messages.append(
            Outgoing(
                chat_id=person.telegram_id or 0,
                text=text,
                buttons=buttons,
                dedupe_key=f"mtg:{meeting.id}:protreq",
            )
        )
    await session.flush()
    return await enqueue(session, messages, priority=3)


async def sweep_followups(session: AsyncSession, texts: FollowUpTexts) -> int:
    """Remind responsible members 3 days and 1 day before a decision's deadline."""
    moment = now()
    today = moment.date()
    rows = await session.execute(
        select(FollowUp, Protocol, Association, User)
        .join(Protocol, Protocol.id == FollowUp.protocol_id)
        .join(Association, Association.id == FollowUp.association_id)
        .join(User, User.id == FollowUp.user_id)
        .join(
            Membership,
            and_(
                Membership.association_id == FollowUp.association_id,
                Membership.user_id == FollowUp.user_id,
            ),
        )
        .where(
            FollowUp.deadline >= today - timedelta(days=1),
            FollowUp.deadline <= today + timedelta(days=FOLLOWUP_STAGES[0][1] + 1),
            Membership.status == MembershipStatus.ACTIVE,
            User.telegram_id.is_not(None),
        )
    )
    messages: list[Outgoing] = []
    for followup, protocol, association, user in rows.all():
        local = moment.astimezone(ZoneInfo(association.timezone))
        if local.hour < FOLLOWUP_HOUR:
            continue
        left = (followup.deadline - local.date()).days
        stage = next((name for name, days in reversed(FOLLOWUP_STAGES) if 0 <= left <= days), None)
        done = set(followup.reminders_done or [])
        if stage is None or stage in done:
            continue
        # A later stage makes the earlier ones moot (a bot that was down sends only one).
        passed = {name for name, days in FOLLOWUP_STAGES if days >= left}
        followup.reminders_done = sorted(done | passed)
        messages.append(
            Outgoing(
                chat_id=user.telegram_id or 0,
                text=texts.followup(followup, protocol, association, user),
                dedupe_key=f"fup:{followup.id}:{stage}",
            )
        )
    await session.flush()
    return await enqueue(session, messages, priority=4)


def norm_key(association_id: int, academic_year: int) -> str:
    return f"norm:{association_id}:{academic_year}"


async def sweep_norms(session: AsyncSession, texts: AfterTexts) -> int:
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
    messages: list[Outgoing] = []
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
        messages.append(
            Outgoing(
                chat_id=leader.telegram_id or 0,
                text=texts.norm_warning(association, leader, status),
                dedupe_key=key,
            )
        )
    return await enqueue(session, messages, priority=4)


async def edit_dirty_cards(session: AsyncSession, texts: service.MeetingTexts) -> int:
    """Enqueue an edit of each card whose counts changed: each card at most once per
    CARD_EDIT_INTERVAL, one card per association per call. Returns the edits enqueued."""
    ids = await _cards_due(session, now())
    edits: list[Outgoing] = []
    for meeting_id in ids:
        meeting = await session.get_one(Meeting, meeting_id)
        key = service.card_key(meeting)
        chat_id = await session.scalar(
            select(OutboxMessage.chat_id).where(OutboxMessage.dedupe_key == key)
        )
        if chat_id is None:  # no group to show it in
            continue
        text, buttons = texts.card(await service.view_of(session, meeting))
        edits.append(
            Outgoing(kind="edit", chat_id=chat_id, edit_of=key, text=text, buttons=buttons)
        )
    return await enqueue(session, edits, priority=3)


async def _cards_due(session: AsyncSession, moment: datetime) -> list[int]:
    """The dirty cards whose turn it is, marked clean and edited now."""
    due = await session.execute(
        select(Meeting.id, Meeting.association_id)
        .where(
            Meeting.card_dirty.is_(True),
            or_(
                Meeting.card_edited_at.is_(None),
                Meeting.card_edited_at <= moment - CARD_EDIT_INTERVAL,
            ),
        )
        .order_by(Meeting.card_edited_at.is_not(None), Meeting.card_edited_at, Meeting.id)
    )
    # One card per association (its group) per sweep: with a sweep every 4 s a group gets
    # at most 15 card edits a minute, under Telegram's 20, however many cards it has; the
    # others stay dirty for the next sweep, the longest-waiting first.
    first_per_group: dict[int, int] = {}
    for meeting_id, association_id in due.all():
        first_per_group.setdefault(association_id, meeting_id)
    ids = list(first_per_group.values())
    if ids:
        # In the same transaction as the counts read next: a press committed after this
        # marks the card again, for the next sweep.
        await session.execute(
            update(Meeting)
            .where(Meeting.id.in_(ids))
            .values(card_dirty=False, card_edited_at=moment)
        )
    return ids
