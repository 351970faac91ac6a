"""Virtual meetings: scheduling, announcing, RSVPs, attendance, reschedule and cancel.

This module decides who is told what and records it as notices (services/notices.py:
`meeting.card`, `meeting.invitation`, `meeting.changed`, `meeting.cancelled`); their words
live in handlers/meetings/notices.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, MemberRole, Membership, MembershipStatus, User
from models.meetings import (
    Meeting,
    MeetingAgendaItem,
    MeetingAttendance,
    MeetingMaterial,
    MeetingRsvp,
    MeetingSettings,
    MeetingStatus,
    RsvpAnswer,
)
from models.plans import Plan, PlanEntry, PlanItemStatus, PlanStatus
from services.access import Actor, require_association_role, require_registered
from services.associations import held_in_roles
from services.clock import academic_year_start, now
from services.dateparse import OutsidePeriod, TimeInPast, parse_meeting_time
from services.errors import DomainError, InvalidInput, NotFound
from services.formatting import format_date, format_datetime
from services.ics import meeting_ics
from services.locks import lock
from services.notices import Notice, tell
from services.outbox import store_file
from services.texts import N_

FORMS = (
    "webinar",
    "master_class",
    "exhibition",
    "online_consultation",
    "forum",
    "interactive_lecture",
    "seminar",
    "creative_workshop",
    "ring",
    "chat_consultation",
    "conference",
    "pedagogical_council",
    "other",
)
MANAGERS = (MemberRole.LEADER, MemberRole.SECRETARY)
# The "I am here" button works from this long before the start until the end.
ATTENDANCE_OPENS = timedelta(minutes=15)
REMINDER_PRESETS: tuple[tuple[int, ...], ...] = ((24, 1), (24,), (1,), (48, 2), ())
MAX_AGENDA_ITEMS = 15
MAX_MATERIALS = 10
# The norm: at least this many meetings per academic year.
NORM = 4
# By 1 March fewer than this many held, or this many plan items overdue: the leader is warned.
MARCH_MIN_HELD = 2
MARCH_MAX_OVERDUE = 2


class BadLink(InvalidInput):
    message = N_(
        "This does not look like a link to an on-line platform. Please send a full address "
        "starting with https://, for example: <i>https://meet.example.ru/vmo</i>."
    )


class BadTopic(InvalidInput):
    message = N_("Please write the topic in 3 to 300 characters.")


class BadDuration(InvalidInput):
    message = N_("Please send the duration in minutes, a number from 15 to 480.")


class BadAgendaItem(InvalidInput):
    message = N_(
        "Please write an agenda item in 3 to 300 characters, optionally with the speaker "
        "after a dash: <i>On the results of the diagnostics — Smirnova E. V.</i>"
    )


class TooManyAgendaItems(InvalidInput):
    message = N_("An agenda may have at most {limit} items.")


class MeetingCancelled(DomainError):
    message = N_("This meeting has been cancelled.")


class MeetingOver(DomainError):
    message = N_("This meeting is already over.")


class PlanItemUnavailable(DomainError):
    message = N_("A meeting for this plan item has already been scheduled or held.")


class TooManyMaterials(DomainError):
    message = N_("A meeting may have at most {limit} files.")


class AttendanceClosed(DomainError):
    message = N_(
        "Attendance can be marked from 15 minutes before the start until the end of the meeting."
    )


# cleaning input ------------------------------------------------------------------------
def clean_topic(text: str) -> str:
    value = " ".join(text.split())
    if not 3 <= len(value) <= 300:
        raise BadTopic()
    return value


def clean_duration(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or not 15 <= int(value) <= 480:
        raise BadDuration()
    return int(value)


_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$", re.I)


def clean_link(text: str) -> str:
    value = text.strip()
    if " " in value or len(value) > 500:
        raise BadLink()
    parts = urlsplit(value)
    host = (parts.hostname or "").encode("idna").decode() if parts.hostname else ""
    if parts.scheme not in ("http", "https") or not host or not _HOST.match(host):
        raise BadLink()
    return value


def clean_agenda_item(text: str) -> tuple[str, str | None]:
    """«Title — Speaker» (a dash with spaces around it separates them)."""
    value = " ".join(text.split())
    title, speaker = value, None
    for dash in (" — ", " – ", " - "):
        if dash in value:
            title, speaker = (part.strip() for part in value.split(dash, 1))
            break
    if not 3 <= len(title) <= 300 or (speaker is not None and not 2 <= len(speaker) <= 200):
        raise BadAgendaItem()
    return title, speaker


def parse_start(association: Association, text: str, *, lang: str) -> datetime:
    """The start typed by the leader, in the association's zone and period (InvalidInput)."""
    return parse_meeting_time(
        text,
        tz=association.timezone,
        now=now(),
        period=(association.period_start, association.period_end),
        lang=lang,
    )


