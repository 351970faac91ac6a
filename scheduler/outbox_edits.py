"""Edits in the outbox: when one may leave, how it is sent, what its fate does to others.

An edit (kind "edit", see services/outbox.py) is an outbox row the worker (scheduler/
outbox.py) claims, paces and records like any other; this module holds what differs:
- it is due only once its target is SENT and no earlier edit of that target is in flight,
  so the edits of one message arrive in order, each at most once;
- "message is not modified" counts as sent;
- a target deleted in the chat (or left behind in a migrated group) becomes DELETED and
  its pending edits are dropped: they would fail the same way;
- a target that ended undelivered has its pending edits cancelled;
- an edit that must be retried while a newer edit of its target waits gives way to it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated

from models import OutboxMessage, OutboxStatus
from models.outbox import NOT_DELIVERED

NOT_MODIFIED = "message is not modified"
TARGET_GONE = ("message to edit not found", "message_id_invalid")
NOT_DELIVERED_REASON = "the message to edit was not delivered"
SUPERSEDED = {"status": OutboxStatus.CANCELLED, "error": "superseded by a later edit"}


def ready() -> Any:
    """The due-list condition: no edit, or an edit whose target is delivered and whose
    earlier edit (if any) is not in flight."""
    target, sibling = aliased(OutboxMessage), aliased(OutboxMessage)
    return or_(
        OutboxMessage.edit_of.is_(None),
        and_(
            exists().where(
                target.dedupe_key == OutboxMessage.edit_of, target.status == OutboxStatus.SENT
            ),
            ~exists().where(
                sibling.edit_of == OutboxMessage.edit_of,
                sibling.status == OutboxStatus.SENDING,
            ),
        ),
    )


async def send(
    bot: Bot, sessions: async_sessionmaker[AsyncSession], row: OutboxMessage, markup: Any
) -> dict[str, Any]:
    """Edit the target's message; the outcome as the worker records it. Errors other than
    the ones an edit expects are raised for the worker to classify (429, network…)."""
    target = await _target(sessions, row)
    if target is None:  # deleted meanwhile, as another edit found
        return {"status": OutboxStatus.CANCELLED, "error": "the message to edit is gone"}
    chat_id, message_id, kind = target
    try:
        await _edit(
            bot, row, chat_id, message_id, caption=kind in ("document", "photo"), markup=markup
        )
    except BadRequest as error:
        reason = error.message.lower()
        if NOT_MODIFIED in reason:  # what it would show is already there
            return {"status": OutboxStatus.SENT, "message_id": message_id}
        if any(gone in reason for gone in TARGET_GONE):
            return {"status": OutboxStatus.FAILED, "error": error.message, "gone": True}
        raise
    except ChatMigrated as error:  # the message stayed in the old group: not editable
        return {"status": OutboxStatus.FAILED, "error": str(error), "gone": True}
    return {"status": OutboxStatus.SENT, "message_id": message_id}


async def _target(
    sessions: async_sessionmaker[AsyncSession], row: OutboxMessage
) -> tuple[int, int, str] | None:
    """Where the target's message is (its chat may have changed since the edit was made)."""
    async with sessions() as session:
        found = (
            await session.execute(
                select(OutboxMessage.chat_id, OutboxMessage.message_id, OutboxMessage.kind).where(
                    OutboxMessage.dedupe_key == row.edit_of,
                    OutboxMessage.status == OutboxStatus.SENT,
                )
            )
        ).one_or_none()
    return None if found is None else (found[0], found[1], found[2])


async def _edit(
    bot: Bot, row: OutboxMessage, chat_id: int, message_id: int, *, caption: bool, markup: Any
) -> None:
    text = row.payload.get("text")
    if caption:
        await bot.edit_message_caption(
            chat_id, message_id, caption=text, parse_mode=ParseMode.HTML, reply_markup=markup
        )
        return
    await bot.edit_message_text(
        text,
        chat_id,
        message_id,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        link_preview_options=LinkPreviewOptions(is_disabled=True)
        if row.payload.get("disable_preview", True)
        else None,
    )


async def superseded(session: AsyncSession, row: OutboxMessage) -> bool:
    """An edit to retry while a later edit of its target waits: the later one wins."""
    if row.edit_of is None:
        return False
    later = await session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.edit_of == row.edit_of,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.id != row.id,
        )
    )
    return later is not None


async def record_target_deleted(session: AsyncSession, row: OutboxMessage, error: str) -> None:
    """The message is gone from the chat: say so on its row, and edit it no more."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.dedupe_key == row.edit_of, OutboxMessage.status == OutboxStatus.SENT)
        .values(status=OutboxStatus.DELETED, last_error=f"deleted in the chat: {error}")
    )
    await drop_edits_of(session, row.edit_of, "the message to edit was deleted")


async def drop_edits_of(session: AsyncSession, target: str | None, reason: str) -> None:
    """The pending edits of a message that will not be shown (any more) are cancelled."""
    if target is not None:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.edit_of == target, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.CANCELLED, last_error=reason)
        )


async def drop_orphans(session: AsyncSession) -> int:
    """Pending edits whose target ended undelivered, however it ended, are cancelled (the
    worker's periodic check: a target recovered as UNCONFIRMED, a cancelled mailing…)."""
    target = aliased(OutboxMessage)
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.edit_of.is_not(None),
            exists().where(
                target.dedupe_key == OutboxMessage.edit_of, target.status.in_(NOT_DELIVERED)
            ),
        )
        .values(status=OutboxStatus.CANCELLED, last_error=NOT_DELIVERED_REASON)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
