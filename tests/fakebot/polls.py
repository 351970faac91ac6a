"""Voting in the bot's native polls, as Telegram reports it.

A vote changes the poll message's counts (so `stopPoll` returns the final totals) and
queues what Telegram sends the bot: `poll_answer` for a named poll (who chose what) and,
for an anonymous one, a `poll` update with the totals only. Taking a vote back is
`vote(api, user, message, [])`.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from .server import FakeBotApi

Update = dict[str, Any]

# Per server: (chat id, message id) -> {user id: the options that user chose}.
_BALLOTS: WeakKeyDictionary[FakeBotApi, dict[tuple[int, int], dict[int, list[int]]]] = (
    WeakKeyDictionary()
)


def poll_messages(api: FakeBotApi, chat_id: int) -> list[dict[str, Any]]:
    """The polls the bot posted in a chat, oldest first, as they are now."""
    chat = api.world.chat(chat_id)
    return [m for _, m in sorted(chat.messages.items()) if "poll" in m]


def vote(api: FakeBotApi, user_id: int, poll_message: dict[str, Any], options: list[int]) -> Update:
    """`user_id` chooses `options` (replacing an earlier choice) in the poll message."""
    chat = api.world.chat(poll_message["chat"]["id"])
    current = chat.messages[poll_message["message_id"]]
    poll = current["poll"]
    if poll["is_closed"]:
        raise AssertionError("the poll is closed: Telegram accepts no votes")
    ballots = _BALLOTS.setdefault(api, {}).setdefault((chat.id, current["message_id"]), {})
    if options:
        ballots[user_id] = list(options)
    else:
        ballots.pop(user_id, None)
    counted = {
        **poll,
        "options": _counted(poll["options"], ballots),
        "total_voter_count": len(ballots),
    }
    chat.messages[current["message_id"]] = {**current, "poll": counted}
    if poll["is_anonymous"]:
        return api.push_update({"poll": counted})
    return api.user_answers_poll(user_id, current, options)


def _counted(options: list[dict[str, Any]], ballots: dict[int, list[int]]) -> list[dict[str, Any]]:
    return [
        {**option, "voter_count": sum(index in chosen for chosen in ballots.values())}
        for index, option in enumerate(options)
    ]