def add_agenda_item(
    agenda: Sequence[Sequence[str | None]], text: str
) -> list[tuple[str, str | None]]:
    """The agenda with one more item typed as «Title — Speaker» (InvalidInput)."""
    if len(agenda) >= MAX_AGENDA_ITEMS:
        raise TooManyAgendaItems(limit=MAX_AGENDA_ITEMS)
    return [(str(title), speaker) for title, speaker in agenda] + [clean_agenda_item(text)]


def check_time(association: Association, starts_at: datetime, lang: str = "ru") -> None:
    """Refuse a start in the past or outside the association's period (checked again on save)."""
    tz = association.timezone
    if starts_at <= now():
        raise TimeInPast(when=format_datetime(starts_at, tz, lang))
    local_day = starts_at.astimezone(ZoneInfo(tz)).date()
    if not association.period_start <= local_day <= association.period_end:
        raise OutsidePeriod(
            start=format_date(association.period_start, lang),
            end=format_date(association.period_end, lang),
        )


# what the words of a notice need ---------------------------------------------------------
@dataclass(frozen=True)
class Counts:
    going: int = 0
    maybe: int = 0
    declined: int = 0


@dataclass(frozen=True)
class MeetingView:
    """Everything a text needs about one meeting."""

    meeting: Meeting
    association: Association
    agenda: Sequence[MeetingAgendaItem]
    counts: Counts
    materials: int = 0


# queries ------------------------------------------------------------------------------------
async def managed_associations(session: AsyncSession, actor: Actor) -> list[Association]:
    """Associations where the person is the leader or the secretary."""
    user = await require_registered(session, actor)
    return await held_in_roles(session, user.id, MANAGERS)


async def active_members(session: AsyncSession, association_id: int) -> list[User]:
    """The association's active members who can still be reached (not forgotten)."""
    rows = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.telegram_id.is_not(None),
        )
        .order_by(User.full_name)
    )
    return list(rows.all())


async def counts(session: AsyncSession, meeting_id: int) -> Counts:
    rows = await session.execute(
        select(MeetingRsvp.answer, func.count())
        .where(MeetingRsvp.meeting_id == meeting_id)
        .group_by(MeetingRsvp.answer)
    )
    found = dict(rows.all())
    return Counts(
        going=found.get(RsvpAnswer.GOING, 0),
        maybe=found.get(RsvpAnswer.MAYBE, 0),
        declined=found.get(RsvpAnswer.NO, 0),
    )


async def view_of(session: AsyncSession, meeting: Meeting) -> MeetingView:
    association = await session.get_one(Association, meeting.association_id)
    agenda = await session.scalars(
        select(MeetingAgendaItem)
        .where(MeetingAgendaItem.meeting_id == meeting.id)
        .order_by(MeetingAgendaItem.position)
    )
    materials = await session.scalar(
        select(func.count()).where(MeetingMaterial.meeting_id == meeting.id)
    )
    return MeetingView(
        meeting,
        association,
        list(agenda.all()),
        await counts(session, meeting.id),
        materials or 0,
    )


