"""How surveys read: titles, questions and options (built-in ones are msgids), kinds,
statuses, audiences and dates, in the reader's language. Plain text (escape where shown)."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator
from models import Association
from models.surveys import QuestionKind, Survey, SurveyQuestion, SurveyStatus, SurveyTemplate
from services.audience import Audience
from services.catalogs import subject_title
from services.formatting import format_date
from services.texts import N_

KINDS = {
    QuestionKind.SINGLE: N_("one answer"),
    QuestionKind.MULTI: N_("several answers"),
    QuestionKind.SCALE: N_("scale 1–5"),
    QuestionKind.TEXT: N_("free text"),
}

STATUSES = {
    SurveyStatus.DRAFT: N_("draft"),
    SurveyStatus.SCHEDULED: N_("scheduled"),
    SurveyStatus.OPEN: N_("open for answers"),
    SurveyStatus.CLOSED: N_("closed"),
}

TEMPLATE_CHOICES = {
    SurveyTemplate.NEEDS: N_("🧭 Needs diagnostics"),
    SurveyTemplate.FEEDBACK: N_("💬 Meeting feedback"),
    SurveyTemplate.YEAR: N_("📅 End-of-year evaluation"),
    SurveyTemplate.BLANK: N_("📝 My own questions"),
}

NEEDS_TITLE = N_("Information on teachers' professional needs")


def survey_title(t: Translator, survey: Survey) -> str:
    if survey.title_builtin:
        return t.plain(survey.title)
    if survey.template is SurveyTemplate.FEEDBACK:
        return t.plain("Meeting feedback: «{topic}»", topic=survey.title)
    return survey.title


def question_text(t: Translator, question: SurveyQuestion) -> str:
    return t.plain(question.text) if question.builtin else question.text


def option_labels(t: Translator, question: SurveyQuestion) -> list[str]:
    if question.kind is QuestionKind.SCALE:
        return [str(score) for score in range(1, 6)]
    if question.builtin:
        return [t.plain(option) for option in question.options]
    return list(question.options)


def kind_title(t: Translator, kind: QuestionKind) -> str:
    return t.plain(KINDS[kind])


def status_title(t: Translator, status: SurveyStatus) -> str:
    return t.plain(STATUSES[status])


def day(t: Translator, moment: datetime) -> str:
    return format_date(moment, t.language)


def audience_text(t: Translator, survey: Survey, association: Association | None) -> str:
    if association is not None:
        return t.plain("members of «{name}»", name=association.name)
    audience = Audience.from_json(survey.audience)
    if audience.subject:
        return t.plain("teachers of {subject}", subject=t.plain(subject_title(audience.subject)))
    if audience.municipality:
        return t.plain("teachers of {place}", place=audience.municipality)
    return t.plain("all teachers of the network")
