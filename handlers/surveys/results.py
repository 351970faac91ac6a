"""A survey's results: a summary in chat, a PDF (documents/survey_results.py) and a CSV
for Excel (UTF-8 with BOM, «;»). The words are the reader's; the numbers come from
services.surveys.results, which gives names only for a named survey."""

from __future__ import annotations

import csv
from io import BytesIO, StringIO
from typing import Any

from telegram import InputFile, Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.replies import ack, reply
from documents.survey_results import (
    ResultLabels,
    ResultQuestion,
    SurveyResultsData,
    build_survey_results,
)
from handlers.surveys.buttons import BUTTONS, ResultsCsv, ResultsPdf, ShowResults
from handlers.surveys.wording import (
    NEEDS_TITLE,
    audience_text,
    day,
    option_labels,
    question_text,
    survey_title,
)
from models.surveys import QuestionKind, SurveyTemplate
from services import surveys as service

CHAT_LIMIT = 3800  # characters of one summary message
TEXTS_IN_CHAT = 10  # free-text answers shown per question in chat


@BUTTONS.on(ShowResults)
async def show_results(update: Update, context: BotContext, press: ShowResults) -> None:
    found = await service.results(context.session, context.actor, press.survey_id)
    for chunk in _chunks(_summary(context.t, found)):
        await reply(update, context, chunk)
    await ack(update)


@BUTTONS.on(ResultsPdf)
async def results_pdf(update: Update, context: BotContext, press: ResultsPdf) -> None:
    found = await service.results(context.session, context.actor, press.survey_id)
    content = build_survey_results(pdf_data(context.t, found))
    await _send(update, context, content, f"survey-{found.survey.id}.pdf")


@BUTTONS.on(ResultsCsv)
async def results_csv(update: Update, context: BotContext, press: ResultsCsv) -> None:
    found = await service.results(context.session, context.actor, press.survey_id)
    await _send(update, context, csv_bytes(context.t, found), f"survey-{found.survey.id}.csv")


async def _send(update: Update, context: BotContext, content: bytes, name: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(chat.id, InputFile(BytesIO(content), filename=name))
    await ack(update)


def _share(count: int, of: int) -> float:
    return 100 * count / of if of else 0.0


def _bars(t: Translator, result: service.QuestionResult) -> list[tuple[str, int, float]]:
    labels = option_labels(t, result.question)
    return [
        (label, count, _share(count, result.answered))
        for label, count in zip(labels, result.counts, strict=True)
    ]


def _summary(t: Translator, found: service.Results) -> list[str]:
    lines = [
        t.gettext("📊 <b>Results: {title}</b>", title=survey_title(t, found.survey)),
        t.gettext(
            "Answered: {answered} of {invited}", answered=len(found.rows), invited=found.invited
        ),
    ]
    if found.sealed:
        lines.append(
            t.ngettext(
                "{n} more anonymous answer is counted once there are {least} to store together, "
                "or when the survey closes.",
                "{n} more anonymous answers are counted once there are {least} to store together, "
                "or when the survey closes.",
                found.sealed,
                least=service.MIN_BATCH,
            )
        )
    for n, result in enumerate(found.questions, start=1):
        lines += ["", t.gettext("<b>{n}. {text}</b>", n=n, text=question_text(t, result.question))]
        lines += _question_lines(t, result)
    return lines


def _question_lines(t: Translator, result: service.QuestionResult) -> list[str]:
    if not result.answered:
        return [t.gettext("No answers yet.")]
    if result.question.kind is QuestionKind.TEXT:
        shown = [t.gettext("— {text}", text=text[:300]) for text in result.texts[:TEXTS_IN_CHAT]]
        more = len(result.texts) - TEXTS_IN_CHAT
        if more > 0:
            shown.append(
                t.ngettext(
                    "…and {n} more in the PDF and the CSV",
                    "…and {n} more in the PDF and the CSV",
                    more,
                )
            )
        return shown
    lines = [
        t.gettext(
            "• {option} — {count} ({share} %)", option=label, count=count, share=f"{share:.0f}"
        )
        for label, count, share in _bars(t, result)
    ]
    if result.mean is not None:
        lines.insert(0, t.gettext("Mean: {mean}", mean=_decimal(t, result.mean)))
    return lines


def _decimal(t: Translator, value: float) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if t.language == "ru" else text


def _chunks(lines: list[str]) -> list[str]:
    chunks, current = [], ""
    for line in lines:
        if current and len(current) + len(line) + 1 > CHAT_LIMIT:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line[:CHAT_LIMIT]
    return [*chunks, current]


def pdf_data(t: Translator, found: service.Results) -> SurveyResultsData:
    """The PDF's content in the reader's words."""
    survey = found.survey
    title = survey_title(t, survey)
    subtitle = [
        t.plain("Survey: {title}", title=title),
        t.plain("Respondents: {audience}", audience=audience_text(t, survey, found.association)),
        t.plain(
            "Held from {start} to {end}",
            start=day(t, survey.opens_at or survey.created_at),
            end=day(t, survey.closes_at),
        ),
        t.plain(
            "Answered: {answered} of {invited}", answered=len(found.rows), invited=found.invited
        ),
    ]
    if survey.template is SurveyTemplate.NEEDS:
        heading = t.plain(NEEDS_TITLE)
    else:
        heading, subtitle = title, subtitle[1:]
    labels = ResultLabels(
        option=t.plain("Answer"),
        answers=t.plain("Answers"),
        share=t.plain("Share"),
        mean=t.plain("Mean score: {mean}"),
        no_answers=t.plain("No answers."),
    )
    questions = [
        ResultQuestion(
            text=question_text(t, r.question),
            answered=t.plain("Answered the question: {n}", n=r.answered),
            bars=_bars(t, r) if r.question.kind is not QuestionKind.TEXT else (),
            texts=r.texts,
            mean=r.mean,
            is_text=r.question.kind is QuestionKind.TEXT,
            option_header=t.plain("Score") if r.question.kind is QuestionKind.SCALE else None,
        )
        for r in found.questions
    ]
    return SurveyResultsData(
        title=heading, subtitle_lines=subtitle, questions=questions, labels=labels
    )


def csv_bytes(t: Translator, found: service.Results) -> bytes:
    """One row per response, one column per question (UTF-8 with BOM, for Excel)."""
    buffer = StringIO()
    writer = csv.writer(buffer, delimiter=";")
    named = not found.survey.anonymous
    header = [question_text(t, r.question) for r in found.questions]
    writer.writerow(([t.plain("Respondent")] if named else []) + header)
    for row in found.rows:
        cells = [_cell(t, r.question, row.answers.get(str(r.question.id))) for r in found.questions]
        writer.writerow(([row.respondent or ""] if named else []) + cells)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(t: Translator, question: Any, value: Any) -> str:
    if value is None:
        return ""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        labels = option_labels(t, question)
        picks = value if isinstance(value, list) else [value]
        return "; ".join(labels[i] for i in picks if 0 <= i < len(labels))
    text = str(value)
    # Excel would run a cell starting like a formula.
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text