async def views_of(session: AsyncSession, meetings: Sequence[Meeting]) -> dict[int, MeetingView]:
    """Views of many meetings in a few queries (the reminder sweep), by meeting id."""
    ids = [m.id for m in meetings]
    if not ids:
        return {}
    agenda: dict[int, list[MeetingAgendaItem]] = {i: [] for i in ids}
    for item in await session.scalars(
        select(MeetingAgendaItem)
        .where(MeetingAgendaItem.meeting_id.in_(ids))
        .order_by(MeetingAgendaItem.meeting_id, MeetingAgendaItem.position)
    ):
        agenda[item.meeting_id].append(item)
    answers: dict[int, dict[RsvpAnswer, int]] = {i: {} for i in ids}
    for meeting_id, answer, count in await session.execute(
        select(MeetingRsvp.meeting_id, MeetingRsvp.answer, func.count())
        .where(MeetingRsvp.meeting_id.in_(ids))
        .group_by(MeetingRsvp.meeting_id, MeetingRsvp.answer)
    ):
        answers[meeting_id][answer] = count
    materials = dict(
        (
            await session.execute(
                select(MeetingMaterial.meeting_id, func.count())
                .where(MeetingMaterial.meeting_id.in_(ids))
                .group_by(MeetingMaterial.meeting_id)
            )
        ).all()
    )
    associations = {
        a.id: a
        for a in await session.scalars(
            select(Association).where(Association.id.in_({m.association_id for m in meetings}))
        )
    }
    return {
        m.id: MeetingView(
            m,
            associations[m.association_id],
            agenda[m.id],
            Counts(
                going=answers[m.id].get(RsvpAnswer.GOING, 0),
                maybe=answers[m.id].get(RsvpAnswer.MAYBE, 0),
                declined=answers[m.id].get(RsvpAnswer.NO, 0),
            ),
            materials.get(m.id, 0),
        )
        for m in meetings
    }


async def association_of(session: AsyncSession, association_id: int) -> Association:
    """The association by id (NotFound for an id that does not exist, e.g. an old button)."""
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    return association


async def get_meeting(session: AsyncSession, meeting_id: int) -> Meeting:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    return meeting


async def upcoming(session: AsyncSession, association_id: int, *, limit: int = 10) -> list[Meeting]:
    rows = await session.scalars(
        select(Meeting)
        .where(
            Meeting.association_id == association_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at >= now() - timedelta(days=1),
        )
        .order_by(Meeting.starts_at)
        .limit(limit)
    )
    return list(rows.all())


async def require_manager(session: AsyncSession, actor: Actor, association_id: int) -> User:
    """The person, if they lead the association or are its secretary."""
    return await require_association_role(session, actor, association_id, *MANAGERS)


@dataclass(frozen=True)
class AssociationScreen:
    upcoming: list[Meeting]
    settings: MeetingSettings
    norm: NormStatus


async def association_screen(
    session: AsyncSession, actor: Actor, association_id: int
) -> AssociationScreen:
    """What /meeting shows a manager about one association."""
    await require_manager(session, actor, association_id)
    association = await association_of(session, association_id)
    return AssociationScreen(
        upcoming=await upcoming(session, association_id),
        settings=await settings_of(session, association_id),
        norm=await norm_status(session, association),
    )


async def managed_view(session: AsyncSession, actor: Actor, meeting_id: int) -> MeetingView:
    """The meeting's view, for the leader or the secretary of its association."""
    meeting = await get_meeting(session, meeting_id)
    await require_manager(session, actor, meeting.association_id)
    return await view_of(session, meeting)


async def require_open_meeting(session: AsyncSession, actor: Actor, meeting_id: int) -> Meeting:
    """The meeting, for a manager, unless it is cancelled."""
    meeting = await get_meeting(session, meeting_id)
    await require_manager(session, actor, meeting.association_id)
    if meeting.status is MeetingStatus.CANCELLED:
        raise MeetingCancelled()
    return meeting


