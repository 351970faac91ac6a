"""How the notices of surveys read (services/surveys.py records them): the invitation,
the one reminder, and the author's word that the survey has closed."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from handlers.surveys.buttons import Answer, OpenSurvey
from handlers.surveys.wording import day, survey_title
from services.notices import Notice


def _answer_button(t: Translator, notice: Notice) -> list[list[dict[str, str]]]:
    press = Answer(notice.params["survey_id"])
    return [[{"text": t.plain("✍️ Answer"), "callback": press.data()}]]


@renders("survey.invitation")
def invitation(t: Translator, notice: Notice) -> Rendered:
    survey = notice.params["survey"]
    lines = [
        t.gettext(
            "📝 You are invited to answer the survey «{title}». Answers are accepted until {day}.",
            title=survey_title(t, survey),
            day=day(t, notice.params["closes_at"]),
        )
    ]
    if survey.anonymous:
        lines.append(t.gettext("The survey is anonymous: your answers are kept without your name."))
    return Rendered("\n".join(lines), _answer_button(t, notice))


@renders("survey.reminder")
def reminder(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "⏰ A reminder: the survey «{title}» closes on {day}. Your answers are still awaited.",
            title=survey_title(t, notice.params["survey"]),
            day=day(t, notice.params["closes_at"]),
        ),
        _answer_button(t, notice),
    )


@renders("survey.closed")
def closed(t: Translator, notice: Notice) -> Rendered:
    answered = notice.params["answered"]
    text = t.ngettext(
        "🔒 The survey «{title}» is closed: {n} answer. The results are on its screen.",
        "🔒 The survey «{title}» is closed: {n} answers. The results are on its screen.",
        answered,
        title=survey_title(t, notice.params["survey"]),
    )
    press = OpenSurvey(notice.params["survey_id"])
    return Rendered(text, [[{"text": t.plain("📊 Results"), "callback": press.data()}]])
