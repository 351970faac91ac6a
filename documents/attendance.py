"""«Лист регистрации участников заседания» — the attendance sheet of a meeting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.platypus import Flowable, Paragraph, Spacer

from documents.base import build_pdf, esc, signature_line, styles
from documents.data import AssociationInfo, Person
from documents.tables import keep_with_table, numbered_table
from services.formatting import format_date, format_time
from services.names import by_gender, clean_name

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


def presence_mark(full_name: str, present: bool) -> str:
    """«присутствовала» / «отсутствовал», agreeing with the patronymic (services.names).

    When the name does not tell («Ким Анна»), the present tense, which has no gender:
    «присутствует» / «отсутствует», rather than a bracketed «присутствовал(а)».
    """
    if present:
        return by_gender(full_name, "присутствовал", "присутствовала", "присутствует")
    return by_gender(full_name, "отсутствовал", "отсутствовала", "отсутствует")


def _local(data: AttendanceData) -> datetime:
    held = data.held_at
    if held.tzinfo is None:
        held = held.replace(tzinfo=ZoneInfo("UTC"))
    return held.astimezone(ZoneInfo(data.timezone))


def _header(data: AttendanceData) -> list[Flowable]:
    st = styles()
    assoc = data.association
    held = _local(data)
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
    when = f"{esc(format_date(held.date()))}, {format_time(held, data.timezone)}"
    story += [
        Paragraph(f"<b>Дата и время:</b> {when}", st.body_left),
        Paragraph(f"<b>Место проведения:</b> {esc(data.place)}", st.body_left),
    ]
    return story


def _closing(data: AttendanceData) -> list[Flowable]:
    """Totals (no «Отсутствовали: 0»), then the secretary's signature and the date."""
    st = styles()
    present = sum(1 for e in data.entries if e.present)
    absent = len(data.entries) - present
    closing: list[Flowable] = [
        Paragraph(f"Всего по списку: {len(data.entries)} чел.", st.body_left),
        Paragraph(f"Присутствовали: {present} чел.", st.body_left),
    ]
    if absent:
        closing.append(Paragraph(f"Отсутствовали: {absent} чел.", st.body_left))
    # Without a secretary in the data the line is left blank, to be signed by hand.
    secretary = data.secretary or Person("", "Секретарь")
    position = secretary.position or "Секретарь"
    return [
        *closing,
        Spacer(1, 18),
        signature_line(position, secretary.full_name, signed_on=_local(data).date()),
    ]


def attendance_flowables(data: AttendanceData) -> list[Flowable]:
    """The sheet's content, for embedding into a larger document."""
    table = numbered_table(
        ("Фамилия, имя, отчество", "Образовательная организация", "Отметка о присутствии"),
        [
            [clean_name(e.full_name), e.organisation, presence_mark(e.full_name, e.present)]
            for e in data.entries
        ],
        (40, 50, 24),
        centered_columns=(2,),
        whole_word_columns=(0,),
        footer=_closing(data),
    )
    return _header(data) + keep_with_table([Spacer(1, 8)], table)


def build_attendance(data: AttendanceData) -> bytes:
    """The attendance sheet as PDF bytes (portrait A4)."""
    title = (
        f"Лист регистрации участников заседания № {data.meeting_number} {data.association.genitive}"
    )
    author = data.secretary.full_name if data.secretary else data.association.organisation
    return build_pdf(attendance_flowables(data), title=title, author=author)
