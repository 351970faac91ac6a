"""Newsletters: who may write them, validating what they wrote, sending, scheduling, reports.

A network methodist (or a platform admin) writes to any audience. A leader writes only to
their own association: that is an official notice of it, which also reaches members who
switched newsletters off. Every recipient is one outbox row of the batch `nl:<id>` with the
dedupe key `nl:<id>:<user id>`, so starting a newsletter twice sends nothing twice. The rows
are enqueued a page at a time (`fan_out`: the start enqueues the first, the sweep the rest),
so a newsletter to a whole region never holds one transaction for long.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
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
from services.notices import Notice, tell
from services.texts import N_, T_

# Telegram allows 4096 characters in a message and 1024 in a caption; every copy starts
# with a header saying who sends it (at most ~200 characters), so the author has less.
HEADER_ROOM = 200
TEXT_LIMIT = 4096 - HEADER_ROOM
CAPTION_LIMIT = 1024 - HEADER_ROOM
PROGRESS_PRIORITY = 0
REPORT_PRIORITY = 1
NEWSLETTER_PRIORITY = 5
# Copies enqueued per transaction: a newsletter to a whole region (100,000 teachers) never
# holds the update that starts it, nor a sweep, for more than a fraction of a second.
FANOUT_PAGE = 250


class EmptyText(InvalidInput):
    message = N_("The newsletter has no text. Write what it should say.")


class TextTooLong(InvalidInput):
    message = N_(
        "This is too long: {length} characters; a newsletter may have at most {limit}. "
        "Please shorten it."
    )


class NotYourAssociation(PermissionDenied):
    message = N_("You can write only to the associations you lead.")


class NoRecipients(InvalidInput):
    message = N_("Nobody meets these conditions. Change the recipients.")


class TooLate(InvalidInput):
    message = N_("This newsletter has already started or was cancelled; it cannot be changed.")


class TimeInPast(InvalidInput):
    message = N_("This time has already passed. Choose a time in the future.")


class MediaFixed(InvalidInput):
    message = N_(
        "The photo or file of a scheduled newsletter cannot be replaced; cancel it and write "
        "a new one. Send the new text."
    )


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


async def send_now(
    session: AsyncSession, *, actor: Actor, draft: Draft, progress_chat_id: int, rate: float
) -> tuple[Newsletter, int]:
    """Save the newsletter and start sending it at once; returns it and its recipients."""
    newsletter = await create(
        session, actor=actor, draft=draft, scheduled_at=None, progress_chat_id=progress_chat_id
    )
    return newsletter, await start(session, newsletter, rate=rate)


async def get_own(session: AsyncSession, actor: Actor, newsletter_id: int) -> Newsletter:
    """A newsletter its author (or a platform admin) may manage."""
    newsletter = await session.get(Newsletter, newsletter_id)
    if newsletter is None:
        raise NotFound()
    user = await require_registered(session, actor)
    if newsletter.author_id != user.id and not actor.is_platform_admin:
        raise NotFound()
    return newsletter


async def scheduled_own(session: AsyncSession, actor: Actor, newsletter_id: int) -> Newsletter:
    """The author's newsletter that is still waiting for its time (TooLate otherwise)."""
    newsletter = await get_own(session, actor, newsletter_id)
    if newsletter.status is not NewsletterStatus.SCHEDULED:
        raise TooLate()
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
    if newsletter.status is not NewsletterStatus.SENDING:
        raise TooLate()
    # The fan-out ends first: this waits for a page being enqueued to commit, so the
    # cancel below stops its copies too.
    await session.execute(
        update(Newsletter)
        .where(Newsletter.id == newsletter.id, Newsletter.fanned_out_at.is_(None))
        .values(fanned_out_at=now())
    )
    await session.refresh(newsletter)
    stopped = await outbox.cancel_batch(session, newsletter.batch)
    return "sending", stopped + never_enqueued(newsletter)


def never_enqueued(newsletter: Newsletter) -> int:
    """Recipients counted at the start whose copies are not enqueued (yet, or ever: the
    newsletter was stopped first)."""
    return max(0, newsletter.recipients - newsletter.enqueued)


async def progress_of(session: AsyncSession, newsletter: Newsletter) -> outbox.BatchProgress:
    """The batch's counts, with the copies not enqueued: pending while the pages are still
    being enqueued, stopped once the newsletter was stopped before its last page."""
    progress = await outbox.batch_progress(session, newsletter.batch)
    missing = never_enqueued(newsletter)
    if not missing:
        return progress
    total = progress.total + missing
    if newsletter.fanned_out_at is None:
        return replace(progress, total=total, pending=progress.pending + missing)
    return replace(progress, total=total, cancelled=progress.cancelled + missing)


