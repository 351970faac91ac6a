"""What the report's sections share: headings, lines, share tables and bar charts."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer

from documents.base import esc, styles
from documents.fonts import SERIF
from documents.tables import keep_with_table, numbered_table
from services.report import Share

FORM_WORDS = {
    "meetings": "участие в заседаниях",
    "group_messages": "сообщения в группе",
    "polls": "ответы на опросы",
    "surveys": "ответы на анкеты",
    "questions": "вопросы на консультациях",
    "answers": "ответы на консультациях",
    "materials": "материалы в банке ресурсов",
    "downloads": "скачивание материалов",
    "tasks": "выполнение заданий",
    "messages": "сообщения участникам",
    "contests": "участие в конкурсах",
}


def form_word(code: str) -> str:
    return esc(FORM_WORDS.get(code, code))


def heading(text: str) -> Paragraph:
    return Paragraph(esc(text), styles().heading)


def line(text: str) -> Paragraph:
    return Paragraph(text, styles().body)


def share_table(title: str, shares: tuple[Share, ...]) -> list[Flowable]:
    table = numbered_table(
        (title, "Человек", "Доля, %"),
        [[s.label, str(s.count), str(s.percent)] for s in shares],
        (60, 15, 15),
        centered_columns=(1, 2),
    )
    return [*keep_with_table([Spacer(1, 6)], table), Spacer(1, 6)]


def decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def chart(title: str, bars: list[tuple[str, int]], width: float = 440) -> Drawing:
    drawing = Drawing(width, 190)
    drawing.add(String(width / 2, 175, title, fontName=SERIF, fontSize=11, textAnchor="middle"))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, width - 60, 130
    chart.data = [[value for _, value in bars]]
    chart.categoryAxis.categoryNames = [label for label, _ in bars]
    chart.categoryAxis.labels.fontName = SERIF
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = SERIF
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = max(1, max((v for _, v in bars), default=1) // 5)
    chart.bars[0].fillColor = colors.HexColor("#4A6FA5")
    drawing.add(chart)
    return drawing
