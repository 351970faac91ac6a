"""The sweeps of /survey: opening scheduled surveys, inviting a large audience a page at a
time, the one reminder, closing, and the feedback survey offered after each held meeting.
The rules live in services/surveys.py."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services import surveys


async def run_surveys(session: AsyncSession) -> None:
    """Open what is due, remind those who have not answered, close what is over, and store
    the sealed anonymous answers among others."""
    await surveys.open_due(session)
    await surveys.remind_due(session)
    await surveys.close_due(session)
    await surveys.publish_sealed(session)


async def invite_pages(session: AsyncSession) -> None:
    """A page more of invitations for each open survey whose audience is not all invited."""
    await surveys.invite_pages(session)


async def offer_meeting_feedback(session: AsyncSession) -> None:
    """Invite the participants of each meeting just held to its feedback survey."""
    await surveys.offer_meeting_feedback(session)