async def managed_attendance(
    session: AsyncSession, actor: Actor, meeting_id: int
) -> tuple[Meeting, list[tuple[User, bool]]]:
    meeting = await get_meeting(session, meeting_id)
    await require_manager(session, actor, meeting.association_id)
    return meeting, await attendance(session, meeting_id)


@dataclass(frozen=True)
class NewMeetingStart:
    timezone: str
    plan_items: list[PlanEntry]


async def start_new_meeting(
    session: AsyncSession, actor: Actor, association_id: int
) -> NewMeetingStart:
    """What the new-meeting dialog starts from: the zone and the plan items to schedule."""
    await require_manager(session, actor, association_id)
    association = await association_of(session, association_id)
    return NewMeetingStart(
        association.timezone, await plan_items_to_schedule(session, association_id)
    )


async def settings_of(session: AsyncSession, association_id: int) -> MeetingSettings:
    found = await session.get(MeetingSettings, association_id)
    if found is None:
        found = MeetingSettings(association_id=association_id, reminder_hours=[24, 1])
        session.add(found)
        await session.flush()
    return found


async def set_reminders(
    session: AsyncSession, actor: Actor, *, association_id: int, preset: int
) -> list[int]:
    await require_association_role(session, actor, association_id, *MANAGERS)
    if not 0 <= preset < len(REMINDER_PRESETS):
        raise InvalidInput()
    found = await settings_of(session, association_id)
    found.reminder_hours = list(REMINDER_PRESETS[preset])
    return found.reminder_hours


# scheduling ---------------------------------------------------------------------------------
async def _next_number(session: AsyncSession, association_id: int, year: int) -> int:
    current = await session.scalar(
        select(func.max(Meeting.number)).where(
            Meeting.association_id == association_id, Meeting.academic_year == year
        )
    )
    return (current or 0) + 1


def _ics_for(view: MeetingView, *, cancelled: bool = False) -> bytes:
    meeting = view.meeting
    agenda = "\n".join(
        f"{i}. {item.title}" + (f" ({item.speaker})" if item.speaker else "")
        for i, item in enumerate(view.agenda, 1)
    )
    return meeting_ics(
        uid=f"meeting-{meeting.id}@vmo-bot",
        summary=f"{view.association.name}: {meeting.topic}",
        description=agenda or meeting.topic,
        starts_at=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        url=meeting.link,
        stamp=now(),
        sequence=meeting.revision,
        cancelled=cancelled,
    )


def _card_target(association: Association) -> tuple[int, int | None] | None:
    if association.chat_id is None:
        return None
    thread = association.forum_topics.get("meetings") if association.chat_is_forum else None
    return association.chat_id, thread


async def schedule_meeting(
    session: AsyncSession,
    actor: Actor,
    *,
    association_id: int,
    topic: str,
    form: str,
    starts_at: datetime,
    duration_minutes: int,
    link: str,
    agenda: Sequence[tuple[str, str | None]],
    plan_item_id: int | None = None,
) -> Meeting:
    """Create the meeting and announce it: the group card and a private invitation each.

    With `plan_item_id` the meeting fulfils that item of the approved plan: the item is
    marked done and linked to the meeting once the meeting has been held.
    """
    user = await require_association_role(session, actor, association_id, *MANAGERS)
    # The next number and the plan item's availability are read, then written.
    association = await lock(session, Association, association_id)
    if form not in FORMS:
        raise InvalidInput()
    if plan_item_id is not None:
        available = {item.id for item in await plan_items_to_schedule(session, association_id)}
        if plan_item_id not in available:
            raise PlanItemUnavailable()
    if len(agenda) > MAX_AGENDA_ITEMS:
        raise TooManyAgendaItems(limit=MAX_AGENDA_ITEMS)
    check_time(association, starts_at)
    local_day = starts_at.astimezone(ZoneInfo(association.timezone)).date()
    year = academic_year_start(local_day)
    meeting = Meeting(
        association_id=association_id,
        number=await _next_number(session, association_id, year),
        academic_year=year,
        topic=clean_topic(topic),
        form=form,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        link=clean_link(link),
        created_by_user_id=user.id,
        announced_at=now(),
        reminders_done=[],
        plan_item_id=plan_item_id,
    )
    session.add(meeting)
    await session.flush()
    for position, (title, speaker) in enumerate(agenda, 1):
        session.add(
            MeetingAgendaItem(
                meeting_id=meeting.id, position=position, title=title, speaker=speaker
            )
        )
    await session.flush()
    await settings_of(session, association_id)
    await _announce(session, meeting)
    return meeting


