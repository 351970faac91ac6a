"""The polls' sweeps: remind those who have not answered a named poll, and close polls
whose time has come.

Closing stops the native poll in Telegram (stopPoll) before the result is stored: for an
anonymous poll the stopped poll carries the final totals. The sweep table gives a sweep
only a session, so the bot that stops polls is handed over once by the feature's
`register(app)` (`use_bot`). A poll Telegram cannot stop any more (deleted, the bot
removed from the group) is closed with what was counted; a network failure leaves it for
the next run, for up to an hour.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError

from models.polls import Poll
from services import polls
from services.clock import now

log = logging.getLogger(__name__)

GIVE_UP_STOPPING = timedelta(hours=1)

_bot: list[Bot] = []


def use_bot(bot: Bot | None) -> None:
    """The bot that stops polls (the latest application's; None: none)."""
    _bot[:] = [bot] if bot is not None else []


async def remind_non_voters(session: AsyncSession) -> None:
    await polls.remind_non_voters(session)


async def close_due_polls(session: AsyncSession) -> None:
    for poll in await polls.due_to_close(session):
        stopped, final = await _stop(poll)
        if not stopped and now() - poll.closes_at < GIVE_UP_STOPPING:
            continue
        totals, voters = final if final is not None else (None, None)
        await polls.close(session, poll_id=poll.id, final_totals=totals, final_voters=voters)


async def _stop(poll: Poll) -> tuple[bool, tuple[Sequence[int], int] | None]:
    """Stop the poll in Telegram: (whether it is stopped, its final totals if known)."""
    if not _bot or poll.message_id is None:
        return poll.message_id is None, None
    try:
        stopped = await _bot[0].stop_poll(poll.chat_id, poll.message_id)
    except (BadRequest, Forbidden) as error:  # already stopped, deleted, the bot removed
        log.info("poll %s could not be stopped: %s", poll.id, error.message)
        return True, None
    except NetworkError as error:
        log.warning("poll %s not stopped yet: %s", poll.id, error.message)
        return False, None
    return True, ([o.voter_count for o in stopped.options], stopped.total_voter_count)
