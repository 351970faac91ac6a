"""«План работы … на 2026/2027 учебный год» — the association's year work plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from reportlab.platypus import Flowable, Paragraph, Spacer

from documents.base import (
    LANDSCAPE_WIDTH,
    NBSP,
    approval_blocks,
    build_pdf,
    esc,
    signature_line,
    styles,
)
from documents.data import Approval, AssociationInfo, Person, meeting_form
from documents.tables import SectionRow, keep_with_table, numbered_table
from services.formatting import academic_year_label, format_month
from services.names import short_name

__all__ = ["PlanData", "PlanItem", "build_plan"]

DRAFT_LABEL = "ПРОЕКТ"


@dataclass(frozen=True)
class PlanItem:
    """One line of the plan.

    ``month`` is (year, month); ``on_date`` an exact date when known (it wins for the
    «Срок» column). An item with neither goes under «В течение года». ``form`` accepts a
    meeting-form code ("webinar") or Russian words. ``responsible`` are full names or
    short ones; both print as «Иванова А. П.». ``done_mark`` fills «Отметка о выполнении».
    """

    topic: str
    month: tuple[int, int] | None = None
    on_date: date | None = None
    form: str = ""
    responsible: Sequence[str] = ()
    expected_result: str = ""
    done_mark: str = ""


@dataclass(frozen=True)
class PlanData:
    """A plan version. ``status``: draft, submitted, agreed, approved, returned (or Russian).

    ``agreed`` is the «СОГЛАСОВАНО» stamp (left), ``approved`` the «УТВЕРЖДАЮ» stamp
    (right); either may be ``None`` for a one-step route. Anything but an approved plan
    carries the «ПРОЕКТ» mark. ``status`` and ``version`` are not printed on the plan
    (they are the bot's bookkeeping, not the document's); the version goes to the PDF's
    subject.
    """

    association: AssociationInfo
    academic_year: int
    items: Sequence[PlanItem] = field(default_factory=tuple)
    methodological_topic: str = ""
    goal: str = ""
    tasks: Sequence[str] = ()
    agreed: Approval | None = None
    approved: Approval | None = None
    status: str = "draft"
    version: int = 1
    leader: Person | None = None
    returned_comment: str = ""


_STATUS = {
    "draft": "проект",
    "submitted": "направлен на согласование",
    "agreed": "согласован",
    "approved": "утверждён",
    "returned": "возвращён на доработку",
}

_RETURNED = "returned"

_HEADERS = (
    "Срок",
    "Тема",
    "Форма проведения",
    "Ответственные",
    "Ожидаемый результат",
    "Отметка о выполнении",
)
_WEIGHTS = (22, 66, 32, 40, 50, 32)  # relative; columns widen for their longest words


def _status_code(status: str) -> str:
    s = (status or "draft").strip().lower()
    reverse = {v: k for k, v in _STATUS.items()}
    return reverse.get(s, s)


def _month_key(item: PlanItem) -> tuple[int, int] | None:
    if item.on_date is not None:
        return item.on_date.year, item.on_date.month
    return item.month


def _rows(items: Sequence[PlanItem]) -> list[list[str] | SectionRow]:
    dated = [(k, i, item) for i, item in enumerate(items) if (k := _month_key(item))]
    undated = [item for item in items if _month_key(item) is None]
    dated.sort(key=lambda t: (t[0], t[2].on_date or date(*t[0], 1), t[1]))
    rows: list[list[str] | SectionRow] = []
    current: tuple[int, int] | None = None
    for key, _, item in dated:
        if key != current:
            rows.append(SectionRow(format_month(*key)))
            current = key
        # The month is in the section row above: a month-only item is «в течение месяца».
        rows.append(_row(item, "в течение месяца"))
    if undated:
        rows.append(SectionRow("В течение года"))
        rows += [_row(item, "в течение года") for item in undated]
    return rows


def _row(item: PlanItem, when_undated: str) -> list[str]:
    when = item.on_date.strftime("%d.%m.%Y") if item.on_date else when_undated
    return [
        when,
        item.topic,
        meeting_form(item.form),
        ", ".join(short_name(r) for r in item.responsible if short_name(r)),
        item.expected_result,
        item.done_mark,
    ]


def _heading(data: PlanData) -> list[Flowable]:
    """The organisation on top, the approval stamps, then «ПЛАН РАБОТЫ … на … учебный год»."""
    st = styles()
    assoc = data.association
    story: list[Flowable] = []
    if assoc.organisation:
        story += [Paragraph(esc(assoc.organisation), st.subtitle), Spacer(1, 10)]
    if data.agreed or data.approved:
        story += [
            approval_blocks(data.agreed, data.approved, width=LANDSCAPE_WIDTH),
            Spacer(1, 14),
        ]
    story += [
        Paragraph("ПЛАН РАБОТЫ", st.title),
        Paragraph(esc(assoc.genitive), st.subtitle),
        Paragraph(f"на {academic_year_label(data.academic_year)} учебный год", st.subtitle),
        Spacer(1, 10),
    ]
    return story


def _aims(data: PlanData) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = []
    if data.methodological_topic:
        story.append(
            Paragraph(f"<b>Методическая тема:</b> {esc(data.methodological_topic)}", st.body_left)
        )
    if data.goal:
        story.append(Paragraph(f"<b>Цель:</b> {esc(data.goal)}", st.body_left))
    if data.tasks:
        story.append(Paragraph("<b>Задачи:</b>", st.label))
        for n, task in enumerate(data.tasks, 1):
            story.append(Paragraph(f"{n}.{NBSP}{esc(task)}", st.hanging))
    return story


def _closing(data: PlanData) -> list[Flowable]:
    """Under the table: the remarks of a returned draft, the leader's signature."""
    st = styles()
    closing: list[Flowable] = []
    if data.returned_comment and _status_code(data.status) == _RETURNED:
        closing.append(Paragraph(f"Замечания: {esc(data.returned_comment)}", st.body_left))
    if data.leader is not None:
        closing += [
            Spacer(1, 16),
            signature_line(
                data.leader.position or data.association.leader_title,
                data.leader.full_name,
                width=LANDSCAPE_WIDTH * 0.62,
            ),
        ]
    return closing


def plan_flowables(data: PlanData) -> list[Flowable]:
    """The plan's content, for embedding into a larger document."""
    table = numbered_table(
        _HEADERS,
        _rows(data.items),
        _WEIGHTS,
        total_width=LANDSCAPE_WIDTH,
        centered_columns=(0,),
        whole_word_columns=(3,),
        footer=_closing(data),
    )
    heading = [Spacer(1, 8), Paragraph("Содержание работы", styles().heading)]
    return [*_heading(data), *_aims(data), *keep_with_table(heading, table)]


def build_plan(data: PlanData) -> bytes:
    """The year work plan as PDF bytes (portrait A4; a draft carries «ПРОЕКТ»)."""
    year = academic_year_label(data.academic_year)
    title = f"План работы {data.association.genitive} на {year} учебный год"
    author = data.leader.full_name if data.leader else data.association.organisation
    draft = _status_code(data.status) != "approved"
    return build_pdf(
        plan_flowables(data),
        title=title,
        author=author,
        landscape=True,
        subject=f"{title}, версия {data.version}",
        watermark=DRAFT_LABEL if draft else None,
    )
