"""What the bot learns about chats while delivering: blocked people, migrated groups."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Association, OutboxMessage, OutboxStatus, User
from services.clock import now


async def mark_unreachable(session: AsyncSession, chat_id: int) -> None:
    """The person blocked the bot (or never started it): stop writing to them."""
    await session.execute(
        update(User)
        .where(User.telegram_id == chat_id, User.unreachable_since.is_(None))
        .values(unreachable_since=now())
    )


async def mark_reachable(session: AsyncSession, user: User) -> None:
    """They wrote to the bot again, so it may write back."""
    if user.unreachable_since is not None:
        user.unreachable_since = None


async def adopt_migrated_chat(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: follow it to its new id everywhere."""
    await session.execute(
        update(Association).where(Association.chat_id == old_chat_id).values(chat_id=new_chat_id)
    )
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.chat_id == old_chat_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(chat_id=new_chat_id)
    )
