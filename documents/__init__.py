"""PDF documents: pure functions from plain data (dataclasses) to PDF bytes.

No database and no Telegram here (ARCHITECTURE.md rule 9). One module per document;
``base`` holds the page template, styles, signature lines and stamps, ``tables`` the
numbered tables, ``hyphenation`` the Russian hyphenation, ``fonts`` the embedded fonts.
A new document (a certificate, a report) builds on ``base`` and ``tables`` and inherits
their layout rules: see the docstring of ``documents.base``. People's names go through
``services.names`` (initials, gender, emoji and markup stripped).
"""

from documents.attendance import AttendanceData, AttendanceEntry, build_attendance
from documents.data import Approval, AssociationInfo, Person
from documents.plan import PlanData, PlanItem, build_plan
from documents.protocol import (
    AgendaItem,
    Decision,
    ProtocolData,
    Speech,
    Vote,
    build_protocol,
    build_protocol_extract,
)
from documents.roster import RosterData, RosterMember, build_roster

__all__ = [
    "AgendaItem",
    "Approval",
    "AssociationInfo",
    "AttendanceData",
    "AttendanceEntry",
    "Decision",
    "Person",
    "PlanData",
    "PlanItem",
    "ProtocolData",
    "RosterData",
    "RosterMember",
    "Speech",
    "Vote",
    "build_attendance",
    "build_plan",
    "build_protocol",
    "build_protocol_extract",
    "build_roster",
]
