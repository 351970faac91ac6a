"""«Лист регистрации участников заседания» — the attendance sheet of a meeting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.platypus import Flowable, Paragraph, Spacer

from documents.base import build_pdf, esc, numbered_table, signature_line, styles
from documents.data import AssociationInfo, Person
from services.formatting import format_date, format_time

__all__ = ["AttendanceData", "AttendanceEntry", "build_attendance", "presence_mark"]


@dataclass(frozen=True)
class AttendanceEntry:
    """One registered participant and whether they attended."""

    full_name: str
    organisation: str = ""
    present: bool = True


@dataclass(frozen=True)
class AttendanceData:
    """The sheet of meeting ``meeting_number``; ``held_at`` is aware, shown in ``timezone``."""

    association: AssociationInfo
    meeting_number: int | str
    held_at: datetime
    entries: Sequence[AttendanceEntry] = field(default_factory=tuple)
    meeting_topic: str = ""
    timezone: str = "Europe/Moscow"
    place: str = "онлайн"
    secretary: Person | None = None


def _feminine(full_name: str) -> bool | None:
    """Grammatical gender from the patronymic (…вна / …вич); ``None`` when unknown."""
    parts = full_name.split()
    if len(parts) < 3:
        return None
    patronymic = parts[2].lower()
    if patronymic.endswith(("вна", "чна", "кызы", "гызы")):
        return True
    if patronymic.endswith(("вич", "ич", "оглы", "улы", "уулу")):
        return False
    return None


def presence_mark(full_name: str, present: bool) -> str:
    """«присутствовала» / «отсутствовал»; «присутствовал(а)» when the gender is unclear."""
    stem = "присутствовал" if present else "отсутствовал"
    feminine = _feminine(full_name)
    if feminine is None:
        return f"{stem}(а)"
    return f"{stem}а" if feminine else stem


def attendance_flowables(data: AttendanceData) -> list[Flowable]:
    """The sheet's content, for embedding into a larger document."""
    st = styles()
    assoc = data.association
    held = data.held_at
    if held.tzinfo is None:
        held = held.replace(tzinfo=ZoneInfo("UTC"))
    local_day = held.astimezone(ZoneInfo(data.timezone)).date()
    present = sum(1 for e in data.entries if e.present)
    absent = len(data.entries) - present
    story: list[Flowable] = []
    if assoc.organisation:
        story += [Paragraph(esc(assoc.organisation), st.subtitle), Spacer(1, 10)]
    story += [
        Paragraph("ЛИСТ РЕГИСТРАЦИИ", st.title),
        Paragraph(
            f"участников заседания № {esc(data.meeting_number)} {esc(assoc.genitive)}",
            st.subtitle,
        ),
        Spacer(1, 8),
    ]
    if data.meeting_topic:
        story.append(Paragraph(f"<b>Тема:</b> {esc(data.meeting_topic)}", st.body_left))
    story += [
        Paragraph(
            f"<b>Дата и время:</b> {esc(format_date(local_day))}, "
            f"{format_time(held, data.timezone)}",
            st.body_left,
        ),
        Paragraph(f"<b>Место проведения:</b> {esc(data.place)}", st.body_left),
        Spacer(1, 8),
    ]
    closing: list[Flowable] = [
        Paragraph(f"Всего по списку: {len(data.entries)} чел.", st.body_left),
        Paragraph(f"Присутствовали: {present} чел.", st.body_left),
        Paragraph(f"Отсутствовали: {absent} чел.", st.body_left),
    ]
    if data.secretary is not None:
        closing += [
            Spacer(1, 18),
            signature_line(data.secretary.position or "Секретарь", data.secretary.full_name),
        ]
    story.append(
        numbered_table(
            ("Фамилия, имя, отчество", "Образовательная организация", "Отметка о присутствии"),
            [
                [e.full_name, e.organisation, presence_mark(e.full_name, e.present)]
                for e in data.entries
            ],
            (40, 50, 24),
            centered_columns=(2,),
            footer=closing,
        )
    )
    return story


def build_attendance(data: AttendanceData) -> bytes:
    """The attendance sheet as PDF bytes (portrait A4)."""
    title = f"Лист регистрации участников заседания № {data.meeting_number}"
    author = data.secretary.full_name if data.secretary else data.association.organisation
    return build_pdf(attendance_flowables(data), title=title, author=author)
