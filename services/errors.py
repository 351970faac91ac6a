"""Domain errors: small classes with an English message the bot translates for the user."""

from __future__ import annotations

from typing import ClassVar

from services.texts import N_


class DomainError(Exception):
    """A rule said no. `message` is a gettext source string; `params` fill its fields."""

    message: ClassVar[str] = N_("This action is not possible right now.")

    def __init__(self, **params: object) -> None:
        super().__init__(self.message.format(**params) if params else self.message)
        self.params = params


class NotRegistered(DomainError):
    message = N_("Please register first: send /start.")


class PermissionDenied(DomainError):
    message = N_("Sorry, this is available to {role} only.")


class NotFound(DomainError):
    message = N_("Nothing was found: it may have been deleted.")


class InvalidInput(DomainError):
    """Input that breaks a rule; the subclass names which."""

    message = N_("This does not look right. Please try again.")


class UnknownUser(DomainError):
    message = N_("No registered teacher has the Telegram id {telegram_id}.")


class AlreadyHasRole(DomainError):
    message = N_("{name} already has this role.")


class DoesNotHaveRole(DomainError):
    message = N_("{name} does not have this role.")
