"""Many people at once for the last place: the member limit holds (the association's row is
locked before the count), on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from models import Association, Membership, MembershipStatus
from models.associations_extra import WaitingListEntry, WaitingStatus
from models.db import unit_of_work
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, say

TEACHERS = [760_001 + n for n in range(10)]


async def _last_place(harness, fake_api) -> int:  # type: ignore[no-untyped-def]
    """A club with a limit of 11 and 10 members (its leader among them); ten outsiders."""
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session)
        club = await make_association(session, leader=leader, member_cap=11)
        for _ in range(9):
            await add_member(session, club, await make_teacher(session))
        for telegram_id in TEACHERS:
            fake_api.add_user(telegram_id, f"Учитель{telegram_id % 100}")
            await make_teacher(session, telegram_id)
        return club.id


async def _all_at_once(fake_api, screens: dict[int, dict], label: str, expect: str) -> dict:  # type: ignore[no-untyped-def]
    """Everyone presses `label` on their screen in the same instant; their answers."""
    for telegram_id, screen in screens.items():
        fake_api.user_presses(telegram_id, screen, button(screen, label))
    return {
        telegram_id: await fake_api.wait_for_message(telegram_id, expect, timeout=15)
        for telegram_id in screens
    }


async def test_ten_press_join_for_the_last_place_one_joins_nine_queue(harness, fake_api):
    club_id = await _last_place(harness, fake_api)
    cards = {}
    for telegram_id in TEACHERS:
        catalogue = await say(fake_api, telegram_id, "/associations", "Объединения")
        cards[telegram_id] = await press(fake_api, telegram_id, catalogue, "ВМО", "Тема:")

    answers = await _all_at_once(fake_api, cards, "Вступить", "«ВМО учителей математики»")
    welcomed = [t for t, a in answers.items() if "Добро пожаловать" in a["text"]]
    full = {t: a for t, a in answers.items() if "нет свободных мест" in a["text"]}
    assert len(welcomed) == 1 and len(full) == 9, [a["text"] for a in answers.values()]

    queued = await _all_at_once(fake_api, full, "Встать в очередь", "в очереди под номером")
    positions = sorted(int(re.search(r"номером (\d+)", a["text"])[1]) for a in queued.values())
    assert positions == list(range(1, 10))

    await harness.idle(0.1)
    async with harness.sessions() as session:
        members = await session.scalar(
            select(func.count(Membership.id)).where(
                Membership.association_id == club_id, Membership.status == MembershipStatus.ACTIVE
            )
        )
        waiting = await session.scalar(
            select(func.count(WaitingListEntry.id)).where(
                WaitingListEntry.association_id == club_id,
                WaitingListEntry.status == WaitingStatus.WAITING,
            )
        )
        club = await session.get(Association, club_id)
    assert (members, waiting) == (club.member_cap, 9)
