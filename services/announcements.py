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

from models import Membership, MembershipStatus, StoredFile, User
from models.associations_extra import Announcement, AnnouncementStatus
from services.access import Actor, require_association_role
from services.associations import MANAGERS, get
from services.audit import audit
from services.clock import now
from services.errors import DomainError, InvalidInput, NotFound
from services.link_buttons import one_per_row
from services.outbox import BatchProgress, Outgoing, batch_progress, cancel_batch, enqueue
from services.texts import N_

MAX_TEXT = 3500
MAX_CAPTION = 1000
_WHEN = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})\s*$")


class BadAnnouncementText(InvalidInput):
    message = N_("Please write the announcement: 3 to {limit} characters.")


class BadWhen(InvalidInput):
    message = N_("Please send the date and time as DD.MM.YYYY HH:MM, for example 05.12.2026 18:00.")


class WhenInPast(InvalidInput):
    message = N_("This moment has already passed. Please choose a time in the future.")


class NowhereToSend(DomainError):
    message = N_("Please choose where to send the announcement: the group, the members, or both.")


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
    kind = draft.file_kind if stored else "text"
    buttons = one_per_row(draft.buttons)
    messages: list[Outgoing] = []
    if draft.to_group and association.chat_id is not None:
        messages.append(
            Outgoing(
                chat_id=association.chat_id,
                text=text,
                kind=kind or "text",
                file_id=stored.id if stored else None,
                buttons=buttons,
                thread_id=(association.forum_topics or {}).get("announcements"),
                pin=announcement.pin,
                dedupe_key=f"ann:{announcement.id}:group",
            )
        )
    if draft.to_members:
        members = await session.scalars(
            select(User.telegram_id)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.association_id == association.id,
                Membership.status == MembershipStatus.ACTIVE,
                User.telegram_id.is_not(None),
                User.id != author.id,  # the author has seen the preview
            )
        )
        for telegram_id in members.all():
            messages.append(
                Outgoing(
                    chat_id=telegram_id,
                    text=text,
                    kind=kind or "text",
                    file_id=stored.id if stored else None,
                    buttons=buttons,
                    dedupe_key=f"ann:{announcement.id}:{telegram_id}",
                )
            )
    await enqueue(session, messages, batch=batch_of(announcement), not_before=send_at)
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="announcement.publish",
        target_type="association",
        target_id=association.id,
        announcement_id=announcement.id,
        recipients=len(messages),
    )
    return announcement, len(messages)


class NotCancellable(DomainError):
    message = N_("This announcement has already gone out; it can no longer be cancelled.")


async def cancel(session: AsyncSession, *, actor: Actor, announcement_id: int) -> Announcement:
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
    return announcement


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


@dataclass(frozen=True)
class Summary:
    announcement: Announcement
    author: User | None
    association_name: str
    progress: BatchProgress


async def finished_unreported(session: AsyncSession) -> list[Summary]:
    """Announcements whose every message has left (or failed): their authors get a summary.

    Each is marked reported in the same transaction as the summary is enqueued.
    """
    rows = await session.scalars(
        select(Announcement).where(
            Announcement.status == AnnouncementStatus.SCHEDULED, Announcement.send_at <= now()
        )
    )
    summaries = []
    for announcement in rows.all():
        progress = await batch_progress(session, batch_of(announcement))
        if not progress.done:
            continue
        announcement.status = AnnouncementStatus.REPORTED
        author = (
            await session.get(User, announcement.author_user_id)
            if announcement.author_user_id
            else None
        )
        association = await get(session, announcement.association_id)
        summaries.append(Summary(announcement, author, association.name, progress))
    return summaries
