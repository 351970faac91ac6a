"""The annual analytical report: its notice (the PDF sent privately to the leader and the
approvers by the sweep in scheduler/report.py). The data is gathered in services/report.py,
the PDF built in documents/report.py; `python -m bot report` makes it from the command line.
"""

from __future__ import annotations

from telegram.ext import Application

from handlers.report import notices  # noqa: F401

COMMANDS: list = []


def register(app: Application) -> None:
    """The report has no command of its own yet: only its notice is registered."""
