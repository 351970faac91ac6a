"""A survey's screen for the one who manages it: its questions (add, reword, delete,
required or optional) while it is a draft, opening it, closing it, its results."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn, register
from bot.i18n import Translator
from bot.keyboards import Button, inline
from bot.replies import ack, show
from handlers.surveys.buttons import (
    BUTTONS,
    AddQuestion,
    Close,
    DeleteQuestion,
    Launch,
    OpenQuestion,
    OpenSurvey,
    ResultsCsv,
    ResultsPdf,
    RewordQuestion,
    ShowResults,
    ToggleRequired,
)
from handlers.surveys.wording import (
    KINDS,
    audience_text,
    day,
    kind_title,
    option_labels,
    question_text,
    status_title,
    survey_title,
)
from models.surveys import QuestionKind, SurveyQuestion, SurveyStatus
from services import surveys as service
from services.texts import N_

EDITABLE = (SurveyStatus.DRAFT, SurveyStatus.SCHEDULED)


def screen_view(t: Translator, screen: service.SurveyScreen) -> tuple[str, InlineKeyboardMarkup]:
    """The survey's screen: text and buttons."""
    survey = screen.survey
    lines = [
        t.gettext("📋 <b>{title}</b>", title=survey_title(t, survey)),
        t.gettext("Status: {status}", status=status_title(t, survey.status)),
        t.gettext("For: {audience}", audience=audience_text(t, survey, screen.association)),
        t.gettext("Anonymous") if survey.anonymous else t.gettext("Named (answers with names)"),
        t.gettext("Closes: {day}", day=day(t, survey.closes_at)),
    ]
    if survey.opens_at is not None and survey.status is not SurveyStatus.CLOSED:
        lines.append(t.gettext("Opens: {day}", day=day(t, survey.opens_at)))
    if survey.status in (SurveyStatus.OPEN, SurveyStatus.CLOSED):
        lines.append(
            t.gettext(
                "Answered: {answered} of {invited}",
                answered=screen.answered,
                invited=screen.invited,
            )
        )
    lines.append("")
    for n, question in enumerate(screen.questions, start=1):
        optional = "" if question.required else t.plain(", optional")
        lines.append(
            t.gettext(
                "{n}. {text} ({kind}{optional})",
                n=n,
                text=question_text(t, question),
                kind=kind_title(t, question.kind),
                optional=optional,
            )
        )
    if not screen.questions:
        lines.append(t.gettext("No questions yet."))
    return "\n".join(lines)[:4000], inline(_buttons(t, screen))


def _buttons(t: Translator, screen: service.SurveyScreen) -> list[list[Button]]:
    survey = screen.survey
    rows: list[list[Button]] = []
    if survey.status in EDITABLE:
        rows += [
            [(f"✏️ {n}. {question_text(t, q)[:40]}", OpenQuestion(q.id).data())]
            for n, q in enumerate(screen.questions, start=1)
        ]
        rows.append([(t.plain("➕ Add a question"), AddQuestion(survey.id).data())])
    if survey.status is SurveyStatus.DRAFT:
        rows.append([(t.plain("🚀 Open the survey"), Launch(survey.id).data())])
    if survey.status in (SurveyStatus.OPEN, SurveyStatus.CLOSED):
        rows.append([(t.plain("📊 Results"), ShowResults(survey.id).data())])
        rows.append(
            [
                (t.plain("📄 PDF"), ResultsPdf(survey.id).data()),
                (t.plain("📑 CSV"), ResultsCsv(survey.id).data()),
            ]
        )
    if survey.status is SurveyStatus.OPEN:
        rows.append([(t.plain("⏹ Close the survey"), Close(survey.id).data())])
    return rows


async def say_screen(turn: Turn, survey_id: int) -> None:
    screen = await service.survey_screen(turn.context.session, turn.context.actor, survey_id)
    await turn.say(*screen_view(turn.t, screen))


async def show_screen(update: Update, context: BotContext, survey_id: int) -> None:
    screen = await service.survey_screen(context.session, context.actor, survey_id)
    await show(update, context, *screen_view(context.t, screen))


@BUTTONS.on(OpenSurvey)
async def open_survey(update: Update, context: BotContext, press: OpenSurvey) -> None:
    await show_screen(update, context, press.survey_id)
    await ack(update)


@BUTTONS.on(OpenQuestion)
async def open_question(update: Update, context: BotContext, press: OpenQuestion) -> None:
    question = await service.question_for_author(context.session, context.actor, press.question_id)
    await show(update, context, *_question_view(context.t, question))
    await ack(update)


