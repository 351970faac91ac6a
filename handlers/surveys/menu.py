"""/survey: the surveys waiting for the person's answer, the ones they built, «New»."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.keyboards import Button, inline
from bot.replies import show
from handlers.surveys.buttons import Answer, NewSurvey, OpenSurvey
from handlers.surveys.wording import day, status_title, survey_title
from services import surveys as service


async def survey_command(update: Update, context: BotContext) -> None:
    menu = await service.survey_menu(context.session, context.actor)
    await show(update, context, _text(context.t, menu), inline(_buttons(context.t, menu)))


def _text(t: Translator, menu: service.SurveyMenu) -> str:
    lines = [t.gettext("<b>Surveys</b>")]
    if menu.to_answer:
        lines.append(t.gettext("Waiting for your answer:"))
        lines += [
            t.gettext(
                "• {title} — until {day}",
                title=survey_title(t, survey),
                day=day(t, survey.closes_at),
            )
            for survey, _ in menu.to_answer
        ]
    if menu.mine:
        lines.append(t.gettext("Your surveys:"))
        lines += [
            t.gettext(
                "• {title} ({status})",
                title=survey_title(t, survey),
                status=status_title(t, survey.status),
            )
            for survey in menu.mine
        ]
    if not menu.to_answer and not menu.mine:
        lines.append(t.gettext("There are no surveys for you right now."))
    return "\n".join(lines)


def _buttons(t: Translator, menu: service.SurveyMenu) -> list[list[Button]]:
    rows: list[list[Button]] = []
    for survey, started in menu.to_answer:
        label = "▶️ " if started else "✍️ "
        rows.append([(label + survey_title(t, survey)[:50], Answer(survey.id).data())])
    for survey in menu.mine:
        rows.append([("📊 " + survey_title(t, survey)[:50], OpenSurvey(survey.id).data())])
    if menu.can_build:
        rows.append([(t.plain("➕ New survey"), NewSurvey().data())])
    return rows