async def _announce(session: AsyncSession, meeting: Meeting) -> None:
    view = await view_of(session, meeting)
    target = _card_target(view.association)
    if target is not None:
        tell(
            session,
            Notice(
                "meeting.card",
                {"view": view},
                chat_id=target[0],
                thread_id=target[1],
                dedupe_key=card_key(meeting),
                pin=True,
                priority=3,
            ),
        )
    ics = await _store_ics(session, view)
    tell(
        session,
        *(
            Notice(
                "meeting.invitation",
                {"view": view},
                user=member,
                file_id=ics,
                dedupe_key=f"mtg:{meeting.id}:v{meeting.revision}:inv:{member.id}",
                batch=f"mtg-inv-{meeting.id}",
            )
            for member in await active_members(session, meeting.association_id)
        ),
    )


async def _store_ics(session: AsyncSession, view: MeetingView) -> int:
    """The meeting's calendar file (its current revision), stored once for every reader."""
    stored = await store_file(
        session,
        filename=f"meeting-{view.meeting.number}.ics",
        mime_type="text/calendar",
        content=_ics_for(view),
    )
    return stored.id


def card_key(meeting: Meeting) -> str:
    """The outbox key of the meeting's group card (its row keeps the card's message id)."""
    return f"mtg:{meeting.id}:card"


async def reschedule(
    session: AsyncSession, actor: Actor, *, meeting_id: int, starts_at: datetime
) -> Meeting:
    """Move the meeting: everyone invited is told, with an updated calendar file, and the
    reminders start over for the new time."""
    meeting = await get_meeting(session, meeting_id)
    await require_association_role(session, actor, meeting.association_id, *MANAGERS)
    if meeting.status is MeetingStatus.CANCELLED:
        raise MeetingCancelled()
    association = await session.get_one(Association, meeting.association_id)
    check_time(association, starts_at)
    old_start = meeting.starts_at
    meeting.starts_at = starts_at
    meeting.revision += 1
    meeting.reminders_done = []
    meeting.card_dirty = True
    await session.flush()
    view = await view_of(session, meeting)
    ics = await _store_ics(session, view)
    tell(
        session,
        *(
            Notice(
                "meeting.changed",
                {"view": view, "old_start": old_start},
                user=member,
                file_id=ics,
                dedupe_key=f"mtg:{meeting.id}:v{meeting.revision}:moved:{member.id}",
                batch=f"mtg-moved-{meeting.id}",
            )
            for member in await active_members(session, meeting.association_id)
        ),
    )
    return meeting


async def cancel(session: AsyncSession, actor: Actor, *, meeting_id: int) -> Meeting:
    """Cancel the meeting; everyone invited is told, the card shows it cancelled."""
    meeting = await get_meeting(session, meeting_id)
    await require_association_role(session, actor, meeting.association_id, *MANAGERS)
    if meeting.status is MeetingStatus.CANCELLED:
        raise MeetingCancelled()
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = now()
    meeting.card_dirty = True
    await session.flush()
    view = await view_of(session, meeting)
    tell(
        session,
        *(
            Notice(
                "meeting.cancelled",
                {"view": view},
                user=member,
                dedupe_key=f"mtg:{meeting.id}:cancel:{member.id}",
                batch=f"mtg-cancel-{meeting.id}",
            )
            for member in await active_members(session, meeting.association_id)
        ),
    )
    return meeting


