"""Typed button presses, and a dispatch table per feature.

A button kind is a small frozen dataclass; its callback data is `prefix:action:field…`
(bot/callbacks.py, at most 64 bytes), encoded and decoded here and nowhere else:

    @dataclass(frozen=True)
    class OpenCard(Press, prefix="asn1", action="card"):
        association_id: int

    BUTTONS = ButtonTable("asn1", stale=N_("This button is out of date. Open /associations."))

    @BUTTONS.on(OpenCard)
    async def open_card(update: Update, context: BotContext, press: OpenCard) -> None: ...

    keyboard = inline([[(t.plain("Open"), OpenCard(association.id).data())]])

The table answers what no handler should have to: data of an unknown action or with
arguments that do not parse (an old or forged button) gets a polite alert; a domain error
raised by the handler rolls the update's writes back and is explained (bot/errors.py).

A handler that returns `Settled(text)` ends that message's buttons: the message keeps its
text, shows the outcome under it and loses its keyboard, so a used decision cannot be
pressed again (the service refuses a second press anyway).
"""

from __future__ import annotations

import enum
import logging
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self, TypeVar

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.callbacks import Callback, cb, parse, pattern
from bot.context import BotContext
from bot.scope import current_scope

log = logging.getLogger(__name__)


class Press:
    """Base of typed callback data. Subclasses are frozen dataclasses declared with
    `prefix=` (the feature and its format version) and `action=`."""

    prefix: ClassVar[str]
    action: ClassVar[str]

    def __init_subclass__(cls, *, prefix: str = "", action: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if prefix:
            cls.prefix, cls.action = prefix, action

    def data(self) -> str:
        """The callback data of this press (ValueError if Telegram would refuse it)."""
        return cb(self.prefix, self.action, *(_encode(getattr(self, f.name)) for f in fields(self)))  # type: ignore[arg-type]

    @classmethod
    def decode(cls, callback: Callback) -> Self:
        """The press from parsed data; ValueError when its arguments do not fit."""
        declared = fields(cls)  # type: ignore[arg-type]
        if callback.action != cls.action or len(callback.args) != len(declared):
            raise ValueError(f"{callback} is not a {cls.__name__}")
        hints = typing.get_type_hints(cls)
        values = {
            f.name: _decode(hints[f.name], raw)
            for f, raw in zip(declared, callback.args, strict=True)
        }
        return cls(**values)


def _encode(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, enum.Enum):
        return str(value.value)
    return "-" if value is None else str(value)


def _decode(kind: Any, raw: str) -> Any:
    optional = type(None) in typing.get_args(kind)
    if optional:
        if raw == "-":
            return None
        kind = next(k for k in typing.get_args(kind) if k is not type(None))
    if kind is bool:
        if raw not in ("0", "1"):
            raise ValueError(f"not a flag: {raw!r}")
        return raw == "1"
    if kind is int:
        if not raw.lstrip("-").isdigit():
            raise ValueError(f"not a number: {raw!r}")
        return int(raw)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(raw)  # ValueError for an unknown value
    return raw


@dataclass(frozen=True, slots=True)
class Settled:
    """What a handler returns when the pressed message's buttons have served: `text`
    (HTML) is shown under the message, and its keyboard is removed."""

    text: str


P = TypeVar("P", bound=Press)
Route = Callable[[Update, BotContext, Any], Awaitable[Settled | None]]


class ButtonTable:
    """The buttons of one feature: one route per press type, dispatched in one place."""

    def __init__(self, prefix: str, *, stale: str) -> None:
        self.prefix = prefix
        self.stale = stale  # msgid (N_) of the alert for unknown or out-of-date buttons
        self._routes: dict[str, tuple[type[Press], Route]] = {}

    def on(self, press: type[P]) -> Callable[[Route], Route]:
        if press.prefix != self.prefix:
            raise ValueError(f"{press.__name__} has prefix {press.prefix!r}, not {self.prefix!r}")

        def register(route: Route) -> Route:
            if press.action in self._routes:
                raise ValueError(f"two routes for {self.prefix}:{press.action}")
            self._routes[press.action] = (press, route)
            return route

        return register

    def handler(self) -> CallbackQueryHandler:
        return CallbackQueryHandler(self.dispatch, pattern=pattern(self.prefix))

    async def dispatch(self, update: Update, context: BotContext) -> None:
        query = update.callback_query
        data = parse(query.data if query else None)
        entry = self._routes.get(data.action) if data is not None else None
        if data is None or entry is None:
            await self._refuse(update, context)
            return
        press_type, route = entry
        try:
            press = press_type.decode(data)
        except ValueError:
            log.info("refused button data %r", data)
            await self._refuse(update, context)
            return
        outcome = await route(update, context, press)
        if outcome is not None:
            await settle(update, outcome.text)

    async def _refuse(self, update: Update, context: BotContext) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer(context.t.plain(self.stale), show_alert=True)


async def settle(update: Update, outcome: str) -> None:
    """The pressed message shows `outcome` under its text and loses its buttons."""
    query = update.callback_query
    message = query.message if query is not None else None
    if not isinstance(message, Message):
        return
    body = message.text_html if message.text else message.caption_html
    call = _edit_settled(message, f"{body}\n\n{outcome}" if body else outcome)
    scope = current_scope.get()
    if scope is None:
        await call
    else:
        scope.run_alongside(call)


async def _edit_settled(message: Message, text: str) -> None:
    try:
        if message.text:
            await message.edit_text(text[:4096], parse_mode=ParseMode.HTML, reply_markup=None)
        else:
            await message.edit_caption(text[:1024], parse_mode=ParseMode.HTML, reply_markup=None)
    except BadRequest as error:
        if "not modified" not in error.message:
            log.info("could not settle a used message: %s", error.message)
