"""«Аналитическая справка о работе … за 2026/2027 учебный год»: a pure function of the data."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, Paragraph, Spacer

from documents.base import LANDSCAPE_WIDTH, build_pdf, esc, styles
from documents.data import AssociationInfo, association_kind, meeting_form
from documents.report_assessment import conclusions, evaluation, goals, needs
from documents.report_common import (
    FORM_WORDS,
    chart,
    decimal,
    heading,
    line,
    share_table,
)
from documents.tables import keep_with_table, numbered_table
from services.formatting import format_date, format_date_short
from services.report import NetworkData, ReportData, Share

__all__ = ["FORM_WORDS", "build_network", "build_report"]


def _general(data: ReportData, info: AssociationInfo) -> list[Flowable]:
    period = f"с {format_date(data.period.start)} по {format_date(data.period.end)}"
    lines = [
        f"<b>Вид объединения:</b> {esc(association_kind(data.kind).nominative)}",
        f"<b>Название:</b> {esc(data.name)}",
        f"<b>Методическая тема:</b> {esc(data.topic or 'не сформулирована')}",
        f"<b>Руководитель:</b> {esc(data.leader or 'не назначен')}",
        f"<b>Период:</b> {period}",
        f"<b>Приказ о создании:</b> {esc(data.order_ref or 'не указан')}",
    ]
    return [heading("1. Общие сведения"), *(line(t) for t in lines)]


def _members(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = [heading("3. Состав объединения")]
    if not data.members:
        return [*story, line("В объединении пока нет участников.")]
    story.append(line(f"Всего участников: {data.members} чел."))
    story += share_table("Образовательная организация", data.by_organisation)
    story += share_table("Должность", data.by_position)
    story += share_table("Квалификационная категория", data.by_category)
    story += share_table("Педагогический стаж", data.by_experience)
    story.append(chart("Состав по стажу, чел.", [(s.label, s.count) for s in data.by_experience]))
    return story


def _plan(data: ReportData) -> list[Flowable]:
    plan = data.plan
    story: list[Flowable] = [heading("4. Выполнение плана")]
    if plan.planned:
        story.append(
            line(
                f"Запланировано мероприятий: {plan.planned}; выполнено: {plan.done}; "
                f"перенесено: {plan.moved}; отменено: {plan.cancelled}; "
                f"не выполнено: {plan.not_done}."
            )
        )
    else:
        story.append(line("План работы на этот учебный год в системе не составлен."))
    norm = "норматив выполнен" if data.norm_met else "норматив не выполнен"
    story.append(line(f"Проведено заседаний: {data.held} при нормативе 4 ({norm})."))
    if plan.forms:
        forms = ", ".join(meeting_form(f) for f in plan.forms)
        story.append(line(f"Использованные формы работы: {esc(forms)}."))
    return story


def _meetings(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = [heading("5. Заседания")]
    if not data.meetings:
        return [*story, line("За отчётный период заседания не проводились.")]
    table = numbered_table(
        ("Дата", "Форма", "Тема", "Присутствовали, чел.", "Доля, %"),
        [
            [
                format_date_short(m.held_on),
                meeting_form(m.form),
                m.topic,
                str(m.present),
                str(m.share),
            ]
            for m in data.meetings
        ],
        (16, 20, 44, 16, 12),
        centered_columns=(0, 3, 4),
    )
    story += keep_with_table([Spacer(1, 6)], table)
    bars = [(f"№ {m.number}", m.present) for m in data.meetings]
    story.append(chart("Посещаемость заседаний, чел.", bars))
    return story


def _participation(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = [heading("6. Участие в деятельности")]
    if not data.forms_active:
        return [*story, line("За отчётный период активность участников не зафиксирована.")]
    shares = tuple(
        Share(FORM_WORDS.get(s.label, s.label), s.count, s.whole) for s in data.forms_active
    )
    story += share_table("Форма участия", shares)
    many = data.active_in_many
    story.append(line(f"Участвовали в трёх и более формах: {many.count} чел. ({many.percent} %)."))
    if data.most_active:
        story.append(line(f"Наиболее активные участники: {esc(', '.join(data.most_active))}."))
    if data.least_active:
        story.append(line(f"Наименее активные участники: {esc(', '.join(data.least_active))}."))
    return story


MONTHS = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")


def _bank(data: ReportData) -> list[Flowable]:
    bank = data.bank
    story: list[Flowable] = [heading("7. Банк методических ресурсов")]
    if not (bank.added or bank.approved or bank.downloads):
        return [
            *story,
            line("За отчётный период материалы в банк ресурсов не поступали и не скачивались."),
        ]
    story.append(
        line(
            f"Поступило материалов: {bank.added}; одобрено: {bank.approved}; "
            f"скачиваний: {bank.downloads}."
        )
    )
    months = [m for m in bank.months]
    story.append(
        chart(
            "Скачивания материалов по месяцам",
            [(f"{MONTHS[m.month - 1]} {m.year % 100:02d}", m.downloads) for m in months],
        )
    )
    story.append(
        chart(
            "Одобрено материалов по месяцам",
            [(f"{MONTHS[m.month - 1]} {m.year % 100:02d}", m.approved) for m in months],
        )
    )
    if bank.top:
        table = numbered_table(
            ("Наиболее востребованный материал", "Скачиваний"),
            [[title, str(count)] for title, count in bank.top],
            (80, 20),
            centered_columns=(1,),
        )
        story += keep_with_table([Spacer(1, 6)], table)
    return story


def _counted(count: int, share: Share, text: str, none: str) -> Paragraph:
    """`text` with the share's percent in place of `{percent}`, or `none` when `count` is 0."""
    return line(text.format(percent=share.percent) if count else none)


