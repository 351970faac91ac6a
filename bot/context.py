"""The CallbackContext our handlers get: session, translator, actor, settings, renderer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import Translator
from bot.scope import UpdateScope, current_scope, scope
from models import User
from services.access import Actor

if TYPE_CHECKING:
    from bot.render import Renderer
    from bot.settings import Settings
    from scheduler.outbox import OutboxWorker


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Handlers read the update's unit of work from here instead of opening sessions."""

    @property
    def scope(self) -> UpdateScope:
        return scope()

    @property
    def session(self) -> AsyncSession:
        return scope().session

    @property
    def t(self) -> Translator:
        value = current_scope.get()
        if value is None:
            return Translator(self.settings.default_language)
        return value.translator

    @property
    def actor(self) -> Actor:
        actor = scope().actor
        if actor is None:
            raise RuntimeError("this update has no user")
        return actor

    @property
    def user(self) -> User | None:
        return scope().user

    @property
    def settings(self) -> Settings:
        return self.bot_data["settings"]

    @property
    def render(self) -> Renderer:
        return self.bot_data["renderer"]

    @property
    def outbox(self) -> OutboxWorker:
        return self.bot_data["outbox"]


def make_context_types() -> Any:
    from telegram.ext import ContextTypes

    return ContextTypes(context=BotContext)


BotApplication = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