def copy_notice(
    newsletter: Newsletter, author: User, association: Association | None, recipient: User
) -> Notice:
    """The newsletter exactly as one recipient sees it, under a header naming the sender
    (and the association, when a leader writes to their own)."""
    return Notice(
        "newsletter.copy",
        {
            "text": newsletter.text,
            "buttons": one_per_row(newsletter.buttons),
            "author": author.full_name or "",
            "association": association.name if association is not None else None,
        },
        user=recipient,
        file_id=newsletter.file_id,
        media=newsletter.media_kind or "document",
        dedupe_key=f"{newsletter.batch}:{recipient.id}",
        batch=newsletter.batch,
        priority=NEWSLETTER_PRIORITY,
    )


async def start(session: AsyncSession, newsletter: Newsletter, *, rate: float) -> int:
    """Show the author the progress message and enqueue the first page of copies; returns
    the recipients counted now (the sweep enqueues the other pages: `fan_out`).

    `rate` (messages a second) is the pace the progress message estimates the time by.
    """
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
    newsletter.recipients = await audiences.count(session, Audience.from_json(newsletter.audience))
    if newsletter.progress_chat_id is not None:
        author = await session.get_one(User, newsletter.author_id)
        tell(
            session,
            Notice(
                "newsletter.progress",
                {"newsletter": newsletter, "rate": rate},
                user=author,
                dedupe_key=progress_key(newsletter),
                priority=PROGRESS_PRIORITY,
            ),
        )
    await fan_out(session, newsletter)
    return newsletter.recipients


async def fan_out(session: AsyncSession, newsletter: Newsletter) -> None:
    """Enqueue the next `FANOUT_PAGE` copies of a newsletter being sent. After the last
    page its count of recipients is the copies enqueued (the audience may have changed
    since the start)."""
    people = await audiences.claim_page(
        session,
        newsletter,
        Audience.from_json(newsletter.audience),
        cursor=Newsletter.fanout_after_user_id,
        finished=Newsletter.fanned_out_at,
        size=FANOUT_PAGE,
    )
    if people is None:  # over, or stopped (a stop ends the fan-out first)
        return
    newsletter.enqueued += len(people)
    if newsletter.fanned_out_at is not None:
        newsletter.recipients = newsletter.enqueued
    if not people:
        return
    author = await session.get_one(User, newsletter.author_id)
    association = (
        await session.get(Association, newsletter.association_id)
        if newsletter.association_id is not None
        else None
    )
    tell(session, *(copy_notice(newsletter, author, association, p) for p in people))


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


CSV_HEADER = (N_("Telegram ID"), N_("Name"), N_("Status"), N_("Reason"), N_("Details"))
STATUSES = {
    OutboxStatus.BLOCKED: N_("blocked"),
    OutboxStatus.FAILED: N_("not delivered"),
    OutboxStatus.UNCONFIRMED: N_("unknown"),
}
REASONS = {
    OutboxStatus.BLOCKED: N_("blocked the bot"),
    OutboxStatus.FAILED: N_("not delivered: refused by Telegram"),
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
                translate(STATUSES[row.status]),
                translate(REASONS[row.status]),
                (row.last_error or "")[:200],
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode(), len(rows)


async def finish(
    session: AsyncSession,
    newsletter: Newsletter,
    progress: outbox.BatchProgress,
    *,
    translate: Callable[[str], str],
) -> None:
    """Close a newsletter whose rows are all final and tell the author how it went: a
    report, and a CSV of whom it did not reach (its header in the author's words,
    `translate`)."""
    newsletter.status = (
        NewsletterStatus.CANCELLED if progress.cancelled > 0 else NewsletterStatus.DONE
    )
    newsletter.finished_at = now()
    if newsletter.progress_chat_id is None:
        return
    author = await session.get_one(User, newsletter.author_id)
    report = {"newsletter": newsletter, "progress": progress}
    notices = [
        Notice(
            "newsletter.report",
            report,
            user=author,
            dedupe_key=f"{newsletter.batch}:report",
            priority=REPORT_PRIORITY,
        )
    ]
    content, failed = await failure_csv(session, newsletter, translate=translate)
    if failed:
        stored = await outbox.store_file(
            session,
            filename=f"newsletter-{newsletter.id}-not-delivered.csv",
            mime_type="text/csv",
            content=content,
        )
        notices.append(
            Notice(
                "newsletter.not_reached",
                report,
                user=author,
                file_id=stored.id,
                dedupe_key=f"{newsletter.batch}:csv",
                priority=REPORT_PRIORITY,
            )
        )
    tell(session, *notices)
