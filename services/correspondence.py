"""Messages between members: the internal correspondence of the regulations.

A member writes to a fellow member of one of their associations through the bot; neither
learns the other's Telegram username. The recipient sees who wrote (name, organisation,
association), may answer (the answer goes back the same way), may refuse further messages
from that person (the sender is told politely when they try to write again), and may
report the message to the association's leader (audited).

Limits against spam: `PER_HOUR` new messages (not answers) per sender in any hour, and
`PER_RECIPIENT_PER_DAY` messages from one sender to one recipient in any 24 hours.

Privacy: a relayed text is kept only to be answered and, if abusive, reported: the row is
erased `RETENTION` after it was sent (the sweep `member-messages-erase`) and with either
person's /forget. What stays is the activity event, which has no content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, AssociationStatus, MemberRole, Membership, MembershipStatus, User
from models.correspondence import MemberMessage, MessageBlock
from models.outbox import OutboxMessage, OutboxStatus
from models.user import NetworkRole, NetworkRoleGrant
from services.access import Actor, membership_of, require_registered, role_holder
from services.audit import audit, record_activity
from services.clock import now
from services.errors import DomainError, InvalidInput
from services.formatting import format_datetime
from services.locks import lock
from services.notices import Notice, tell
from services.texts import N_

PER_HOUR = 5
PER_RECIPIENT_PER_DAY = 10
MAX_LENGTH = 2000
RETENTION = timedelta(days=30)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
ACTIVITY_KIND = "member_message"


class NotFellowMember(DomainError):
    message = N_("You can write only to fellow members of your associations.")


class CannotWriteToYourself(DomainError):
    message = N_("This is you: choose a fellow member to write to.")


class Refused(DomainError):
    message = N_(
        "Sorry, {name} does not receive messages from you through the bot. "
        "You can meet at the association's meetings and in its group."
    )


class TooManyPerHour(DomainError):
    message = N_(
        "You have reached the limit of new messages within an hour ({limit}). "
        "You can write again from {when}."
    )


class TooManyToOnePerson(DomainError):
    message = N_(
        "You have reached the limit of messages to {name} within a day ({limit}). "
        "You can write again from {when}."
    )


class MessageGone(DomainError):
    message = N_(
        "This message is no longer kept (messages are erased 30 days after they are sent)."
    )


class NotYourMessage(DomainError):
    message = N_("Only the person this message was sent to can do this.")


class AlreadyReported(DomainError):
    message = N_("You have already reported this message.")


class NobodyToReportTo(DomainError):
    message = N_("The association has no leader to report to at the moment.")


class BadText(InvalidInput):
    message = N_("Please write the message as text, up to 2000 characters.")


def clean_text(text: str) -> str:
    """The message as it will be relayed (stripped); BadText when empty or too long."""
    value = text.strip()
    if not value or len(value) > MAX_LENGTH:
        raise BadText()
    return value


# the fellow members -------------------------------------------------------------------------
@dataclass(frozen=True)
class Fellow:
    user_id: int
    name: str


@dataclass(frozen=True)
class Fellows:
    association: Association
    people: list[Fellow]


async def my_associations(session: AsyncSession, *, actor: Actor) -> list[Association]:
    """The active associations the registered actor is an active member of, by name."""
    user = await require_registered(session, actor)
    rows = await session.scalars(
        select(Association)
        .join(Membership, Membership.association_id == Association.id)
        .where(
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.ACTIVE,
            Association.status == AssociationStatus.ACTIVE,
        )
        .order_by(Association.name)
    )
    return list(rows.all())


async def fellows(session: AsyncSession, *, actor: Actor, association_id: int) -> Fellows:
    """The other reachable active members of an association of the actor's, by name."""
    user = await _member(session, actor, association_id)
    rows = await session.execute(
        select(User.id, User.full_name)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.id != user.id,
            User.telegram_id.is_not(None),
        )
    )
    people = sorted(
        (Fellow(user_id, name or "") for user_id, name in rows.all()),
        key=lambda f: f.name.casefold(),
    )
    return Fellows(await session.get_one(Association, association_id), people)


async def _member(session: AsyncSession, actor: Actor, association_id: int) -> User:
    user = await require_registered(session, actor)
    if await membership_of(session, user.id, association_id) is None:
        raise NotFellowMember()
    return user


# writing -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Addressee:
    """Whom a message is about to go to, checked before the sender types it."""

    association_id: int
    user_id: int
    name: str
    reply_to: int | None = None


async def addressee(
    session: AsyncSession, *, actor: Actor, association_id: int, user_id: int
) -> Addressee:
    """Whether the actor may write a new message to `user_id` now (every rule checked)."""
    sender = await _member(session, actor, association_id)
    recipient = await _recipient(session, association_id, user_id, sender)
    await _check_limits(session, sender, recipient, association_id, answer=False)
    return Addressee(association_id, recipient.id, recipient.full_name or "")


