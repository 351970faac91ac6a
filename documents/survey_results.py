"""The results of a questionnaire: for each question a bar chart and a table of counts, or
the free-text answers. For needs diagnostics it is titled «Сведения о профессиональных
потребностях педагогов».

Pure: worded data in (the bot translates every label), PDF bytes out. The chart is drawn
with ReportLab's own graphics; its categories are the options' numbers, which the table
under it spells out, so long Russian options never crowd the axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from documents.base import PORTRAIT_WIDTH, build_pdf, esc, keep, para, styles
from documents.fonts import SERIF
from documents.tables import numbered_table

__all__ = ["ResultLabels", "ResultQuestion", "SurveyResultsData", "build_survey_results"]

BAR_COLOR = colors.Color(0.33, 0.47, 0.68)
BAR_HEIGHT = 5.5 * mm
KEEP_WHOLE = 12  # options up to which a question's chart and table stay on one page


@dataclass(frozen=True)
class ResultLabels:
    """The document's own words, in the reader's language."""

    option: str
    answers: str
    share: str
    mean: str
    no_answers: str
    number: str = "№"


@dataclass(frozen=True)
class ResultQuestion:
    """One question: `bars` are (label, count, share in percent) for a choice or a scale;
    `texts` the free-text answers; `mean` for a scale."""

    text: str
    answered: str  # e.g. «Ответили: 12»
    bars: Sequence[tuple[str, int, float]] = ()
    texts: Sequence[str] = ()
    mean: float | None = None
    is_text: bool = False
    option_header: str | None = None  # the first column's heading, e.g. «Оценка» for a scale


@dataclass(frozen=True)
class SurveyResultsData:
    title: str
    subtitle_lines: Sequence[str]
    questions: Sequence[ResultQuestion]
    labels: ResultLabels
    author: str = ""
    footnote: str = ""


def build_survey_results(data: SurveyResultsData) -> bytes:
    """The results as an A4 PDF."""
    st = styles()
    story: list[Flowable] = [Paragraph(esc(data.title), st.title)]
    story += [Paragraph(esc(line), st.subtitle) for line in data.subtitle_lines]
    story.append(Spacer(1, 4 * mm))
    for number, question in enumerate(data.questions, start=1):
        story += _question(number, question, data.labels)
    if data.footnote:
        story += [Spacer(1, 4 * mm), para(data.footnote, st.small)]
    return build_pdf(story, title=data.title, author=data.author or data.title)


def _question(number: int, question: ResultQuestion, labels: ResultLabels) -> list[Flowable]:
    st = styles()
    heading = Paragraph(f"{number}. {esc(question.text)}", st.heading)
    answered = para(question.answered, st.body_left)
    if question.is_text:
        if not question.texts:
            return [keep(heading, answered, para(labels.no_answers, st.body_left))]
        items = [para(f"— {text}", st.hanging) for text in question.texts]
        return [keep(heading, answered, *items[:2]), *items[2:]]
    body: list[Flowable] = [heading, answered]
    if question.mean is not None:
        body.append(para(labels.mean.format(mean=_number(question.mean)), st.body_left))
    if any(count for _, count, _ in question.bars):
        body.append(_chart(question.bars))
    table = numbered_table(
        [question.option_header or labels.option, labels.answers, labels.share],
        [[label, str(count), f"{_number(share)} %"] for label, count, share in question.bars],
        [6, 1.4, 1.4],
        number_header=labels.number,
        centered_columns=(1, 2),
    )
    if len(question.bars) <= KEEP_WHOLE:  # chart and table on one page
        return [keep(*body, table), Spacer(1, 2 * mm)]
    return [keep(*body), table, Spacer(1, 2 * mm)]


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _chart(bars: Sequence[tuple[str, int, float]]) -> Drawing:
    """Horizontal bars, one per option, numbered as in the table below; the first option
    on top."""
    n = len(bars)
    height = n * BAR_HEIGHT * 1.35 + 12 * mm
    drawing = Drawing(PORTRAIT_WIDTH, height)
    drawing.initialFontName = SERIF  # the renderer would set Helvetica first
    chart = HorizontalBarChart()
    chart.x, chart.y = 12 * mm, 8 * mm
    chart.width, chart.height = PORTRAIT_WIDTH - 24 * mm, n * BAR_HEIGHT * 1.35
    chart.data = [[count for _, count, _ in reversed(bars)]]
    chart.bars[0].fillColor = BAR_COLOR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = SERIF
    chart.barLabels.fontSize = 9
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.categoryAxis.categoryNames = [str(i) for i in range(n, 0, -1)]
    chart.categoryAxis.labels.fontName = SERIF
    chart.categoryAxis.labels.fontSize = 10
    chart.categoryAxis.labels.dx = -4
    top = max(count for _, count, _ in bars)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(top * 1.15, 1)
    chart.valueAxis.valueStep = max(1, round(top / 5) or 1)
    chart.valueAxis.labels.fontName = SERIF
    chart.valueAxis.labels.fontSize = 9
    chart.valueAxis.labelTextFormat = "%d"
    drawing.add(chart)
    return drawing
