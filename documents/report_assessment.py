"""The report's judging sections: goals and their fulfilment (2), the needs summary (part
of 8), the members' evaluation (9) and the conclusions (10), the bot's and the leader's."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer

from documents.base import esc
from documents.fonts import SERIF
from documents.report_common import decimal, form_word, heading, line
from documents.tables import keep_with_table, numbered_table
from models.report import Fulfilment
from services.report import ReportData

FULFILMENT_WORDS = {
    Fulfilment.FULLY: "выполнена полностью",
    Fulfilment.PARTLY: "выполнена частично",
    Fulfilment.NOT_DONE: "не выполнена",
}


def goals(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = [heading("2. Цели и задачи")]
    if not data.goal_lines:
        if data.goals:
            return [*story, line(esc(data.goals))]
        return [*story, line("Цели и задачи объединения в системе не записаны.")]
    rows = [
        [
            goal.text,
            FULFILMENT_WORDS[goal.value]
            + ("" if goal.confirmed else " (предложено по данным плана)"),
            goal.reason or "—",
        ]
        for goal in data.goal_lines
    ]
    table = numbered_table(
        ("Цель, задача", "Выполнение", "Причины, комментарий"),
        rows,
        (44, 27, 29),
        whole_word_columns=(1,),
    )
    story += keep_with_table([line("Выполнение поставленных целей и задач:"), Spacer(1, 4)], table)
    plan = data.plan
    whole = plan.planned - plan.cancelled
    done = f"выполнено {plan.done} из {whole} пунктов плана" if whole else "план не составлен"
    story.append(Spacer(1, 4))
    story.append(
        line(
            f"<i>Оценка предложена по данным года ({done}; проведено заседаний: "
            f"{data.held} при нормативе 4) и подтверждена или уточнена руководителем.</i>"
        )
    )
    return story


def needs(data: ReportData) -> list[Flowable]:
    found = data.needs
    if not found.surveys:
        return [
            line("Диагностика профессиональных потребностей в отчётном периоде не проводилась.")
        ]
    if not found.top:
        return [
            line(
                f"Диагностика профессиональных потребностей проведена ({found.surveys}), "
                "ответов с выбором потребностей пока нет."
            )
        ]
    table = numbered_table(
        ("Потребность (наиболее частый выбор)", "Выбрали, чел.", "Доля, %"),
        [[s.label, str(s.count), str(s.percent)] for s in found.top],
        (64, 18, 18),
        centered_columns=(1, 2),
    )
    intro = line(
        f"Диагностика профессиональных потребностей: ответили {found.respondents} чел. "
        "Наиболее востребованы:"
    )
    return keep_with_table([intro, Spacer(1, 4)], table)


def _scores_chart(data: ReportData) -> Drawing:
    scales = data.evaluation.scales
    width = 440
    drawing = Drawing(width, 190)
    drawing.add(
        String(
            width / 2,
            175,
            "Средний балл по вопросам анкеты (из 5)",
            fontName=SERIF,
            fontSize=11,
            textAnchor="middle",
        )
    )
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, width - 60, 130
    chart.data = [[round(s.average or 0, 2) for s in scales]]
    chart.categoryAxis.categoryNames = [f"Вопрос {n}" for n in range(1, len(scales) + 1)]
    chart.categoryAxis.labels.fontName = SERIF
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = SERIF
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 5, 1
    chart.bars[0].fillColor = colors.HexColor("#4A6FA5")
    drawing.add(chart)
    return drawing


def evaluation(data: ReportData) -> list[Flowable]:
    found = data.evaluation
    story: list[Flowable] = [heading("9. Оценка работы объединения участниками")]
    if not found.surveys:
        return [
            *story,
            line("Анкетирование участников по итогам года в отчётном периоде не проводилось."),
        ]
    if not found.respondents or not found.scales:
        return [
            *story,
            line("Анкетирование по итогам года проведено, оценок в баллах пока нет."),
        ]
    story.append(
        line(
            f"Анкетирование по итогам года (анкет: {found.surveys}); ответили: "
            f"{found.respondents} чел. Оценки по шкале от 1 до 5:"
        )
    )
    rows = [
        [
            s.text,
            decimal(s.average) if s.average is not None else "—",
            str(s.answers),
            *(str(n) for n in s.counts),
        ]
        for s in found.scales
    ]
    table = numbered_table(
        ("Вопрос", "Средний балл", "Ответов", "«1»", "«2»", "«3»", "«4»", "«5»"),
        rows,
        (44, 12, 10, 6, 6, 6, 6, 6),
        centered_columns=(1, 2, 3, 4, 5, 6, 7),
    )
    story += keep_with_table([Spacer(1, 4)], table)
    story.append(_scores_chart(data))
    return story


def _overall(data: ReportData) -> float | None:
    answers = sum(s.answers for s in data.evaluation.scales)
    total = sum((s.average or 0) * s.answers for s in data.evaluation.scales)
    return total / answers if answers else None


def _findings(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = []
    verdict = "выполнен" if data.norm_met else "не выполнен"
    held = f"проведено {data.held}" if data.held else "заседания не проводились"
    story.append(line(f"Норматив в четыре заседания за год {verdict}: {held}."))
    if data.goal_lines:
        counts = {
            value: sum(1 for g in data.goal_lines if g.value is value) for value in Fulfilment
        }
        story.append(
            line(
                f"Из {len(data.goal_lines)} целей и задач выполнено полностью\u00a0— "
                f"{counts[Fulfilment.FULLY]}, частично\u00a0— {counts[Fulfilment.PARTLY]}, "
                f"не выполнено\u00a0— {counts[Fulfilment.NOT_DONE]}."
            )
        )
    if data.meetings:
        best = max(data.meetings, key=lambda m: (m.share, -m.number))
        story.append(
            line(f"Наибольшая посещаемость — заседание № {best.number}: {best.share} % участников.")
        )
    if len(data.forms_active) == 1:
        (only,) = data.forms_active
        story.append(
            line(f"Участие отмечено в одной форме — {form_word(only.label)} ({only.percent} %).")
        )
    elif data.forms_active:
        strongest = max(data.forms_active, key=lambda s: s.count)
        weakest = min(data.forms_active, key=lambda s: s.count)
        story.append(
            line(
                f"Самая распространённая форма участия — {form_word(strongest.label)} "
                f"({strongest.percent} %), самая редкая — {form_word(weakest.label)} "
                f"({weakest.percent} %)."
            )
        )
    overall = _overall(data)
    if overall is not None:
        scales = [s for s in data.evaluation.scales if s.average is not None]
        best = max(scales, key=lambda s: s.average or 0)
        worst = min(scales, key=lambda s: s.average or 0)
        text = f"Средняя оценка работы объединения участниками — {decimal(overall)} из 5"
        if len(scales) > 1 and best.average != worst.average:
            text += (
                f"; выше всего оценено: «{esc(best.text)}» ({decimal(best.average or 0)}), "
                f"ниже всего: «{esc(worst.text)}» ({decimal(worst.average or 0)})"
            )
        story.append(line(text + "."))
    return story


def conclusions(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = [heading("10. Выводы"), *_findings(data), Spacer(1, 4)]
    story.append(line("<b>Выводы руководителя и задачи на следующий учебный год</b>"))
    if not data.conclusions:
        return [*story, line("Руководитель объединения выводы и задачи пока не сформулировал.")]
    return story + [line(esc(text)) for text in data.conclusions.splitlines() if text.strip()]
