"""The survey results PDF: «Сведения о профессиональных потребностях педагогов» for needs
diagnostics, a bar chart and a table per question, free-text answers, Cyrillic text."""

import csv
from datetime import UTC, datetime

from pdf_probe import font_names, full_text, page_texts

from bot.i18n import Translator
from documents.survey_results import (
    ResultLabels,
    ResultQuestion,
    SurveyResultsData,
    build_survey_results,
)
from handlers.surveys.results import csv_bytes, pdf_data
from models.surveys import QuestionKind, Survey, SurveyQuestion, SurveyTemplate
from services.survey_templates import NEEDS
from services.surveys import QuestionResult, ResponseRow, Results

LABELS = ResultLabels(
    option="Вариант ответа",
    answers="Ответов",
    share="Доля",
    mean="Средний балл: {mean}",
    no_answers="Ответов нет.",
)


def _needs_results(respondents: int = 25) -> Results:
    """Needs diagnostics with every template question, answered by `respondents` people."""
    survey = Survey(
        id=7,
        template=SurveyTemplate.NEEDS,
        title=NEEDS.title,
        title_builtin=True,
        anonymous=True,
        audience={},
        opens_at=datetime(2026, 11, 2, 9, tzinfo=UTC),
        closes_at=datetime(2026, 11, 16, 20, 59, tzinfo=UTC),
        created_at=datetime(2026, 11, 1, 9, tzinfo=UTC),
    )
    tallies = []
    for n, template in enumerate(NEEDS.questions):
        question = SurveyQuestion(
            id=n + 1,
            kind=template.kind,
            text=template.text,
            options=list(template.options),
            required=template.required,
            builtin=True,
        )
        result = QuestionResult(question, answered=respondents)
        if template.kind is QuestionKind.TEXT:
            result.texts = ["Нужны разборы заданий «ОГЭ» по геометрии", "Хочу наставника"]
            result.answered = 2
        elif template.kind is QuestionKind.SCALE:
            result.counts, result.mean = [1, 3, 8, 9, 4], 3.48
        else:
            result.counts = [(i * 7 + 3) % (respondents + 1) for i in range(len(template.options))]
        tallies.append(result)
    rows = [ResponseRow(None, {"1": [0, 2], "4": 1, "5": 4, "7": "=1+1"})]
    return Results(survey, None, 40, tallies, rows)


def test_needs_diagnostics_is_titled_and_shows_every_question() -> None:
    pdf = build_survey_results(pdf_data(Translator("ru"), _needs_results()))
    text = full_text(pdf)
    assert "Сведения о профессиональных потребностях педагогов" in text
    assert "Анкета: Диагностика профессиональных затруднений" in text
    assert "Ответили: 1 из 40" in text
    assert "Какие направления работы вызывают у вас затруднения?" in text
    assert "Подготовка обучающихся к ОГЭ и ЕГЭ" in text
    assert "Средний балл: 3,5" in text
    assert "Хочу наставника" in text and "«ОГЭ»" in text
    assert "2 ноября 2026" in text
    assert all("PTSerif" in name for name in font_names(pdf))
    assert 2 <= len(page_texts(pdf)) <= 6


def test_another_survey_keeps_its_own_title_and_shares_are_percentages() -> None:
    data = SurveyResultsData(
        title="Отзыв о заседании «Функциональная грамотность»",
        subtitle_lines=["Ответили: 4 из 5"],
        questions=[
            ResultQuestion(
                text="Оцените содержание заседания",
                answered="Ответили на вопрос: 4",
                bars=[("1", 0, 0.0), ("2", 0, 0.0), ("3", 1, 25.0), ("4", 1, 25.0), ("5", 2, 50.0)],
                mean=4.25,
            ),
            ResultQuestion(text="Ваш комментарий", answered="Ответили на вопрос: 0", is_text=True),
        ],
        labels=LABELS,
    )
    text = full_text(build_survey_results(data))
    assert "Отзыв о заседании «Функциональная грамотность»" in text
    assert "Сведения о профессиональных" not in text
    assert "50,0 %" in text and "25,0 %" in text
    assert "Средний балл: 4,3" in text or "Средний балл: 4,2" in text
    assert "Ответов нет." in text


def test_csv_opens_in_excel_and_defuses_formulas() -> None:
    content = csv_bytes(Translator("ru"), _needs_results())
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert "Респондент" not in header  # anonymous: no names column
    assert header.startswith("Какие направления работы вызывают у вас затруднения?;")
    cells = next(csv.reader([row], delimiter=";"))
    assert cells[0] == (
        "Проектирование уроков по обновлённым ФГОС; "
        "Обучение детей с ОВЗ и особыми образовательными потребностями"
    )
    assert cells[3] == "Дистанционный" and cells[4] == "4" and cells[6] == "'=1+1"
