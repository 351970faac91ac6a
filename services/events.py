"""Network events (conferences, olympiads, contests, webinars) and the weekly digest.

Methodists publish events; `/events` shows the coming ones together with the meetings of the
person's own associations; a weekly digest of the coming week goes to those who asked for
it (one outbox row per person and ISO week, by dedupe key, so a sweep run twice sends once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, Membership, MembershipStatus, NetworkRole, User
from models.meetings import Meeting, MeetingStatus
from models.newsletters import EventDigestSubscription, EventKind, NetworkEvent
from services import formatting, ics
from services.access import Actor, network_roles, require_network_role, require_registered
from services.clock import now
from services.errors import InvalidInput, NotFound
from services.link_buttons import is_web_link
from services.notices import Notice, tell
from services.texts import N_

LIST_DAYS = 90
DIGEST_DAYS = 7
DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR = 9


class BadTitle(InvalidInput):
    message = N_("The title should be from 3 to 300 characters long.")


class BadLink(InvalidInput):
    message = N_("This is not a web link. It must start with http:// or https://.")


class EventInPast(InvalidInput):
    message = N_("This time has already passed. Give a date in the future.")


@dataclass(frozen=True)
class Item:
    """One line of the events list: a network event or a meeting of one's association."""

    kind: str  # "event" | "meeting"
    id: int
    title: str
    starts_at: datetime
    timezone: str
    link: str | None
    event_kind: EventKind | None = None
    association: str | None = None


def clean_title(text: str) -> str:
    title = " ".join(text.split())
    if not 3 <= len(title) <= 300:
        raise BadTitle()
    return title


def clean_link(text: str) -> str:
    link = text.strip()
    if not is_web_link(link) or len(link) > 500:
        raise BadLink()
    return link


async def create_event(
    session: AsyncSession,
    *,
    actor: Actor,
    kind: EventKind,
    title: str,
    starts_at: datetime,
    link: str | None,
    timezone: str,
) -> NetworkEvent:
    author = await require_network_role(session, actor, NetworkRole.METHODIST)
    if starts_at <= now():
        raise EventInPast()
    event = NetworkEvent(
        author_id=author.id,
        kind=kind,
        title=clean_title(title),
        starts_at=starts_at,
        link=clean_link(link) if link else None,
        timezone=timezone,
    )
    session.add(event)
    await session.flush()
    return event


async def cancel_event(session: AsyncSession, *, actor: Actor, event_id: int) -> NetworkEvent:
    event = await editable_event(session, actor=actor, event_id=event_id)
    event.cancelled_at = now()
    return event


async def update_event(
    session: AsyncSession,
    *,
    actor: Actor,
    event_id: int,
    title: str,
    starts_at: datetime,
    link: str | None,
) -> NetworkEvent:
    """A methodist corrects an event's title, start or link."""
    event = await editable_event(session, actor=actor, event_id=event_id)
    if starts_at != event.starts_at and starts_at <= now():
        raise EventInPast()
    event.title = clean_title(title)
    event.starts_at = starts_at
    event.link = clean_link(link) if link else None
    return event


async def upcoming(
    session: AsyncSession,
    user: User | None,
    *,
    days: int = LIST_DAYS,
    start: datetime | None = None,
) -> list[Item]:
    """Network events and the user's associations' meetings from `start` for `days`, by time."""
    begin = start or now()
    end = begin + timedelta(days=days)
    events = await session.scalars(
        select(NetworkEvent)
        .where(
            NetworkEvent.cancelled_at.is_(None),
            NetworkEvent.starts_at >= begin,
            NetworkEvent.starts_at < end,
        )
        .order_by(NetworkEvent.starts_at)
    )
    items = [
        Item(
            kind="event",
            id=e.id,
            title=e.title,
            starts_at=e.starts_at,
            timezone=e.timezone,
            link=e.link,
            event_kind=e.kind,
        )
        for e in events.all()
    ]
    if user is not None:
        meetings = await session.execute(
            select(Meeting, Association)
            .join(Association, Association.id == Meeting.association_id)
            .join(Membership, Membership.association_id == Association.id)
            .where(
                Membership.user_id == user.id,
                Membership.status == MembershipStatus.ACTIVE,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at >= begin,
                Meeting.starts_at < end,
            )
        )
        items += [
            Item(
                kind="meeting",
                id=m.id,
                title=m.topic,
                starts_at=m.starts_at,
                timezone=a.timezone,
                link=m.link,
                association=a.name,
            )
            for m, a in meetings.all()
        ]
    return sorted(items, key=lambda item: (item.starts_at, item.kind, item.id))