async def answer_addressee(session: AsyncSession, *, actor: Actor, message_id: int) -> Addressee:
    """Whom the actor answers by the «Answer» under message `message_id`."""
    message = await _received(session, actor, message_id)
    sender = await _member(session, actor, message.association_id)
    recipient = await _recipient(session, message.association_id, message.sender_id, sender)
    await _check_limits(session, sender, recipient, message.association_id, answer=True)
    return Addressee(message.association_id, recipient.id, recipient.full_name or "", message.id)


async def _recipient(
    session: AsyncSession, association_id: int, user_id: int, sender: User
) -> User:
    if user_id == sender.id:
        raise CannotWriteToYourself()
    recipient = await session.get(User, user_id)
    reachable = recipient is not None and recipient.telegram_id is not None
    if not reachable or await membership_of(session, user_id, association_id) is None:
        raise NotFellowMember()
    assert recipient is not None
    if await _blocked(session, blocker_id=recipient.id, blocked_id=sender.id):
        raise Refused(name=recipient.full_name or "")
    return recipient


async def _blocked(session: AsyncSession, *, blocker_id: int, blocked_id: int) -> bool:
    found = await session.scalar(
        select(MessageBlock.id).where(
            MessageBlock.blocker_id == blocker_id, MessageBlock.blocked_id == blocked_id
        )
    )
    return found is not None


async def _check_limits(
    session: AsyncSession, sender: User, recipient: User, association_id: int, *, answer: bool
) -> None:
    moment = now()
    if not answer:
        hourly = await _sent_since(session, moment - HOUR, sender.id, new_only=True)
        if len(hourly) >= PER_HOUR:
            when = await _when(session, sender, association_id, hourly[-PER_HOUR] + HOUR)
            raise TooManyPerHour(limit=PER_HOUR, when=when)
    daily = await _sent_since(session, moment - DAY, sender.id, recipient_id=recipient.id)
    if len(daily) >= PER_RECIPIENT_PER_DAY:
        when = await _when(session, sender, association_id, daily[-PER_RECIPIENT_PER_DAY] + DAY)
        raise TooManyToOnePerson(
            name=recipient.full_name or "", limit=PER_RECIPIENT_PER_DAY, when=when
        )


async def _sent_since(
    session: AsyncSession,
    since: datetime,
    sender_id: int,
    *,
    new_only: bool = False,
    recipient_id: int | None = None,
) -> list[datetime]:
    """When the sender's messages in the window were sent, oldest first."""
    query = select(MemberMessage.sent_at).where(
        MemberMessage.sender_id == sender_id, MemberMessage.sent_at > since
    )
    if new_only:
        query = query.where(MemberMessage.reply_to_id.is_(None))
    if recipient_id is not None:
        query = query.where(MemberMessage.recipient_id == recipient_id)
    return list((await session.scalars(query.order_by(MemberMessage.sent_at))).all())


async def _when(session: AsyncSession, user: User, association_id: int, moment: datetime) -> str:
    association = await session.get_one(Association, association_id)
    language = user.language or user.telegram_language or "ru"
    return format_datetime(moment, user.timezone or association.timezone, language)


async def send(
    session: AsyncSession,
    *,
    actor: Actor,
    association_id: int,
    user_id: int,
    text: str,
    reply_to: int | None = None,
) -> Addressee:
    """Relay `text` to a fellow member (an answer to message `reply_to` when given).

    Every rule is checked again now, under a lock on the sender, so two messages sent at
    once cannot both pass the last free place of a limit."""
    sender = await require_registered(session, actor)
    await lock(session, User, sender.id)
    if reply_to is None:
        target = await addressee(
            session, actor=actor, association_id=association_id, user_id=user_id
        )
    else:
        target = await answer_addressee(session, actor=actor, message_id=reply_to)
    message = MemberMessage(
        association_id=target.association_id,
        sender_id=sender.id,
        recipient_id=target.user_id,
        reply_to_id=target.reply_to,
        text=clean_text(text),
        sent_at=now(),
    )
    session.add(message)
    await session.flush()
    await record_activity(
        session, kind=ACTIVITY_KIND, user_id=sender.id, association_id=target.association_id
    )
    recipient = await session.get_one(User, target.user_id)
    association = await session.get_one(Association, target.association_id)
    tell(
        session,
        Notice(
            "correspondence.message",
            {"message": message, "sender": sender, "association": association},
            user=recipient,
            dedupe_key=f"cor:{message.id}",
            batch=_batch(message.id),
        ),
    )
    return target


# refusing and reporting --------------------------------------------------------------------
async def _received(session: AsyncSession, actor: Actor, message_id: int) -> MemberMessage:
    user = await require_registered(session, actor)
    message = await session.get(MemberMessage, message_id)
    if message is None:
        raise MessageGone()
    if message.recipient_id != user.id:
        raise NotYourMessage()
    return message


