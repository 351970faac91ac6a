"""Newsletters: who may write them, validating what they wrote, sending, scheduling, reports.

A network methodist (or a platform admin) writes to any audience. A leader writes only to
their own association: that is an official notice of it, which also reaches members who
switched newsletters off. Every recipient is one outbox row of the batch `nl:<id>` with the
dedupe key `nl:<id>:<user id>`, so starting a newsletter twice sends nothing twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Association,
    AssociationStatus,
    MemberRole,
    Membership,
    MembershipStatus,
    NetworkRole,
    OutboxStatus,
    StoredFile,
    User,
)
from models.newsletters import Newsletter, NewsletterStatus
from services import audience as audiences
from services import outbox
from services.access import Actor, network_roles, require_registered
from services.audience import Audience
from services.clock import now
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.link_buttons import one_per_row
from services.texts import N_, T_

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
PROGRESS_PRIORITY = 0
REPORT_PRIORITY = 1
NEWSLETTER_PRIORITY = 5


class EmptyText(InvalidInput):
    message = N_("The newsletter has no text. Please write what it should say.")


class TextTooLong(InvalidInput):
    message = N_(
        "This is too long: {length} characters, Telegram allows {limit}. Please shorten it."
    )


class NotYourAssociation(PermissionDenied):
    message = N_("You can write only to the associations you lead.")


class NoRecipients(InvalidInput):
    message = N_("Nobody matches these filters. Please change the audience.")


class TooLate(InvalidInput):
    message = N_("This newsletter has already started or was cancelled; it cannot be changed.")


class TimeInPast(InvalidInput):
    message = N_("This time has already passed. Please choose a moment in the future.")


METHODIST_ROLE = T_("network methodists or association leaders")


@dataclass(frozen=True)
class Composer:
    """Who is writing and to whom they may write."""

    user: User
    network: bool  # a methodist or admin: any audience
    led: tuple[Association, ...]  # associations they lead (active)


async def composer(session: AsyncSession, actor: Actor) -> Composer:
    """The actor as a newsletter author, or PermissionDenied."""
    user = await require_registered(session, actor)
    network = actor.is_platform_admin or NetworkRole.METHODIST in await network_roles(
        session, user.id
    )
    led = tuple(
        (
            await session.scalars(
                select(Association)
                .join(Membership, Membership.association_id == Association.id)
                .where(
                    Membership.user_id == user.id,
                    Membership.role == MemberRole.LEADER,
                    Membership.status == MembershipStatus.ACTIVE,
                    Association.status == AssociationStatus.ACTIVE,
                )
                .order_by(Association.name)
            )
        ).all()
    )
    if not network and not led:
        raise PermissionDenied(role=METHODIST_ROLE)
    return Composer(user=user, network=network, led=led)


def check_body(plain_length: int, *, with_media: bool) -> None:
    """The text as Telegram counts it (without markup) against its limits."""
    if plain_length == 0 and not with_media:
        raise EmptyText()
    limit = CAPTION_LIMIT if with_media else TEXT_LIMIT
    if plain_length > limit:
        raise TextTooLong(length=plain_length, limit=limit)


def allowed_audience(who: Composer, wanted: Audience) -> Audience:
    """The audience the author may use: a leader only their own association, officially."""
    if who.network:
        return Audience(
            associations=wanted.associations,
            role=wanted.role,
            subject=wanted.subject,
            organisation=wanted.organisation,
            municipality=wanted.municipality,
            official=False,
        )
    led_ids = {a.id for a in who.led}
    if len(wanted.associations) != 1 or wanted.associations[0] not in led_ids:
        raise NotYourAssociation()
    return Audience(
        associations=wanted.associations,
        role=wanted.role,
        subject=wanted.subject,
        organisation=wanted.organisation,
        municipality=wanted.municipality,
        official=True,
    )


async def preview_count(session: AsyncSession, actor: Actor, wanted: Audience) -> int:
    """How many people the newsletter would reach now."""
    who = await composer(session, actor)
    return await audiences.count(session, allowed_audience(who, wanted))


@dataclass(frozen=True)
class Draft:
    text: str
    audience: Audience
    buttons: tuple[dict[str, str], ...] = ()
    media_kind: str | None = None  # "photo" | "document"
    telegram_file_id: str | None = None
    filename: str | None = None
    mime_type: str | None = None


async def create(
    session: AsyncSession,
    *,
    actor: Actor,
    draft: Draft,
    scheduled_at: datetime | None,
    progress_chat_id: int,
) -> Newsletter:
    """Save a newsletter as SCHEDULED (or as DRAFT to be started at once by `start`)."""
    who = await composer(session, actor)
    chosen = allowed_audience(who, draft.audience)
    if not await audiences.count(session, chosen):
        raise NoRecipients()
    if scheduled_at is not None and scheduled_at <= now():
        raise TimeInPast()
    file_id = None
    if draft.media_kind and draft.telegram_file_id:
        stored = StoredFile(
            filename=draft.filename or "file",
            mime_type=draft.mime_type or "application/octet-stream",
            content=b"",
            telegram_file_id=draft.telegram_file_id,
        )
        session.add(stored)
        await session.flush()
        file_id = stored.id
    newsletter = Newsletter(
        author_id=who.user.id,
        association_id=chosen.associations[0] if chosen.official else None,
        text=draft.text,
        media_kind=draft.media_kind if file_id else None,
        file_id=file_id,
        buttons=list(draft.buttons),
        audience=chosen.to_json(),
        status=NewsletterStatus.SCHEDULED if scheduled_at else NewsletterStatus.DRAFT,
        scheduled_at=scheduled_at,
        progress_chat_id=progress_chat_id,
    )
    session.add(newsletter)
    await session.flush()
    return newsletter


async def get_own(session: AsyncSession, actor: Actor, newsletter_id: int) -> Newsletter:
    """A newsletter its author (or a platform admin) may manage."""
    newsletter = await session.get(Newsletter, newsletter_id)
    if newsletter is None:
        raise NotFound()
    user = await require_registered(session, actor)
    if newsletter.author_id != user.id and not actor.is_platform_admin:
        raise NotFound()
    return newsletter


async def scheduled_of(session: AsyncSession, actor: Actor) -> list[Newsletter]:
    user = await require_registered(session, actor)
    rows = await session.scalars(
        select(Newsletter)
        .where(Newsletter.author_id == user.id, Newsletter.status == NewsletterStatus.SCHEDULED)
        .order_by(Newsletter.scheduled_at)
    )
    return list(rows.all())


async def reschedule(
    session: AsyncSession, *, actor: Actor, newsletter_id: int, scheduled_at: datetime
) -> Newsletter:
    newsletter = await get_own(session, actor, newsletter_id)
    if scheduled_at <= now():
        raise TimeInPast()
    await _change_scheduled(session, newsletter, scheduled_at=scheduled_at)
    return newsletter


async def _change_scheduled(session: AsyncSession, newsletter: Newsletter, **values: Any) -> None:
    """Change a newsletter only while it is still waiting (a started one is not touched)."""
    result = await session.execute(
        update(Newsletter)
        .where(Newsletter.id == newsletter.id, Newsletter.status == NewsletterStatus.SCHEDULED)
        .values(**values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise TooLate()
    await session.refresh(newsletter)


async def replace_text(
    session: AsyncSession, *, actor: Actor, newsletter_id: int, text: str, plain_length: int
) -> Newsletter:
    newsletter = await get_own(session, actor, newsletter_id)
    check_body(plain_length, with_media=newsletter.file_id is not None)
    await _change_scheduled(session, newsletter, text=text)
    return newsletter


async def cancel(session: AsyncSession, *, actor: Actor, newsletter_id: int) -> tuple[str, int]:
    """Cancel a scheduled newsletter, or stop the rest of one being sent.

    Returns ("scheduled", 0) or ("sending", rows stopped); TooLate when already over.
    """
    newsletter = await get_own(session, actor, newsletter_id)
    result = await session.execute(
        update(Newsletter)
        .where(Newsletter.id == newsletter.id, Newsletter.status == NewsletterStatus.SCHEDULED)
        .values(status=NewsletterStatus.CANCELLED, finished_at=now())
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        await session.refresh(newsletter)
        return "scheduled", 0
    await session.refresh(newsletter)
    if newsletter.status is NewsletterStatus.SENDING:
        return "sending", await outbox.cancel_batch(session, newsletter.batch)
    raise TooLate()


def message_for(newsletter: Newsletter, chat_id: int, *, dedupe_key: str | None) -> outbox.Outgoing:
    """The newsletter exactly as recipients see it, as one outbox message."""
    return outbox.Outgoing(
        chat_id=chat_id,
        text=newsletter.text,
        kind=newsletter.media_kind or "text",
        file_id=newsletter.file_id,
        buttons=one_per_row(newsletter.buttons),
        dedupe_key=dedupe_key,
    )


async def start(
    session: AsyncSession,
    newsletter: Newsletter,
    *,
    progress_text: Callable[[Newsletter], str],
    progress_buttons: list[list[dict[str, str]]],
) -> int:
    """Enqueue one row per recipient and the author's progress message; returns recipients."""
    # Conditional, so a cancel or an edit committed meanwhile wins over a stale read.
    await session.flush()
    result = await session.execute(
        update(Newsletter)
        .where(
            Newsletter.id == newsletter.id,
            Newsletter.status.in_([NewsletterStatus.DRAFT, NewsletterStatus.SCHEDULED]),
        )
        .values(status=NewsletterStatus.SENDING, started_at=now())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise TooLate()
    await session.refresh(newsletter)
    people = await audiences.recipients(session, Audience.from_json(newsletter.audience))
    newsletter.recipients = len(people)
    if newsletter.progress_chat_id is not None:
        await outbox.enqueue(
            session,
            [
                outbox.Outgoing(
                    chat_id=newsletter.progress_chat_id,
                    text=progress_text(newsletter),
                    buttons=progress_buttons,
                    dedupe_key=progress_key(newsletter),
                )
            ],
            priority=PROGRESS_PRIORITY,
        )
    await outbox.enqueue(
        session,
        [
            message_for(newsletter, chat_id, dedupe_key=f"{newsletter.batch}:{user_id}")
            for user_id, chat_id in people
        ],
        batch=newsletter.batch,
        priority=NEWSLETTER_PRIORITY,
    )
    return len(people)


async def due(session: AsyncSession) -> list[Newsletter]:
    """Scheduled newsletters whose time has come."""
    rows = await session.scalars(
        select(Newsletter)
        .where(Newsletter.status == NewsletterStatus.SCHEDULED, Newsletter.scheduled_at <= now())
        .order_by(Newsletter.scheduled_at)
    )
    return list(rows.all())


async def sending(session: AsyncSession) -> list[Newsletter]:
    rows = await session.scalars(
        select(Newsletter).where(Newsletter.status == NewsletterStatus.SENDING)
    )
    return list(rows.all())


def progress_key(newsletter: Newsletter) -> str:
    """The outbox key of the author's progress message (its edits name it in `edit_of`)."""
    return f"{newsletter.batch}:progress"


CSV_HEADER = (N_("Telegram id"), N_("Name"), N_("Status"), N_("Reason"), N_("Details"))
REASONS = {
    OutboxStatus.BLOCKED: N_("blocked the bot"),
    OutboxStatus.FAILED: N_("refused by Telegram"),
    OutboxStatus.UNCONFIRMED: N_("unknown: it was on its way when the bot stopped; not re-sent"),
}


async def failure_csv(
    session: AsyncSession, newsletter: Newsletter, *, translate: Callable[[str], str]
) -> tuple[bytes, int]:
    """CSV (UTF-8 with BOM, for Excel) of recipients not reached and why; and their count."""
    rows = await outbox.failures(session, newsletter.batch)
    names = dict(
        (
            await session.execute(
                select(User.telegram_id, User.full_name).where(
                    User.telegram_id.in_([r.chat_id for r in rows])
                )
            )
        ).all()
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([translate(h) for h in CSV_HEADER])
    for row in rows:
        writer.writerow(
            [
                row.chat_id,
                names.get(row.chat_id) or "",
                row.status.value,
                translate(REASONS[row.status]),
                (row.last_error or "")[:200],
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode(), len(rows)


async def finish(
    session: AsyncSession,
    newsletter: Newsletter,
    *,
    report_text: str,
    report_caption: str,
    cancelled: bool,
    translate: Callable[[str], str],
) -> None:
    """Close a newsletter whose rows are all final and enqueue the author's report."""
    newsletter.status = NewsletterStatus.CANCELLED if cancelled else NewsletterStatus.DONE
    newsletter.finished_at = now()
    if newsletter.progress_chat_id is None:
        return
    content, failed = await failure_csv(session, newsletter, translate=translate)
    messages = [
        outbox.Outgoing(
            chat_id=newsletter.progress_chat_id,
            text=report_text,
            dedupe_key=f"{newsletter.batch}:report",
        )
    ]
    if failed:
        stored = await outbox.store_file(
            session,
            filename=f"newsletter-{newsletter.id}-not-delivered.csv",
            mime_type="text/csv",
            content=content,
        )
        messages.append(
            outbox.Outgoing(
                chat_id=newsletter.progress_chat_id,
                kind="document",
                file_id=stored.id,
                text=report_caption,
                dedupe_key=f"{newsletter.batch}:csv",
            )
        )
    await outbox.enqueue(session, messages, priority=REPORT_PRIORITY)
