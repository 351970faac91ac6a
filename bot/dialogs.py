"""Multi-step dialogs whose state lives in the database, in the update's transaction.

Why not ConversationHandler with a persistence class: PTB writes persistence on an
interval and in its own transaction, so a crash can lose an answer or record a step
without the data it collected. Here the step, the answers and the update's "handled"
mark are committed together (see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape
from telegram import InlineKeyboardMarkup, Message, Update

from bot.buttons import settle
from bot.callbacks import Callback, cb, parse
from bot.context import BotContext
from bot.errors import undo_update
from bot.keyboards import columns, inline
from bot.replies import edit_pressed, send_text
from models import DialogState
from services import dialogs as store
from services import link_buttons
from services.errors import DomainError, InvalidInput
from services.texts import N_

log = logging.getLogger(__name__)

Ask = Callable[["Turn"], Awaitable[None]]
OnText = Callable[["Turn", str], Awaitable[None]]
OnButton = Callable[["Turn", Callback], Awaitable[None]]
OnFile = Callable[["Turn", Message], Awaitable[None]]
# Where a step goes on: the name of the next step, or a function deciding it.
Then = str | Callable[["Turn"], Awaitable[None]]
# A question: a msgid (translated when asked) or a function of the turn giving the HTML.
Prompt = str | Callable[["Turn"], str]
# The options of a choice: (value, translated label) pairs; values are callback-safe.
Options = Callable[["Turn"], list[tuple[str, str]]]
DONE = "done"


class NothingChosen(InvalidInput):
    message = N_("Please choose at least one option, then press «Done».")


def _prompt(turn: Turn, prompt: Prompt) -> str:
    return turn.t.gettext(prompt) if isinstance(prompt, str) else prompt(turn)


@dataclass(frozen=True)
class Step:
    """One question: how to ask it and what input it accepts."""

    ask: Ask
    on_text: OnText | None = None
    on_button: OnButton | None = None
    on_file: OnFile | None = None


@dataclass
class Dialog:
    """A named set of steps. Its name doubles as the prefix of its buttons' data."""

    name: str
    steps: dict[str, Step] = field(default_factory=dict)

    def step(
        self,
        name: str,
        *,
        ask: Ask,
        on_text: OnText | None = None,
        on_button: OnButton | None = None,
        on_file: OnFile | None = None,
    ) -> None:
        self.steps[name] = Step(ask=ask, on_text=on_text, on_button=on_button, on_file=on_file)

    def link_buttons_step(self, name: str, *, prompt: str, then: Then) -> None:
        """A step asking for optional link buttons under a message: lines
        `Label - https://link` (kept as `buttons`) or «No buttons»; then the step `then`.

        `prompt` is the question's msgid (marked with N_), translated when asked.
        """

        async def ask(turn: Turn) -> None:
            t = turn.t
            await turn.say(
                t.gettext(prompt), inline([[(t.plain("No buttons"), cb(self.name, "nobuttons"))]])
            )

        async def on_button(turn: Turn, data: Callback) -> None:
            if data.action != "nobuttons":
                await turn.repeat()
                return
            turn.put(buttons=[])
            await _go_on(turn, then)

        on_text = cleaned_answer("buttons", link_buttons.parse_buttons, then)
        self.step(name, ask=ask, on_text=on_text, on_button=on_button)

    def optional_document_step(self, name: str, *, prompt: str, then: Then) -> None:
        """A step asking for one optional file sent as a document (kept as `file`: its id
        and name) or «Without a file» (`file` None); then the step `then`.

        `prompt` is the question's msgid (marked with N_), translated when asked.
        """

        async def ask(turn: Turn) -> None:
            t = turn.t
            await turn.say(
                t.gettext(prompt),
                inline([[(t.plain("Without a file ➡️"), cb(self.name, "nofile"))]]),
            )

        async def on_file(turn: Turn, message: Message) -> None:
            if message.document is None:
                await turn.say(turn.t.gettext("Please send the file as a document (📎 → File)."))
                await turn.repeat()
                return
            turn.put(file={"id": message.document.file_id, "name": message.document.file_name})
            await _go_on(turn, then)

        async def on_button(turn: Turn, data: Callback) -> None:
            if data.action != "nofile":
                await turn.repeat()
                return
            turn.put(file=None)
            await _go_on(turn, then)

        self.step(name, ask=ask, on_file=on_file, on_button=on_button)

    def text_step(
        self,
        name: str,
        *,
        prompt: Prompt,
        key: str,
        clean: Callable[[str], Any],
        then: Then,
        skip: str | None = None,
    ) -> None:
        """A question answered in words: the answer, cleaned by `clean` (InvalidInput is
        explained and the question asked again), is kept under `key`. With `skip` (a button
        label's msgid) the question may be skipped, keeping None."""

        async def ask(turn: Turn) -> None:
            keyboard = inline([[(turn.t.plain(skip), cb(self.name, name))]]) if skip else None
            await turn.say(_prompt(turn, prompt), keyboard)

        async def on_button(turn: Turn, data: Callback) -> None:
            if data.action != name or data.args:
                await turn.repeat()
                return
            turn.put(**{key: None})
            await _go_on(turn, then)

        self.step(
            name,
            ask=ask,
            on_text=cleaned_answer(key, clean, then),
            on_button=on_button if skip else None,
        )

    def choice_step(
        self,
        name: str,
        *,
        prompt: Prompt,
        options: Options,
        key: str,
        then: Then,
        width: int = 1,
    ) -> None:
        """A question answered with one button among `options(turn)` (value, label); the
        value is kept under `key`. A value not among the options asks again."""

        async def ask(turn: Turn) -> None:
            buttons = [(label, cb(self.name, name, value)) for value, label in options(turn)]
            await turn.say(_prompt(turn, prompt), inline(columns(buttons, width)))

        async def on_button(turn: Turn, data: Callback) -> None:
            value = data.arg(0)
            if data.action != name or value not in {v for v, _ in options(turn)}:
                await turn.repeat()
                return
            turn.put(**{key: value})
            await _go_on(turn, then)

        self.step(name, ask=ask, on_button=on_button)

    def multi_choice_step(
        self,
        name: str,
        *,
        prompt: Prompt,
        options: Options,
        key: str,
        then: Then,
        check: Callable[[list[str]], None] | None = None,
        width: int = 2,
    ) -> None:
        """A question answered with several buttons, each a toggle (✅), then «Done»: the
        chosen values are kept under `key` as a list. `check` raises InvalidInput when the
        choice is not acceptable (at least one is always required); it is explained and
        the question stays."""

        def keyboard(turn: Turn) -> InlineKeyboardMarkup:
            chosen = set(turn.data.get(key, []))
            buttons = [
                (("✅ " if value in chosen else "") + label, cb(self.name, name, value))
                for value, label in options(turn)
            ]
            done = [(turn.t.plain("Done ➡️"), cb(self.name, name, DONE))]
            return inline([*columns(buttons, width), done])

        async def ask(turn: Turn) -> None:
            await turn.say(_prompt(turn, prompt), keyboard(turn))

        async def on_button(turn: Turn, data: Callback) -> None:
            value, chosen = data.arg(0), list(turn.data.get(key, []))
            if value == DONE and data.action == name:
                try:
                    if not chosen:
                        raise NothingChosen()
                    if check is not None:
                        check(chosen)
                except InvalidInput as error:
                    await turn.refuse(error)
                    return
                labels = ", ".join(label for v, label in options(turn) if v in chosen)
                await turn.show(f"{_prompt(turn, prompt)}\n\n➡️ {escape(labels)}")
                await _go_on(turn, then)
                return
            if data.action != name or value not in {v for v, _ in options(turn)}:
                await turn.repeat()
                return
            chosen.remove(value) if value in chosen else chosen.append(value)
            turn.put(**{key: chosen})
            await turn.show(_prompt(turn, prompt), keyboard(turn))

        self.step(name, ask=ask, on_button=on_button)

    def confirm_step(
        self,
        name: str,
        *,
        prompt: Prompt,
        yes: str,
        on_yes: Then,
        no: str,
        on_no: Then,
    ) -> None:
        """A yes-or-no question: two buttons (labels are msgids), each going on its way."""

        async def ask(turn: Turn) -> None:
            t = turn.t
            buttons = [
                [(t.plain(yes), cb(self.name, name, "y")), (t.plain(no), cb(self.name, name, "n"))]
            ]
            await turn.say(_prompt(turn, prompt), inline(buttons))

        async def on_button(turn: Turn, data: Callback) -> None:
            answer = data.arg(0)
            if data.action != name or answer not in ("y", "n"):
                await turn.repeat()
                return
            await _go_on(turn, on_yes if answer == "y" else on_no)

        self.step(name, ask=ask, on_button=on_button)

    async def start(
        self,
        update: Update,
        context: BotContext,
        step: str,
        data: dict[str, Any] | None = None,
        *,
        chat_id: int | None = None,
    ) -> Turn:
        """Open this dialog for the update's user and ask the first question: in the
        update's chat, or in `chat_id` (a form begun in a group goes on in private)."""
        chat, user = update.effective_chat, update.effective_user
        assert chat is not None and user is not None
        state = await store.begin(
            context.session,
            chat_id=chat.id if chat_id is None else chat_id,
            user_id=user.id,
            dialog=self.name,
            step=step,
            data=data,
        )
        turn = Turn(update, context, state, self)
        await self.steps[step].ask(turn)
        return turn