async def block(session: AsyncSession, *, actor: Actor, message_id: int) -> User:
    """The actor receives no more messages from the sender of `message_id`; returns them."""
    message = await _received(session, actor, message_id)
    sender = await session.get_one(User, message.sender_id)
    if not await _blocked(session, blocker_id=message.recipient_id, blocked_id=sender.id):
        session.add(MessageBlock(blocker_id=message.recipient_id, blocked_id=sender.id))
        await session.flush()
        await audit(
            session,
            actor_telegram_id=actor.telegram_id,
            action="correspondence.blocked",
            target_type="user",
            target_id=sender.id,
        )
    return sender


async def unblock(session: AsyncSession, *, actor: Actor, user_id: int) -> User:
    """The actor accepts messages from `user_id` again; returns that person."""
    me = await require_registered(session, actor)
    person = await session.get(User, user_id)
    if person is None:
        raise NotFellowMember()
    removed = await session.execute(
        delete(MessageBlock).where(
            MessageBlock.blocker_id == me.id, MessageBlock.blocked_id == user_id
        )
    )
    if removed.rowcount:  # type: ignore[attr-defined]
        await audit(
            session,
            actor_telegram_id=actor.telegram_id,
            action="correspondence.unblocked",
            target_type="user",
            target_id=user_id,
        )
    return person


@dataclass(frozen=True)
class Reported:
    association: Association
    to_leader: bool  # False: the leader wrote it, so the network methodists were told


async def report(session: AsyncSession, *, actor: Actor, message_id: int) -> Reported:
    """Send message `message_id` and who wrote it to the association's leader (or, when the
    leader wrote it, to the network methodists); audited."""
    await _received(session, actor, message_id)
    message = await lock(session, MemberMessage, message_id)
    if message.reported_at is not None:
        raise AlreadyReported()
    leader = await role_holder(session, message.association_id, MemberRole.LEADER)
    to_leader = leader is not None and leader.id != message.sender_id
    readers = [leader] if to_leader and leader is not None else await _methodists(session, message)
    if not readers:
        raise NobodyToReportTo()
    message.reported_at = now()
    params = {
        "message": message,
        "sender": await session.get_one(User, message.sender_id),
        "reporter": await session.get_one(User, message.recipient_id),
        "association": await session.get_one(Association, message.association_id),
    }
    for reader in readers:
        tell(
            session,
            Notice(
                "correspondence.report",
                params,
                user=reader,
                dedupe_key=f"cor:{message.id}:report:{reader.id}",
                batch=_batch(message.id),
            ),
        )
    await audit(
        session,
        actor_telegram_id=actor.telegram_id,
        action="correspondence.reported",
        target_type="member_message",
        target_id=message.id,
        sender_id=message.sender_id,
        association_id=message.association_id,
        readers=[r.id for r in readers],
    )
    return Reported(params["association"], to_leader)


async def _methodists(session: AsyncSession, message: MemberMessage) -> list[User]:
    holders = select(NetworkRoleGrant.user_id).where(NetworkRoleGrant.role == NetworkRole.METHODIST)
    rows = await session.scalars(
        select(User).where(
            User.id.in_(holders), User.id != message.sender_id, User.telegram_id.is_not(None)
        )
    )
    return list(rows.all())


# retention -----------------------------------------------------------------------------------
def _batch(message_id: int) -> str:
    """The outbox batch of what relays message `message_id` (the message and its reports)."""
    return f"cor:{message_id}"


async def _erase(session: AsyncSession, where: ColumnElement[bool]) -> int:
    """Delete the messages matching `where`, and the texts of the outbox rows that carried
    them (a row not yet sent is cancelled)."""
    ids = list((await session.scalars(select(MemberMessage.id).where(where))).all())
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        batches = OutboxMessage.batch.in_([_batch(i) for i in chunk])
        pending = OutboxMessage.status == OutboxStatus.PENDING
        await session.execute(
            update(OutboxMessage)
            .where(batches, pending)
            .values(status=OutboxStatus.CANCELLED, payload={})
        )
        await session.execute(update(OutboxMessage).where(batches).values(payload={}))
        await session.execute(delete(MemberMessage).where(MemberMessage.id.in_(chunk)))
    return len(ids)


async def erase_expired(session: AsyncSession) -> int:
    """Erase the messages (texts included, in the outbox too) sent longer than `RETENTION`
    ago; returns how many."""
    return await _erase(session, MemberMessage.sent_at < now() - RETENTION)


async def erase_of_person(session: AsyncSession, user_id: int) -> int:
    """Erase every message the person sent or received (their /forget)."""
    return await _erase(
        session, or_(MemberMessage.sender_id == user_id, MemberMessage.recipient_id == user_id)
    )