# RSVP and attendance --------------------------------------------------------------------------
async def rsvp(session: AsyncSession, actor: Actor, *, meeting_id: int, answer: RsvpAnswer) -> None:
    """Record a member's answer; the card is marked for the next batched edit.

    Nothing is written before the commit (the answer and the mark go with it), so the
    update holds no row of the meeting — and on SQLite not the write lock — while it
    answers the button; only the first answer since the card's last edit marks it.
    """
    meeting = await get_meeting(session, meeting_id)
    user = await require_association_role(session, actor, meeting.association_id)
    if meeting.status is MeetingStatus.CANCELLED:
        raise MeetingCancelled()
    if now() >= meeting.starts_at + timedelta(minutes=meeting.duration_minutes):
        raise MeetingOver()
    found = await session.scalar(
        select(MeetingRsvp).where(
            MeetingRsvp.meeting_id == meeting_id, MeetingRsvp.user_id == user.id
        )
    )
    if found is None:
        session.add(
            MeetingRsvp(meeting_id=meeting_id, user_id=user.id, answer=answer, answered_at=now())
        )
    else:
        found.answer, found.answered_at = answer, now()
    if not meeting.card_dirty:
        meeting.card_dirty = True


async def mark_present(session: AsyncSession, actor: Actor, *, meeting_id: int) -> bool:
    """The "I am here" button; False when the person was already marked."""
    meeting = await get_meeting(session, meeting_id)
    user = await require_association_role(session, actor, meeting.association_id)
    if meeting.status is MeetingStatus.CANCELLED:
        raise MeetingCancelled()
    moment = now()
    end = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
    if not meeting.starts_at - ATTENDANCE_OPENS <= moment <= end:
        raise AttendanceClosed()
    return await _mark(session, meeting_id, user.id, "self")


# A leader's correction "absent" is kept as a row too, so that it outweighs an RSVP.
ABSENT = "absent"


async def _attendance_row(
    session: AsyncSession, meeting_id: int, user_id: int
) -> MeetingAttendance | None:
    return await session.scalar(
        select(MeetingAttendance).where(
            MeetingAttendance.meeting_id == meeting_id, MeetingAttendance.user_id == user_id
        )
    )


async def _mark(session: AsyncSession, meeting_id: int, user_id: int, source: str) -> bool:
    """Mark the person present; False when they already were."""
    found = await _attendance_row(session, meeting_id, user_id)
    if found is not None and found.source != ABSENT:
        return False
    if found is None:
        found = MeetingAttendance(meeting_id=meeting_id, user_id=user_id)
        session.add(found)
    found.marked_at, found.source = now(), source
    await session.flush()
    return True


async def present_ids(session: AsyncSession, meeting: Meeting) -> set[int]:
    """Who counts as present: those who checked in or were marked by the leader, and, once
    the meeting has begun, those who answered «will attend» — unless the leader or the
    secretary corrected them to absent."""
    marks = dict(
        (
            await session.execute(
                select(MeetingAttendance.user_id, MeetingAttendance.source).where(
                    MeetingAttendance.meeting_id == meeting.id
                )
            )
        ).all()
    )
    present = {user_id for user_id, source in marks.items() if source != ABSENT}
    if now() >= meeting.starts_at:
        going = await session.scalars(
            select(MeetingRsvp.user_id).where(
                MeetingRsvp.meeting_id == meeting.id, MeetingRsvp.answer == RsvpAnswer.GOING
            )
        )
        present |= {user_id for user_id in going.all() if marks.get(user_id) != ABSENT}
    return present


