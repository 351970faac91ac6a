"""Announcements of an association: to its group (pinned, in the Announcements topic) and/or
privately to every member through the outbox, now or at a chosen time; a delivery summary."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, Membership, MembershipStatus, StoredFile, User
from models.associations_extra import Announcement, AnnouncementStatus
from services.access import Actor, require_association_role, require_registered
from services.associations import MANAGERS, get, held_in_roles
from services.audit import audit
from services.clock import now
from services.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from services.link_buttons import one_per_row
from services.notices import Notice, tell
from services.outbox import batch_progress, cancel_batch
from services.texts import N_

MAX_TEXT = 3500
MAX_CAPTION = 850  # of Telegram's 1024: room for the header naming the sender
_WHEN = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})\s*$")


class BadAnnouncementText(InvalidInput):
    message = N_("Write the announcement: from 3 to {limit} characters.")


class BadWhen(InvalidInput):
    message = N_("Send the date and time as DD.MM.YYYY HH:MM, for example 05.12.2026 18:00.")


class WhenInPast(InvalidInput):
    message = N_("This time has already passed. Choose a time in the future.")


class NowhereToSend(DomainError):
    message = N_("Choose where to send the announcement: the group, the members, or both.")


class NotAManager(PermissionDenied):
    message = N_(
        "Announcements are sent by the leader or the administrator of an association. "
        "Open /associations to see yours."
    )


class NoGroup(DomainError):
    message = N_("The association has no group chat yet: send /bind in its group first.")


def clean_text(text: str, *, with_file: bool) -> str:
    limit = MAX_CAPTION if with_file else MAX_TEXT
    value = text.strip()
    if not 3 <= len(value) <= limit:
        raise BadAnnouncementText(limit=limit)
    return value


def parse_when(text: str, timezone: str) -> datetime:
    """«05.12.2026 18:00» in the association's zone, as a UTC moment in the future."""
    found = _WHEN.match(text)
    if found is None:
        raise BadWhen()
    day, month, year, hour, minute = (int(g) for g in found.groups())
    try:
        local = datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(timezone))
    except ValueError:
        raise BadWhen() from None
    moment = local.astimezone(ZoneInfo("UTC"))
    if moment <= now():
        raise WhenInPast()
    if moment > now() + timedelta(days=366):
        raise BadWhen()
    return moment


@dataclass(frozen=True)
class Draft:
    text: str
    to_group: bool
    to_members: bool
    pin: bool = False
    send_at: datetime | None = None
    telegram_file_id: str | None = None
    file_kind: str | None = None  # "photo" or "document"
    file_name: str | None = None
    # Link buttons under the message: {"text": label, "url": link}, one per row.
    buttons: tuple[dict[str, str], ...] = ()


async def managed_by(session: AsyncSession, actor: Actor) -> list[Association]:
    """The associations the person may announce to (as leader or administrator)."""
    user = await require_registered(session, actor)
    managed = await held_in_roles(session, user.id, MANAGERS)
    if not managed:
        raise NotAManager()
    return managed


@dataclass(frozen=True)
class Destination:
    """Where an announcement of an association can go."""

    name: str
    timezone: str
    has_group: bool


async def destination(session: AsyncSession, *, actor: Actor, association_id: int) -> Destination:
    """The association an author is about to announce to (its manager only)."""
    await check_author(session, actor=actor, association_id=association_id)
    association = await get(session, association_id)
    return Destination(association.name, association.timezone, association.chat_id is not None)


async def check_author(session: AsyncSession, *, actor: Actor, association_id: int) -> User:
    """Announcements are for the leader and the administrator."""
    return await require_association_role(session, actor, association_id, *MANAGERS)


async def publish(
    session: AsyncSession, *, actor: Actor, association_id: int, draft: Draft
) -> tuple[Announcement, int]:
    """Enqueue the announcement everywhere it goes; returns it and the number of recipients."""
    author = await check_author(session, actor=actor, association_id=association_id)
    association = await get(session, association_id)
    if not draft.to_group and not draft.to_members:
        raise NowhereToSend()
    if draft.to_group and association.chat_id is None:
        raise NoGroup()
    text = clean_text(draft.text, with_file=draft.telegram_file_id is not None)
    send_at = draft.send_at or now()
    stored = None
    if draft.telegram_file_id:
        stored = StoredFile(
            filename=draft.file_name or "file",
            mime_type="image/jpeg" if draft.file_kind == "photo" else "application/octet-stream",
            content=b"",
            telegram_file_id=draft.telegram_file_id,
        )
        session.add(stored)
        await session.flush()
    announcement = Announcement(
        association_id=association.id,
        author_user_id=author.id,
        text=text,
        file_id=stored.id if stored else None,
        file_kind=draft.file_kind if stored else None,
        to_group=draft.to_group,
        pin=draft.pin and draft.to_group,
        to_members=draft.to_members,
        send_at=send_at,
        status=AnnouncementStatus.SCHEDULED,
        created_at=now(),
    )
    session.add(announcement)
    await session.flush()
    copies: list[Notice] = []
    if draft.to_group and association.chat_id is not None:
        topic = (association.forum_topics or {}).get("announcements")
        copies.append(
            copy_notice(
                announcement,
                association,
                author,
                draft.buttons,
                chat_id=association.chat_id,
                thread_id=topic,
            )
        )
    if draft.to_members:
        copies += [
            copy_notice(announcement, association, author, draft.buttons, user=member)
            for member in await _members_but(session, association.id, author.id)
        ]
    tell(session, *copies)
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="announcement.publish",
        target_type="association",
        target_id=association.id,
        announcement_id=announcement.id,
        recipients=len(copies),
    )
    return announcement, len(copies)


