"""Numbered tables: «№ п/п», header repeated on every page, columns sized for their words.

Column widths are relative weights, but a column is never narrower than its widest word
(a surname, «23 года», «20.09.2026», «воспитательной»): the other columns give way, and
hyphenation only fills lines. Words in ``whole_word_columns`` (names, roles) are never
hyphenated: they break only at spaces and after hyphens.
A section row (a month in a plan) never ends a page: it goes with the row after it; and
:func:`keep_with_table` keeps a heading with the table's first rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from documents.base import (
    CELL_PAD,
    GRID_COLOR,
    HEADER_FILL,
    NBSP,
    PORTRAIT_WIDTH,
    SECTION_FILL,
    esc,
    printable,
    styles,
    text_width,
    tie,
)
from documents.fonts import SERIF
from documents.hyphenation import line_pieces

__all__ = ["Cell", "NumberedTable", "SectionRow", "keep_with_table", "numbered_table"]

# No column takes more than this share of the table to fit one word: longer words still
# wrap (character-wise, as a last resort) rather than squeeze every other column.
MAX_WORD_SHARE = 0.4


@dataclass(frozen=True)
class SectionRow:
    """A row spanning the whole table (e.g. a month in a plan); it gets no number."""

    text: str


Cell = str | Flowable | None


class NumberedTable(Table):
    """A Table that can tell the height of its header and first rows (for keeping a heading)."""

    def __init__(self, *args: object, commands: Sequence[tuple] = (), **kwargs: object) -> None:
        # Table's own signature: ReportLab re-creates the class when it splits the table.
        super().__init__(*args, **kwargs)
        self._commands = list(commands)
        if commands:
            self.setStyle(TableStyle(self._commands))

    def lead_height(self, width: float, rows: int) -> float:
        """Height of the header row and the first ``rows`` rows at ``width``."""
        n = min(len(self._cellvalues), 1 + rows)
        commands = [c for c in self._commands if _rows_within(c, n)]
        lead = Table(self._cellvalues[:n], colWidths=self._argW, hAlign="LEFT")
        lead.setStyle(TableStyle(commands))
        return lead.wrap(width, 1e6)[1]


def _rows_within(command: tuple, n: int) -> bool:
    """Whether a style command refers only to rows below ``n`` (negatives: from the end)."""
    return all(row < n for (_, row) in command[1:3] if row >= 0)


class _RoomFor(CondPageBreak):
    """A page break unless ``measure(width)`` points are left on this page."""

    def __init__(self, measure: Callable[[float], float]) -> None:
        super().__init__(0)
        self._measure = measure

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.height = self._measure(availWidth)
        return super().wrap(availWidth, availHeight)


def keep_with_table(
    heading: Sequence[Flowable], table: NumberedTable, rows: int = 2
) -> list[Flowable]:
    """``heading`` then ``table``, the heading never alone at a page foot: it starts a new
    page unless the heading, the table's header and its first ``rows`` rows fit."""

    for flowable in heading:
        # Kept by the measured break below; keepWithNext would pull the whole table along.
        flowable.keepWithNext = 0

    def measure(width: float) -> float:
        height = 0.0
        for flowable in heading:
            height += flowable.wrap(width, 1e6)[1] + flowable.getSpaceBefore()
            height += flowable.getSpaceAfter()
        return height + table.lead_height(width, rows)

    return [_RoomFor(measure), *heading, table]


def _cell(value: Cell, width: float, style: ParagraphStyle) -> str | Flowable:
    """A table cell: a plain string when it fits on one line (fast), else a wrapping Paragraph."""
    if value is None:
        return ""
    if isinstance(value, Flowable):
        return value
    text = printable(str(value))
    # A plain string is aligned by the table's ALIGN command (centred columns have one).
    if "\n" not in text and text_width(text, style) <= width - 2 * CELL_PAD:
        return tie(text)
    return Paragraph(esc(text), style)


def _widest_piece(texts: Sequence[str], style: ParagraphStyle) -> float:
    """Width of the widest piece between possible line breaks in ``texts``.

    A column at least this wide never has a word cut character by character (ReportLab
    does that to a word wider than the line, even where it could hyphenate).
    """
    pieces = {piece for text in texts for piece in line_pieces(tie(printable(text)))}
    return max((text_width(piece, style) for piece in pieces), default=0.0)


def _fit(weights: Sequence[float], minimums: Sequence[float], available: float) -> list[float]:
    """Widths proportional to ``weights``, none below its minimum (others shrink for it)."""
    fixed: dict[int, float] = {}
    while True:
        free = available - sum(fixed.values())
        rest = [i for i in range(len(weights)) if i not in fixed]
        total = sum(weights[i] for i in rest) or 1.0
        widths = {i: free * weights[i] / total for i in rest}
        short = {i: minimums[i] for i, w in widths.items() if w < minimums[i]}
        if not short:
            return [fixed.get(i, widths.get(i, 0.0)) for i in range(len(weights))]
        fixed |= short


