"""Marking texts for translation in messenger-agnostic code."""


class LazyText(str):
    """A source string the adapter translates before showing it (e.g. a role's title)."""

    __slots__ = ()


def N_(message: str) -> str:
    """Mark a string for extraction; the bot translates it when it renders."""
    return message


def T_(message: str) -> LazyText:
    """Mark a string for extraction and flag it as a parameter to translate on display."""
    return LazyText(message)