async def _members_but(session: AsyncSession, association_id: int, author_id: int) -> list[User]:
    """Active members who can be reached, except the author (who has seen the preview)."""
    rows = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.telegram_id.is_not(None),
            User.id != author_id,
        )
        .order_by(User.id)
    )
    return list(rows.all())


def copy_notice(
    announcement: Announcement,
    association: Association,
    author: User,
    buttons: Sequence[dict[str, str]],
    *,
    user: User | None = None,
    chat_id: int | None = None,
    thread_id: int | None = None,
) -> Notice:
    """The announcement as one recipient (a member, or the group) gets it."""
    where = str(user.telegram_id) if user is not None else "group"
    return Notice(
        "announcement.copy",
        {
            "text": announcement.text,
            "association": association.name,
            "author": author.full_name or "",
            "buttons": one_per_row(buttons),
        },
        user=user,
        chat_id=chat_id,
        thread_id=thread_id,
        pin=announcement.pin and user is None,
        file_id=announcement.file_id,
        media=announcement.file_kind or "document",
        dedupe_key=f"ann:{announcement.id}:{where}",
        batch=batch_of(announcement),
        not_before=announcement.send_at,
    )


class NotCancellable(DomainError):
    message = N_("This announcement has already gone out; it can no longer be cancelled.")


@dataclass(frozen=True)
class Cancelled:
    send_at: datetime
    association_name: str
    timezone: str


async def cancel(session: AsyncSession, *, actor: Actor, announcement_id: int) -> Cancelled:
    """Stop a scheduled announcement before its time: none of its messages leave."""
    announcement = await session.get(Announcement, announcement_id)
    if announcement is None:
        raise NotFound()
    await check_author(session, actor=actor, association_id=announcement.association_id)
    if announcement.status != AnnouncementStatus.SCHEDULED or announcement.send_at <= now():
        raise NotCancellable()
    stopped = await cancel_batch(session, batch_of(announcement))
    announcement.status = AnnouncementStatus.CANCELLED
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="announcement.cancel",
        target_type="association",
        target_id=announcement.association_id,
        announcement_id=announcement.id,
        stopped=stopped,
    )
    association = await get(session, announcement.association_id)
    return Cancelled(announcement.send_at, association.name, association.timezone)


async def upcoming(session: AsyncSession, association_ids: Sequence[int]) -> list[Announcement]:
    """Announcements scheduled for later in these associations, soonest first."""
    rows = await session.scalars(
        select(Announcement)
        .where(
            Announcement.association_id.in_(association_ids),
            Announcement.status == AnnouncementStatus.SCHEDULED,
            Announcement.send_at > now(),
        )
        .order_by(Announcement.send_at)
        .limit(10)
    )
    return list(rows.all())


def batch_of(announcement: Announcement) -> str:
    return f"ann:{announcement.id}"


async def report_finished(session: AsyncSession) -> int:
    """Tell the authors of announcements whose every message has left (or failed) how they
    were delivered; each is marked reported in the same transaction. Returns how many."""
    rows = await session.scalars(
        select(Announcement).where(
            Announcement.status == AnnouncementStatus.SCHEDULED, Announcement.send_at <= now()
        )
    )
    reported = 0
    for announcement in rows.all():
        progress = await batch_progress(session, batch_of(announcement))
        if not progress.done:
            continue
        announcement.status = AnnouncementStatus.REPORTED
        reported += 1
        author = (
            await session.get(User, announcement.author_user_id)
            if announcement.author_user_id
            else None
        )
        if author is None:
            continue
        association = await get(session, announcement.association_id)
        tell(
            session,
            Notice(
                "announcement.summary",
                {"association": association.name, "progress": progress},
                user=author,
                dedupe_key=f"ann-summary:{announcement.id}",
            ),
        )
    return reported