def format_when(item: Item, language: str) -> str:
    return formatting.format_datetime(item.starts_at, item.timezone, language)


async def event_ics(session: AsyncSession, event_id: int) -> tuple[str, bytes]:
    """The event as an .ics file (filename, content)."""
    event = await session.get(NetworkEvent, event_id)
    if event is None or event.cancelled_at is not None:
        raise NotFound()
    content = ics.meeting_ics(
        uid=f"network-event-{event.id}@vmo-bot",
        summary=event.title,
        description=event.link or event.title,
        starts_at=event.starts_at,
        duration_minutes=event.duration_minutes,
        url=event.link or "",
        stamp=now(),
    )
    return f"event-{event.id}.ics", content


async def wants_digest(session: AsyncSession, user: User) -> bool:
    return await session.get(EventDigestSubscription, user.id) is not None


async def set_digest(session: AsyncSession, *, actor: Actor, on: bool) -> bool:
    user = await require_registered(session, actor)
    current = await session.get(EventDigestSubscription, user.id)
    if on and current is None:
        session.add(EventDigestSubscription(user_id=user.id))
    elif not on and current is not None:
        await session.delete(current)
    await session.flush()
    return on


def digest_week(moment: datetime, timezone: str) -> str | None:
    """The ISO week whose digest is due at `moment` (from Monday 09:00 in `timezone`)."""
    local = moment.astimezone(ZoneInfo(timezone))
    monday = local - timedelta(days=local.weekday())
    due_from = monday.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if local < due_from:
        return None
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


async def tell_weekly_digests(session: AsyncSession, *, timezone: str) -> int:
    """Tell every subscriber with something coming this week's digest; returns how many.

    It is due from Monday 09:00 in the network's time zone (`DEFAULT_TIMEZONE`); one per
    person and ISO week (dedupe key), so a sweep run twice sends it once."""
    moment = now()
    week = digest_week(moment, timezone)
    if week is None:
        return 0
    subscribers = await session.scalars(
        select(User)
        .join(EventDigestSubscription, EventDigestSubscription.user_id == User.id)
        .where(
            User.telegram_id.is_not(None),
            User.forgotten_at.is_(None),
            User.unreachable_since.is_(None),
        )
    )
    told = 0
    for user in subscribers.all():
        items = await upcoming(session, user, days=DIGEST_DAYS, start=moment)
        if not items:
            continue
        tell(
            session,
            Notice(
                "events.digest",
                {"items": items},
                user=user,
                dedupe_key=f"evdigest:{user.id}:{week}",
                batch=f"evdigest:{week}",
            ),
        )
        told += 1
    return told


async def editable_event(session: AsyncSession, *, actor: Actor, event_id: int) -> NetworkEvent:
    """An event a methodist may correct (not cancelled), or NotFound."""
    await require_network_role(session, actor, NetworkRole.METHODIST)
    event = await session.get(NetworkEvent, event_id)
    if event is None or event.cancelled_at is not None:
        raise NotFound()
    return event


async def may_publish(session: AsyncSession, actor: Actor, user: User) -> bool:
    """Whether the person publishes events (a network methodist or a platform admin)."""
    return actor.is_platform_admin or NetworkRole.METHODIST in await network_roles(session, user.id)