def _minimum_width(texts: Sequence[str], cap: float) -> float:
    """The narrowest a column may be: its widest header or cell word, at most ``cap``."""
    st = styles()
    widest = max(_widest_piece(texts[:1], st.table_header), _widest_piece(texts[1:], st.table))
    # A point to spare: ReportLab cuts a word exactly as wide as the column.
    return min(cap, widest + 2 * CELL_PAD + 1)


def _widths(
    weights: Sequence[float] | None, columns: Sequence[Sequence[str]], available: float
) -> list[float]:
    """Column widths: the weights scaled to ``available``, each wide enough for its words.

    ``columns[i][0]`` is the header: its words are never hyphenated.
    """
    n = len(columns)
    weights = list(weights) if weights else [1.0] * n
    if len(weights) != n:
        raise ValueError(f"{n} columns but {len(weights)} widths")
    cap = available * MAX_WORD_SHARE
    minimums = [_minimum_width(texts, cap) for texts in columns]
    if sum(minimums) >= available:
        return [available * m / sum(minimums) for m in minimums]
    return _fit(weights, minimums, available)


def _column_texts(headers: Sequence[str], rows: Sequence[Sequence[Cell] | SectionRow]) -> list:
    columns: list[list[str]] = [[h] for h in headers]
    for row in rows:
        if isinstance(row, SectionRow):
            continue
        if len(row) != len(headers):
            raise ValueError(f"a row has {len(row)} cells, expected {len(headers)}")
        for i, value in enumerate(row):
            if isinstance(value, str):
                columns[i].append(value)
    return columns


def _base_commands(centered: set[int]) -> list[tuple]:
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), SERIF, 10, 12),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("ALIGN", (c + 1, 1), (c + 1, -1), "CENTER") for c in centered]
    return commands


def _footer_commands(f: int, keep_rows: int) -> list[tuple]:
    return [
        ("SPAN", (0, f), (-1, f)),
        ("ALIGN", (0, f), (-1, f), "LEFT"),
        ("LEFTPADDING", (0, f), (-1, f), 0),
        ("RIGHTPADDING", (0, f), (-1, f), 0),
        ("TOPPADDING", (0, f), (-1, f), 8),
        ("NOSPLIT", (0, max(1, f - keep_rows)), (-1, f)),
    ]


def numbered_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell] | SectionRow],
    col_widths: Sequence[float] | None = None,
    *,
    total_width: float = PORTRAIT_WIDTH,
    number_header: str = "№ п/п",
    number_width: float = 10 * mm,
    centered_columns: Sequence[int] = (),
    whole_word_columns: Sequence[int] = (),
    start: int = 1,
    footer: Sequence[Flowable] = (),
    keep_with_footer: int = 2,
) -> NumberedTable:
    """A numbered table: «№ п/п» first, header repeated on every page, wrapping cells.

    ``col_widths`` are relative weights of the data columns (any positive numbers); they
    are scaled to ``total_width`` minus the number column, widened where a word needs it.
    ``rows`` may contain :class:`SectionRow` items, which span the table, are not numbered
    and stay with the next row. ``centered_columns`` are indexes of data columns to centre
    (dates, counts); words in ``whole_word_columns`` (people's names, roles) are never
    hyphenated: the column is made wide enough for them.
    ``footer`` (a total line, a signature) is laid out under the table, borderless, and
    never goes to a page on its own: the last ``keep_with_footer`` rows go with it.
    """
    st = styles()
    names = set(whole_word_columns)
    widths = _widths(col_widths, _column_texts(headers, rows), total_width - number_width)
    centered = set(centered_columns)
    # «№» over «п/п»: the number column is too narrow for one line.
    number_cell = Paragraph(esc(number_header).replace("№" + NBSP, "№<br/>", 1), st.table_header)
    data: list[list[str | Flowable]] = [
        [number_cell, *(Paragraph(esc(h), st.table_header) for h in headers)]
    ]
    commands = _base_commands(centered)
    number = start
    sections: list[int] = []
    for row in rows:
        r = len(data)
        if isinstance(row, SectionRow):
            data.append([Paragraph(esc(row.text), st.table_section)] + [""] * len(headers))
            commands += [
                ("SPAN", (0, r), (-1, r)),
                ("BACKGROUND", (0, r), (-1, r), SECTION_FILL),
            ]
            sections.append(r)
            continue
        cells: list[str | Flowable] = [f"{number}."]
        for i, value in enumerate(row):
            style = st.table_name if i in names else st.table_center if i in centered else st.table
            cells.append(_cell(value, widths[i], style))
        data.append(cells)
        number += 1
    last = len(data) - 1
    commands.append(("GRID", (0, 0), (-1, last), 0.5, GRID_COLOR))
    # A section row never ends a page: it goes with the row after it.
    commands += [("NOSPLIT", (0, r), (-1, r + 1)) for r in sections if r < last]
    if footer:
        commands += _footer_commands(len(data), keep_with_footer)
        data.append([list(footer)] + [""] * len(headers))
    return NumberedTable(
        data, colWidths=[number_width, *widths], repeatRows=1, hAlign="LEFT", commands=commands
    )