REGISTRY: dict[str, Dialog] = {}


def register(dialog: Dialog) -> Dialog:
    REGISTRY[dialog.name] = dialog
    return dialog


def cleaned_answer(key: str, clean: Callable[[str], Any], then: Then) -> OnText:
    """A text step's handler: the answer, cleaned by `clean`, is kept under `key`, then the
    dialog goes to the step `then` (or calls it); an InvalidInput is explained and the
    question asked again."""

    async def on_text(turn: Turn, text: str) -> None:
        try:
            turn.put(**{key: clean(text)})
        except InvalidInput as error:
            await turn.refuse(error)
            return
        await _go_on(turn, then)

    return on_text


async def _go_on(turn: Turn, then: Then) -> None:
    if isinstance(then, str):
        await turn.goto(then)
    else:
        await then(turn)


class Turn:
    """One answer within a dialog: its input, its state, and ways to reply."""

    def __init__(
        self, update: Update, context: BotContext, state: DialogState, dialog: Dialog
    ) -> None:
        self.update = update
        self.context = context
        self.state = state
        self.dialog = dialog
        self.t = context.t
        # Whether this turn edited the message whose button was pressed, or ended the dialog
        # (dispatch_button settles a used question by these).
        self.edited_pressed = False
        self.finished = False

    @property
    def data(self) -> dict[str, Any]:
        return self.state.data

    def put(self, **values: Any) -> None:
        """Remember answers (a new dict, so the JSON column is seen as changed)."""
        self.state.data = {**self.state.data, **values}

    def drop(self, *keys: str) -> None:
        self.state.data = {k: v for k, v in self.state.data.items() if k not in keys}

    async def goto(self, step: str) -> None:
        self.state.step = step
        await self.dialog.steps[step].ask(self)

    async def repeat(self) -> None:
        await self.dialog.steps[self.state.step].ask(self)

    async def refuse(self, error: DomainError) -> None:
        """Say why the answer cannot be taken, and ask the question again; whatever this
        update wrote is rolled back (the dialog stays where it was)."""
        undo_update()
        await self.say(self.t.error(error))
        await self.repeat()

    async def finish(self) -> None:
        self.finished = True
        await store.end(
            self.context.session, chat_id=self.state.chat_id, user_id=self.state.user_id
        )

    async def say(self, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
        """Send a new message into the dialog's chat (through the outbox when flood
        control would hold it long: bot/replies.py)."""
        await send_text(self.update, self.context, self.state.chat_id, text, keyboard)

    async def show(self, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
        """Edit the message whose button was pressed, or send a new one."""
        edit = await edit_pressed(self.update, self.context, text, keyboard)
        if edit == "edited":
            self.edited_pressed = True
        if edit != "impossible":
            return
        await self.say(text, keyboard)


async def active_turn(update: Update, context: BotContext) -> Turn | None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return None
    state = await store.load(context.session, chat_id=chat.id, user_id=user.id)
    if state is None:
        return None
    dialog = REGISTRY.get(state.dialog)
    if dialog is None or state.step not in dialog.steps:
        await store.end(context.session, chat_id=chat.id, user_id=user.id)
        return None
    return Turn(update, context, state, dialog)


async def dispatch_text(update: Update, context: BotContext) -> bool:
    """Give a typed message to the open dialog; False if there is none."""
    turn = await active_turn(update, context)
    if turn is None:
        return False
    step = turn.dialog.steps[turn.state.step]
    message = update.effective_message
    if message is not None and not message.text and step.on_file is not None:
        await step.on_file(turn, message)  # a sticker, a voice message…: the step judges it
        return True
    if step.on_text is None:
        await turn.say(turn.t.gettext("Please use the buttons under the question."))
        await turn.repeat()
        return True
    if message is None or not message.text:
        await turn.say(turn.t.gettext("Please answer with a text message."))
        await turn.repeat()
        return True
    await step.on_text(turn, message.text)
    return True


async def dispatch_file(update: Update, context: BotContext) -> bool:
    turn = await active_turn(update, context)
    if turn is None:
        return False
    step = turn.dialog.steps[turn.state.step]
    message = update.effective_message
    if step.on_file is None or message is None:
        await turn.say(turn.t.gettext("A file is not expected here. Please answer the question."))
        await turn.repeat()
        return True
    await step.on_file(turn, message)
    return True


async def dispatch_button(update: Update, context: BotContext) -> bool:
    """Give a pressed dialog button to its dialog; False if it is stale or forged."""
    query = update.callback_query
    data = parse(query.data if query else None)
    if data is None or data.prefix not in REGISTRY:
        return False
    turn = await active_turn(update, context)
    if turn is None or turn.dialog.name != data.prefix:
        return False
    asked = turn.state.step
    step = turn.dialog.steps[asked]
    if step.on_button is None:
        return False
    await step.on_button(turn, data)
    if not turn.edited_pressed and (turn.finished or turn.state.step != asked):
        await _settle_question(update)
    return True


async def _settle_question(update: Update) -> None:
    """An answered question keeps its text, shows the choice and loses its buttons."""
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or not isinstance(message, Message) or message.reply_markup is None:
        return
    chosen = next(
        (
            button.text
            for row in message.reply_markup.inline_keyboard
            for button in row
            if button.callback_data == query.data
        ),
        None,
    )
    await settle(update, f"➡️ {escape(chosen)}" if chosen else "")
