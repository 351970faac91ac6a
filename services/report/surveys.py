"""Section 9, the members' evaluation (1–5 scores of the end-of-year survey), and the needs
summary of section 8 (the options most chosen in the needs diagnostics).

Only stored responses count: the answers of an open anonymous survey still sealed until
enough have come in (services/surveys.py) are not read, so nobody is singled out.
Questions copied from a template keep their texts as msgids; `word` turns them into the
report's language (the caller passes the Russian catalogue's gettext).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.surveys import (
    QuestionKind,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
    SurveyTemplate,
)
from services.activity import Period
from services.report.data import Evaluation, Needs, ScaleLine, Share

Word = Callable[[str], str]
TOP_NEEDS = 5


def same(text: str) -> str:
    return text


async def _surveys(
    session: AsyncSession, association_id: int, period: Period, template: SurveyTemplate
) -> tuple[list[SurveyQuestion], list[SurveyResponse]]:
    """Two statements: the questions and the responses of the period's surveys of a kind."""
    start, end = period.bounds()
    surveys = (
        select(Survey.id)
        .where(
            Survey.association_id == association_id,
            Survey.template == template,
            Survey.status.in_((SurveyStatus.OPEN, SurveyStatus.CLOSED)),
            Survey.closes_at >= start,
            Survey.closes_at < end,
        )
        .scalar_subquery()
    )
    questions = (
        await session.scalars(
            select(SurveyQuestion)
            .where(SurveyQuestion.survey_id.in_(surveys))
            .order_by(SurveyQuestion.survey_id, SurveyQuestion.position)
        )
    ).all()
    responses = (
        await session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id.in_(surveys)))
    ).all()
    return list(questions), list(responses)


# «(от 1 до 5)», «(1 — poor, 5 — excellent)»: the scale, said once in the report itself.
_SCALE_NOTE = re.compile(r"\s*\([^()]*\d[^()]*\)\s*$")


def _text(question: SurveyQuestion, word: Word) -> str:
    text = word(question.text) if question.builtin else question.text
    return _SCALE_NOTE.sub("", text) or text


async def evaluation(
    session: AsyncSession, association_id: int, period: Period, word: Word = same
) -> Evaluation:
    """Per 1–5 question (the same wording in several surveys counts as one): the scores."""
    questions, responses = await _surveys(session, association_id, period, SurveyTemplate.YEAR)
    if not questions:
        return Evaluation()
    by_survey: dict[int, list[dict[str, Any]]] = {}
    for response in responses:
        by_survey.setdefault(response.survey_id, []).append(response.answers)
    counts: dict[str, list[int]] = {}
    for question in questions:
        if question.kind is not QuestionKind.SCALE:
            continue
        tally = counts.setdefault(_text(question, word), [0] * 5)
        for answers in by_survey.get(question.survey_id, []):
            score = answers.get(str(question.id))
            if isinstance(score, int) and 1 <= score <= 5:
                tally[score - 1] += 1
    scales = tuple(ScaleLine(text, tuple(c)) for text, c in counts.items())  # type: ignore[arg-type]
    return Evaluation(len({q.survey_id for q in questions}), len(responses), scales)


async def needs(
    session: AsyncSession, association_id: int, period: Period, word: Word = same
) -> Needs:
    """The options of the several-choice questions chosen most often, with the share of
    those who answered the diagnostics."""
    questions, responses = await _surveys(session, association_id, period, SurveyTemplate.NEEDS)
    if not questions:
        return Needs()
    by_survey: dict[int, list[dict[str, Any]]] = {}
    for response in responses:
        by_survey.setdefault(response.survey_id, []).append(response.answers)
    chosen: Counter[str] = Counter()
    for question in questions:
        if question.kind is not QuestionKind.MULTI:
            continue
        options = [word(o) if question.builtin else o for o in question.options]
        for answers in by_survey.get(question.survey_id, []):
            picks = answers.get(str(question.id)) or []
            for index in set(picks if isinstance(picks, list) else [picks]):
                if isinstance(index, int) and 0 <= index < len(options):
                    chosen[options[index]] += 1
    whole = len(responses)
    ranked = sorted(chosen.items(), key=lambda pair: (-pair[1], pair[0]))[:TOP_NEEDS]
    return Needs(
        len({q.survey_id for q in questions}),
        whole,
        tuple(Share(label, count, whole) for label, count in ranked),
    )