def _question_view(t: Translator, question: SurveyQuestion) -> tuple[str, InlineKeyboardMarkup]:
    lines = [
        t.gettext("<b>{text}</b>", text=question_text(t, question)),
        t.gettext("Answer: {kind}", kind=kind_title(t, question.kind)),
        t.gettext("Required") if question.required else t.gettext("Optional"),
    ]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        lines += [t.gettext("• {option}", option=o) for o in option_labels(t, question)]
    toggle = N_("Make it optional") if question.required else N_("Make it required")
    rows = [
        [(t.plain("✏️ Reword"), RewordQuestion(question.id).data())],
        [(t.plain(toggle), ToggleRequired(question.id).data())],
        [(t.plain("🗑 Delete"), DeleteQuestion(question.id).data())],
        [(t.plain("⬅️ Back"), OpenSurvey(question.survey_id).data())],
    ]
    return "\n".join(lines), inline(rows)


@BUTTONS.on(ToggleRequired)
async def toggle_required(update: Update, context: BotContext, press: ToggleRequired) -> None:
    question = await service.toggle_required(context.session, context.actor, press.question_id)
    await show(update, context, *_question_view(context.t, question))
    await ack(update)


@BUTTONS.on(DeleteQuestion)
async def delete_question(update: Update, context: BotContext, press: DeleteQuestion) -> None:
    survey_id = await service.delete_question(context.session, context.actor, press.question_id)
    await show_screen(update, context, survey_id)
    await ack(update, context.t.plain("The question is deleted."))


@BUTTONS.on(Launch)
async def launch(update: Update, context: BotContext, press: Launch) -> None:
    """Open now (the screen then offers results and closing), or on its opening date."""
    survey = await service.open_survey(context.session, context.actor, press.survey_id)
    await show_screen(update, context, survey.id)
    t = context.t
    if survey.status is SurveyStatus.SCHEDULED and survey.opens_at is not None:
        await ack(update, t.plain("🗓 The survey will open on {day}.", day=day(t, survey.opens_at)))
    else:
        await ack(update, t.plain("🚀 The survey is open; the invitations are on their way."))


@BUTTONS.on(Close)
async def close(update: Update, context: BotContext, press: Close) -> None:
    await service.close_survey(context.session, context.actor, press.survey_id)
    await show_screen(update, context, press.survey_id)
    await ack(update, context.t.plain("⏹ The survey is closed."))


# ---- adding and rewording questions -----------------------------------------------------

ADDING = register(Dialog("srvq"))


@BUTTONS.on(AddQuestion)
async def add_question(update: Update, context: BotContext, press: AddQuestion) -> None:
    await service.survey_screen(context.session, context.actor, press.survey_id)  # may they?
    await ADDING.start(update, context, "kind", {"survey": press.survey_id})
    await ack(update)


def _kinds(turn: Turn) -> list[tuple[str, str]]:
    return [(kind.value, turn.t.plain(title)) for kind, title in KINDS.items()]


async def _after_text(turn: Turn) -> None:
    choice = turn.data["kind"] in (QuestionKind.SINGLE, QuestionKind.MULTI)
    await turn.goto("options" if choice else "required")


async def _add(turn: Turn, required: bool) -> None:
    data = turn.data
    await service.add_question(
        turn.context.session,
        turn.context.actor,
        data["survey"],
        kind=QuestionKind(data["kind"]),
        text=data["text"],
        options=data.get("options") or [],
        required=required,
    )
    await turn.finish()
    await say_screen(turn, data["survey"])


async def _add_required(turn: Turn) -> None:
    await _add(turn, True)


async def _add_optional(turn: Turn) -> None:
    await _add(turn, False)


ADDING.choice_step(
    "kind",
    prompt=N_("What kind of answer does the question take?"),
    options=_kinds,
    key="kind",
    then="text",
)
ADDING.text_step(
    "text",
    prompt=N_("Write the question."),
    key="text",
    clean=service.clean_question,
    then=_after_text,
)
ADDING.text_step(
    "options",
    prompt=N_("Write the options, one per line (2 to 10)."),
    key="options",
    clean=service.clean_options,
    then="required",
)
ADDING.confirm_step(
    "required",
    prompt=N_("Must everyone answer this question?"),
    yes=N_("⭐ Required"),
    on_yes=_add_required,
    no=N_("Optional"),
    on_no=_add_optional,
)

REWORDING = register(Dialog("srvw"))


@BUTTONS.on(RewordQuestion)
async def reword(update: Update, context: BotContext, press: RewordQuestion) -> None:
    question = await service.question_for_author(context.session, context.actor, press.question_id)
    data = {
        "question": question.id,
        "survey": question.survey_id,
        "options": option_labels(context.t, question),
    }
    if question.kind is QuestionKind.SCALE:
        data["options"] = []
    await REWORDING.start(update, context, "text", data)
    await ack(update)


async def _reword(turn: Turn) -> None:
    data = turn.data
    await service.reword_question(
        turn.context.session,
        turn.context.actor,
        data["question"],
        text=data["text"],
        options=data["options"],
    )
    await turn.finish()
    await say_screen(turn, data["survey"])


REWORDING.text_step(
    "text",
    prompt=N_("Write the new wording of the question."),
    key="text",
    clean=service.clean_question,
    then=_reword,
)