async def attendance(session: AsyncSession, meeting_id: int) -> list[tuple[User, bool]]:
    """Every active member with whether they count as present (see `present_ids`)."""
    meeting = await get_meeting(session, meeting_id)
    present = await present_ids(session, meeting)
    members = await active_members(session, meeting.association_id)
    return [(member, member.id in present) for member in members]


async def toggle_attendance(
    session: AsyncSession, actor: Actor, *, meeting_id: int, user_id: int
) -> bool:
    """The leader or secretary corrects the list; returns whether the person is now present."""
    meeting = await get_meeting(session, meeting_id)
    await require_association_role(session, actor, meeting.association_id, *MANAGERS)
    if now() < meeting.starts_at - ATTENDANCE_OPENS:
        raise AttendanceClosed()
    member = await session.scalar(
        select(Membership.id).where(
            Membership.association_id == meeting.association_id,
            Membership.user_id == user_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    if member is None:
        raise NotFound()
    if user_id not in await present_ids(session, meeting):
        return await _mark(session, meeting_id, user_id, "corrected")
    found = await _attendance_row(session, meeting_id, user_id)
    if found is None:
        found = MeetingAttendance(meeting_id=meeting_id, user_id=user_id)
        session.add(found)
    found.marked_at, found.source = now(), ABSENT
    await session.flush()
    return False


def local_day(meeting: Meeting, association: Association) -> date:
    return meeting.starts_at.astimezone(ZoneInfo(association.timezone)).date()


def local_today(association: Association) -> date:
    return now().astimezone(ZoneInfo(association.timezone)).date()


# the approved plan and the norm ----------------------------------------------------------------
async def _approved_plan(session: AsyncSession, association_id: int, year: int) -> Plan | None:
    return await session.scalar(
        select(Plan)
        .where(
            Plan.association_id == association_id,
            Plan.academic_year == year,
            Plan.status == PlanStatus.APPROVED,
        )
        .order_by(Plan.version.desc())
        .limit(1)
    )


async def _linked_item_ids(session: AsyncSession, association_id: int) -> set[int]:
    """Plan items already taken by a meeting that is neither cancelled nor past."""
    rows = await session.scalars(
        select(Meeting.plan_item_id).where(
            Meeting.association_id == association_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.plan_item_id.is_not(None),
            Meeting.starts_at > now() - timedelta(days=1),
        )
    )
    return {item_id for item_id in rows.all() if item_id is not None}


async def plan_items_to_schedule(session: AsyncSession, association_id: int) -> list[PlanEntry]:
    """Planned items of this year's approved plan that no upcoming meeting fulfils yet."""
    association = await session.get_one(Association, association_id)
    plan = await _approved_plan(
        session, association_id, academic_year_start(local_today(association))
    )
    if plan is None:
        return []
    taken = await _linked_item_ids(session, association_id)
    rows = await session.scalars(
        select(PlanEntry)
        .where(PlanEntry.plan_id == plan.id, PlanEntry.status == PlanItemStatus.PLANNED)
        .order_by(PlanEntry.year, PlanEntry.month, PlanEntry.on_date, PlanEntry.id)
    )
    return [item for item in rows.all() if item.id not in taken]


async def plan_item_to_schedule(
    session: AsyncSession, association_id: int, item_id: int | None
) -> PlanEntry:
    """One of `plan_items_to_schedule`, or PlanItemUnavailable."""
    for item in await plan_items_to_schedule(session, association_id):
        if item.id == item_id:
            return item
    raise PlanItemUnavailable()


@dataclass(frozen=True)
class NormStatus:
    """Meetings held against the norm and the approved plan, in the current academic year."""

    academic_year: int
    held: int
    upcoming: int
    target: int
    plan_items: int  # 0 when there is no approved plan
    plan_done: int
    overdue: list[PlanEntry]

    @property
    def needed(self) -> int:
        """Meetings still to hold to reach the norm."""
        return max(0, self.target - self.held)

    def warning_due(self, today: date) -> bool:
        """From 1 March: fewer than two held, or the plan behind by two items."""
        if today < date(self.academic_year + 1, 3, 1):
            return False
        return self.held < MARCH_MIN_HELD or len(self.overdue) >= MARCH_MAX_OVERDUE


async def norm_status(session: AsyncSession, association: Association) -> NormStatus:
    today = local_today(association)
    year = academic_year_start(today)
    moment = now()
    rows = await session.execute(
        select(Meeting.starts_at, Meeting.duration_minutes).where(
            Meeting.association_id == association.id,
            Meeting.academic_year == year,
            Meeting.status != MeetingStatus.CANCELLED,
        )
    )
    held = upcoming = 0
    for starts_at, minutes in rows.all():
        if starts_at + timedelta(minutes=minutes) <= moment:
            held += 1
        elif starts_at > moment:
            upcoming += 1
    plan = await _approved_plan(session, association.id, year)
    items: list[PlanEntry] = []
    if plan is not None:
        items = list(
            (
                await session.scalars(
                    select(PlanEntry)
                    .where(PlanEntry.plan_id == plan.id)
                    .order_by(PlanEntry.year, PlanEntry.month, PlanEntry.id)
                )
            ).all()
        )
    taken = await _linked_item_ids(session, association.id) if items else set()
    overdue = [
        item
        for item in items
        if item.status is PlanItemStatus.PLANNED
        and (item.year, item.month) < (today.year, today.month)
        and item.id not in taken
    ]
    return NormStatus(
        academic_year=year,
        held=held,
        upcoming=upcoming,
        target=NORM,
        plan_items=len(items),
        plan_done=sum(1 for item in items if item.status is PlanItemStatus.DONE),
        overdue=overdue,
    )


# materials ---------------------------------------------------------------------------------------
async def add_material(
    session: AsyncSession,
    actor: Actor,
    *,
    meeting_id: int,
    telegram_file_id: str,
    file_unique_id: str,
    file_name: str,
) -> bool:
    """Attach a file (kept as Telegram's file id); False when this file is already attached."""
    meeting = await get_meeting(session, meeting_id)
    user = await require_association_role(session, actor, meeting.association_id, *MANAGERS)
    if meeting.status is MeetingStatus.CANCELLED:
        raise MeetingCancelled()
    found = await materials_of(session, meeting_id)
    if any(m.file_unique_id == file_unique_id for m in found):
        return False
    if len(found) >= MAX_MATERIALS:
        raise TooManyMaterials(limit=MAX_MATERIALS)
    session.add(
        MeetingMaterial(
            meeting_id=meeting_id,
            telegram_file_id=telegram_file_id[:300],
            file_unique_id=file_unique_id[:100],
            file_name=(file_name or "file")[:255],
            added_by_user_id=user.id,
            created_at=now(),
        )
    )
    await session.flush()
    return True


async def materials_of(session: AsyncSession, meeting_id: int) -> list[MeetingMaterial]:
    rows = await session.scalars(
        select(MeetingMaterial)
        .where(MeetingMaterial.meeting_id == meeting_id)
        .order_by(MeetingMaterial.id)
    )
    return list(rows.all())


async def materials_for_member(
    session: AsyncSession, actor: Actor, *, meeting_id: int
) -> list[MeetingMaterial]:
    """The files of a meeting, for any member of its association."""
    meeting = await get_meeting(session, meeting_id)
    await require_association_role(session, actor, meeting.association_id)
    return await materials_of(session, meeting_id)


async def remove_materials(session: AsyncSession, actor: Actor, *, meeting_id: int) -> int:
    meeting = await get_meeting(session, meeting_id)
    await require_association_role(session, actor, meeting.association_id, *MANAGERS)
    found = await materials_of(session, meeting_id)
    for material in found:
        await session.delete(material)
    await session.flush()
    return len(found)
