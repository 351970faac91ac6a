"""The results protocol of a contest, for its organisers: the contest and its dates, the
jury, the criteria, one ranking table per nomination (the jurors' average per criterion,
the result, the place) and the signature lines of the organiser and the jury.

A pure function of :class:`ContestProtocolData` (A4 landscape: the criteria need room).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from documents.base import LANDSCAPE_WIDTH, build_pdf, esc, para, signatures, styles
from documents.tables import keep_with_table, numbered_table
from services.formatting import format_date

SIGNERS_PER_BLOCK = 5


@dataclass(frozen=True)
class ProtocolRow:
    place: int | None
    author: str
    organisation: str
    title: str
    by_criterion: tuple[Decimal | None, ...]
    result: Decimal | None


@dataclass(frozen=True)
class ProtocolNomination:
    name: str
    rows: tuple[ProtocolRow, ...]


@dataclass(frozen=True)
class ContestProtocolData:
    title: str
    issuer: str
    opens_on: date
    closes_on: date
    drawn_on: date
    criteria: tuple[tuple[str, int], ...]  # name, maximum
    jury: tuple[str, ...]
    organiser: str
    nominations: tuple[ProtocolNomination, ...]
    audience_award: tuple[str, ...] = ()
    published: bool = False


def number(value: Decimal | None) -> str:
    """«8,5» the Russian way; «—» where nothing was scored."""
    if value is None:
        return "—"
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}".rstrip("0")
    return text.replace(".", ",")


def points_after_do(n: int) -> str:
    """«до 1 балла», «до 5 баллов», «до 21 балла»: the genitive after «до»."""
    return "балла" if n % 10 == 1 and n % 100 != 11 else "баллов"


def _table(data: ContestProtocolData, nomination: ProtocolNomination) -> Flowable:
    headers = ["Участник", "Организация", "Работа"]
    headers += [f"К{index}" for index in range(1, len(data.criteria) + 1)]
    headers += ["Итог", "Место"]
    rows = [
        [
            row.author,
            row.organisation or "—",
            row.title,
            *(number(value) for value in row.by_criterion),
            number(row.result),
            str(row.place) if row.place else "—",
        ]
        for row in nomination.rows
    ]
    criteria = len(data.criteria)
    first_score = 3
    return numbered_table(
        headers,
        rows,
        [3, 3, 4, *([1] * criteria), 1.2, 1],
        total_width=LANDSCAPE_WIDTH,
        centered_columns=list(range(first_score, first_score + criteria + 2)),
        whole_word_columns=[0],
    )


def build_contest_protocol(data: ContestProtocolData) -> bytes:
    st = styles()
    story: list[Flowable] = [
        Paragraph("ПРОТОКОЛ", st.title),
        Paragraph(esc(f"подведения итогов конкурса «{data.title}»"), st.subtitle),
    ]
    if data.issuer:
        story.append(Paragraph(esc(data.issuer), st.subtitle))
    story += [
        Spacer(1, 4 * mm),
        para(f"Дата составления: {format_date(data.drawn_on)}", st.body_left),
        para(
            f"Приём работ: с {format_date(data.opens_on)} по {format_date(data.closes_on)}",
            st.body_left,
        ),
        Paragraph("Жюри:", st.heading),
        para(", ".join(data.jury) or "—", st.body_left),
        Paragraph("Критерии оценивания:", st.heading),
    ]
    for index, (name, top) in enumerate(data.criteria, 1):
        story.append(para(f"К{index} — {name} (до {top} {points_after_do(top)}).", st.body_left))
    story.append(
        para(
            "Итог — среднее по членам жюри значение суммы баллов по всем критериям; "
            "в столбцах К — средний балл жюри по критерию. Равный итог даёт одно место, "
            "следующее место пропускается. Места 1–3 награждаются дипломами I–III степени.",
            st.small,
        )
    )
    for nomination in data.nominations:
        heading = Paragraph(esc(f"Номинация «{nomination.name}»"), st.heading)
        if nomination.rows:
            table = _table(data, nomination)
            story += keep_with_table([heading], table)
        else:
            story += [heading, para("Работ в номинации не поступило.", st.body_left)]
    if data.audience_award:
        story += [
            Paragraph("Приз зрительских симпатий:", st.heading),
            para("; ".join(data.audience_award), st.body_left),
        ]
    story.append(Spacer(1, 10 * mm))
    signers = [("Организатор конкурса", data.organiser)] if data.organiser else []
    signers += [("Член жюри", name) for name in data.jury]
    # A few lines per table: a jury of twenty signs over pages, never cut inside a line.
    for start in range(0, len(signers), SIGNERS_PER_BLOCK):
        story.append(signatures(signers[start : start + SIGNERS_PER_BLOCK], width=LANDSCAPE_WIDTH))
        story.append(Spacer(1, 16))
    return build_pdf(
        story,
        title=f"Протокол подведения итогов конкурса «{data.title}»",
        author=data.issuer or "ВМО",
        landscape=True,
        watermark=None if data.published else "ПРОЕКТ",
    )


__all__ = [
    "ContestProtocolData",
    "ProtocolNomination",
    "ProtocolRow",
    "build_contest_protocol",
    "number",
]
