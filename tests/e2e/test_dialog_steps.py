"""The declarative dialog steps as a person meets them: a choice, a multi-choice with its
check, a skippable text and a confirmation; answered questions show the answer and lose
their buttons; a refused answer changes nothing and the question is asked again."""

from __future__ import annotations

from telegram.ext import ApplicationHandlerStop, CommandHandler

from bot.dialogs import Dialog, Turn, register
from services.errors import InvalidInput
from services.texts import N_
from tests.flows import button, press, say

PERSON = 730_001


class TooMany(InvalidInput):
    message = N_("This does not look right. Please try again.")


def _no_more_than_two(chosen: list[str]) -> None:
    if len(chosen) > 2:
        raise TooMany()


async def _finish(turn: Turn) -> None:
    data = turn.data
    await turn.finish()
    await turn.say(f"result {data['colour']} {'+'.join(data['tastes'])} {data.get('note')}")


async def _cancelled(turn: Turn) -> None:
    await turn.finish()
    await turn.say("dropped")


SAMPLE = register(Dialog("tstd"))
SAMPLE.choice_step(
    "colour",
    prompt=lambda turn: "Colour?",
    options=lambda turn: [("red", "Red"), ("blue", "Blue")],
    key="colour",
    then="tastes",
)
SAMPLE.multi_choice_step(
    "tastes",
    prompt=lambda turn: "Tastes?",
    options=lambda turn: [("s", "Sweet"), ("b", "Bitter"), ("u", "Umami")],
    key="tastes",
    then="note",
    check=_no_more_than_two,
)
SAMPLE.text_step(
    "note", prompt=lambda turn: "Note?", key="note", clean=str.strip, then="sure", skip="Skip"
)
SAMPLE.confirm_step(
    "sure", prompt=lambda turn: "Sure?", yes="Yes", on_yes=_finish, no="No", on_no=_cancelled
)


async def _start(update, context) -> None:  # type: ignore[no-untyped-def]
    await SAMPLE.start(update, context, "colour")
    raise ApplicationHandlerStop  # not an unknown command for the fallbacks


async def _settled(api, message: dict, answer: str) -> None:  # type: ignore[no-untyped-def]
    """The question shows the answer and has no buttons left."""
    chat = api.world.chat(PERSON)
    await api.wait_for(
        lambda: (
            answer in chat.messages[message["message_id"]]["text"]
            and not chat.messages[message["message_id"]].get("reply_markup")
        )
    )


async def _toggle(api, message: dict, label: str, *, on: bool) -> dict:  # type: ignore[no-untyped-def]
    """Press a toggle; the question is edited in place to show it (un)ticked."""
    api.user_presses(PERSON, message, button(message, label))
    chat = api.world.chat(PERSON)
    await api.wait_for(
        lambda: (f"✅ {label}" in str(chat.messages[message["message_id"]]["reply_markup"])) == on
    )
    return chat.messages[message["message_id"]]


async def test_a_person_walks_through_the_declarative_steps(harness, fake_api) -> None:  # type: ignore[no-untyped-def]
    harness.app.add_handler(CommandHandler("tstdialog", _start), group=-1)
    fake_api.add_user(PERSON, "Вера")
    colour = await say(fake_api, PERSON, "/tstdialog", "Colour?")
    tastes = await press(fake_api, PERSON, colour, "Blue", "Tastes?")
    await _settled(fake_api, colour, "➡️ Blue")

    await press(fake_api, PERSON, tastes, "Готово", "хотя бы один вариант")  # nothing chosen
    tastes = await fake_api.wait_for_message(PERSON, "Tastes?", edits=False)
    for label in ("Sweet", "Bitter", "Umami"):
        tastes = await _toggle(fake_api, tastes, label, on=True)
    # Three chosen: refused by the check, and asked again.
    await press(fake_api, PERSON, tastes, "Готово", "Не удалось принять ответ")
    tastes = await fake_api.wait_for_message(PERSON, "Tastes?", edits=False)
    tastes = await _toggle(fake_api, tastes, "Umami", on=False)
    note = await press(fake_api, PERSON, tastes, "Готово", "Note?")
    await _settled(fake_api, tastes, "➡️ Sweet, Bitter")

    sure = await press(fake_api, PERSON, note, "Пропустить", "Sure?")
    result = await press(fake_api, PERSON, sure, "Yes", "result")
    assert result["text"] == "result blue s+b None"
