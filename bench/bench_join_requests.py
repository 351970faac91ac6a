"""Join requests and the card file: ``python bench/bench_join_requests.py [database URL]``.

The real Application runs against the fake Bot API server. 150 join requests to a bound
group arrive at once (harder than "within one minute"): 100 from members of the association,
30 from registered teachers who are not members, 20 from people who never registered. Every
request must be approved or declined correctly, each declined person written to privately,
all within 60 s. Then 100 teachers send /join at once for the last 10 places of another
association: exactly 10 must join (the association's row is locked before the count) and all
100 be answered. Then the association's card file (PDF) for 150 members is built through the
service (from the database) and must take under 1 s.

The fake server lets the bot write only to people who have started it, so the applicants are
created as such; Telegram itself allows the private message right after a join request.

Prints a Markdown table.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GROUP = -100_900_001
LEADER = 910_000
MEMBERS = 100
OUTSIDERS = 30
STRANGERS = 20
RUSH = 100  # teachers pressing for the last places at once
LAST_PLACES = 10


async def _run(database_url: str | None) -> list[tuple[str, str, str]]:
    from bot.i18n import Translator
    from models import Association
    from models.db import unit_of_work
    from services import memberships
    from services.access import Actor
    from tests.factories import add_member, make_association, make_teacher
    from tests.fakebot import FakeBotApi
    from tests.harness import BotHarness, make_settings

    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        async with FakeBotApi() as api:
            harness = BotHarness(api, make_settings(api, url, auto_migrate=True))
            await harness.start()
            try:
                api.add_user(LEADER, "Мария")
                api.add_chat(GROUP, "ВМО", members={LEADER: "creator"})
                members = [LEADER + 1 + i for i in range(MEMBERS)]
                outsiders = [LEADER + 1000 + i for i in range(OUTSIDERS)]
                strangers = [LEADER + 2000 + i for i in range(STRANGERS)]
                async with unit_of_work(harness.sessions) as session:
                    leader = await make_teacher(session, LEADER, full_name="Петрова Мария Ивановна")
                    club = await make_association(
                        session, leader=leader, chat_id=GROUP, member_cap=200
                    )
                    club_id = club.id
                    for telegram_id in members:
                        await add_member(session, club, await make_teacher(session, telegram_id))
                    for telegram_id in outsiders:
                        await make_teacher(session, telegram_id)
                for telegram_id in [*members, *outsiders, *strangers]:
                    api.add_user(telegram_id, "Учитель")
                link = "https://t.me/+bench"
                started = time.perf_counter()
                for telegram_id in [*members, *outsiders, *strangers]:
                    api.join_request(telegram_id, GROUP, link)
                total = MEMBERS + OUTSIDERS + STRANGERS
                written = OUTSIDERS + STRANGERS

                def decided() -> bool:
                    return (
                        len(api.calls_of("approveChatJoinRequest"))
                        + len(api.calls_of("declineChatJoinRequest"))
                        >= total
                        and sum(
                            1
                            for c in api.calls_of("sendMessage")
                            if c.params.get("chat_id") in set(outsiders) | set(strangers)
                        )
                        >= written
                    )

                await api.wait_for(decided, timeout=60)
                elapsed = time.perf_counter() - started
                approved = {c.params["user_id"] for c in api.calls_of("approveChatJoinRequest")}
                declined = {c.params["user_id"] for c in api.calls_of("declineChatJoinRequest")}
                told = {
                    c.params["chat_id"]
                    for c in api.calls_of("sendMessage")
                    if c.ok and "join_" in c.params.get("text", "")
                }
                correct = (
                    approved == set(members)
                    and declined == set(outsiders) | set(strangers)
                    and told >= set(outsiders) | set(strangers)
                )
                rows.append(
                    (
                        f"{total} join requests at once ({MEMBERS} members, {OUTSIDERS} "
                        f"non-members, {STRANGERS} unregistered)",
                        f"{elapsed:.2f} s",
                        "OK" if correct and elapsed < 60 else "FAIL",
                    )
                )

                rows.append(await _rush(api, harness))

                # 150 members in the card file, built from the database.
                async with unit_of_work(harness.sessions) as session:
                    club = await session.get(Association, club_id)
                    for _ in range(150 - MEMBERS - 1):
                        await add_member(session, club, await make_teacher(session))
                timings = []
                for _ in range(5):
                    async with harness.sessions() as session:
                        moment = time.perf_counter()
                        entries = await memberships.roster(
                            session, actor=Actor(LEADER), association_id=club_id
                        )
                        club = await session.get(Association, club_id)
                        pdf = memberships.roster_document(club, entries, Translator("ru").plain)
                        timings.append(time.perf_counter() - moment)
                median = statistics.median(timings)
                rows.append(
                    (
                        f"Card file PDF, {len(entries)} members (DB + build, median of 5)",
                        f"{median * 1000:.0f} ms ({len(pdf) // 1024} KiB)",
                        "OK" if median < 1 and len(entries) == 150 else "FAIL",
                    )
                )
            finally:
                await harness.stop()
    return rows


async def _rush(api, harness) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """RUSH teachers /join at once; LAST_PLACES places are free."""
    from sqlalchemy import func, select

    from models import Membership, MembershipStatus
    from models.db import unit_of_work
    from tests.factories import make_association, make_teacher

    rushing = [LEADER + 3000 + i for i in range(RUSH)]
    async with unit_of_work(harness.sessions) as session:
        club = await make_association(session, member_cap=LAST_PLACES, name="ВМО физиков")
        club_id, code = club.id, club.join_code
        for telegram_id in rushing:
            await make_teacher(session, telegram_id)
    for telegram_id in rushing:
        api.add_user(telegram_id, "Учитель")
    started = time.perf_counter()
    for telegram_id in rushing:
        api.user_sends(telegram_id, f"/join {code}")
    answered = set(rushing)

    def all_answered() -> bool:
        texts = [c for c in api.calls_of("sendMessage") if c.params.get("chat_id") in answered]
        return (
            len({c.params["chat_id"] for c in texts if "ВМО физиков" in c.params["text"]}) >= RUSH
        )

    await api.wait_for(all_answered, timeout=60)
    elapsed = time.perf_counter() - started
    await harness.idle(0.1)
    async with harness.sessions() as session:
        joined = await session.scalar(
            select(func.count(Membership.id)).where(
                Membership.association_id == club_id, Membership.status == MembershipStatus.ACTIVE
            )
        )
    return (
        f"{RUSH} teachers /join at once for the last {LAST_PLACES} places",
        f"{elapsed:.2f} s ({joined} joined)",
        "OK" if joined == LAST_PLACES else "FAIL",
    )


def main() -> None:
    rows = asyncio.run(_run(sys.argv[1] if len(sys.argv) > 1 else None))
    print("| case | time | verdict |")
    print("|---|---|---|")
    for case, took, verdict in rows:
        print(f"| {case} | {took} | {verdict} |")


if __name__ == "__main__":
    main()