def _support(data: ReportData) -> list[Flowable]:
    sup = data.support
    story: list[Flowable] = [heading("8. Консультации, задания и анкетирование")]
    if sup.questions:
        said = f"Задано вопросов: {sup.questions}; получили ответ: {sup.answered}."
        if sup.median_hours is not None:
            said += f" Время ответа (медиана): {decimal(sup.median_hours)} ч."
        if sup.average_rating is not None:
            said += (
                f" Средняя оценка ответов: {decimal(sup.average_rating)} из 5 "
                f"(оценок: {sup.ratings})."
            )
        story.append(line(said))
    else:
        story.append(line("За отчётный период вопросов на консультации не поступало."))
    story.append(
        _counted(
            sup.tasks,
            Share("", sup.handed_in, sup.assignments),
            f"Выдано заданий: {sup.tasks}; назначений участникам: {sup.assignments}; "
            f"сдано: {sup.handed_in} ({{percent}} %), из них принято: {sup.accepted}.",
            "За отчётный период задания участникам не выдавались.",
        )
    )
    story.append(
        _counted(
            sup.surveys,
            Share("", sup.responded, sup.invited),
            f"Проведено анкетирований: {sup.surveys}; приглашений: {sup.invited}; "
            f"ответили: {sup.responded} ({{percent}} %).",
            "За отчётный период анкетирования не проводились.",
        )
    )
    story += needs(data)
    return story


def build_report(data: ReportData) -> bytes:
    """The association's annual analytical report as PDF bytes (portrait A4)."""
    st = styles()
    info = AssociationInfo(name=data.name, kind=data.kind, organisation=data.organisation)
    title = f"Аналитическая справка о работе {info.genitive} за {data.year_label} учебный год"
    story: list[Flowable] = [
        Paragraph("АНАЛИТИЧЕСКАЯ СПРАВКА", st.title),
        Paragraph(
            f"о работе {esc(info.genitive)} за {data.year_label}\u00a0учебный год", st.subtitle
        ),
        Spacer(1, 10),
    ]
    for section in (
        _general(data, info),
        goals(data),
        _members(data),
        _plan(data),
        _meetings(data),
        _participation(data),
        _bank(data),
        _support(data),
        evaluation(data),
        conclusions(data),
    ):
        story += [*section, Spacer(1, 8)]
    return build_pdf(story, title=title, author=data.leader or info.organisation)


def _networkchart(data: NetworkData) -> Drawing:
    lines = data.lines[:30]
    scope = "первые 30 объединений" if len(data.lines) > 30 else "объединения"
    return chart(
        f"Проведено заседаний ({scope} по номерам в таблице)",
        [(str(i), line.held) for i, line in enumerate(lines, 1)],
        width=700,
    )


def build_network(data: NetworkData) -> bytes:
    """The methodists' summary of every association, landscape A4."""
    st = styles()
    title = f"Сводная справка о работе методических объединений за {data.year_label} учебный год"
    story: list[Flowable] = [
        Paragraph("СВОДНАЯ СПРАВКА", st.title),
        Paragraph(
            f"о работе методических объединений сети за {data.year_label}\u00a0учебный год",
            st.subtitle,
        ),
        Spacer(1, 10),
    ]
    if not data.lines:
        story.append(line("В сети пока нет действующих объединений."))
        return build_pdf(story, title=title, author="Методическая служба", landscape=True)
    total = len(data.lines)
    story.append(
        line(
            f"Действующих объединений: {total}; норматив в четыре заседания выполнили "
            f"{data.norm_met} ({round(100 * data.norm_met / total)} %)."
        )
    )
    table = numbered_table(
        (
            "Объединение",
            "Участников",
            "Заседаний",
            "Пунктов плана",
            "Выполнено, %",
            "Активных, %",
        ),
        [
            [
                line.name,
                str(line.members),
                str(line.held),
                str(line.planned),
                str(line.plan_percent),
                str(line.active_percent),
            ]
            for line in data.lines
        ],
        (60, 14, 14, 14, 14, 14),
        total_width=LANDSCAPE_WIDTH,
        centered_columns=(1, 2, 3, 4, 5),
    )
    story += [*keep_with_table([Spacer(1, 6)], table), Spacer(1, 10), _networkchart(data)]
    return build_pdf(story, title=title, author="Методическая служба", landscape=True)
