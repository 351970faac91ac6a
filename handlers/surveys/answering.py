"""Answering a survey in private chat, one question at a time (dialog `srva`).

The answers given so far are kept on the invitation by the service after each step, so
the person can stop at any moment and continue from /survey later, also after a restart;
the dialog's own state (which question) is in the database too. Before submitting the
person sees every answer and can submit or answer again.
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.dialogs import Dialog, Turn, register
from bot.replies import ack
from handlers.surveys.buttons import BUTTONS, Answer
from handlers.surveys.wording import option_labels, question_text, survey_title
from models.surveys import QuestionKind
from services import surveys as service
from services.errors import DomainError, InvalidInput
from services.texts import N_

SKIP = "-"  # the value of «Skip» on an optional question's buttons
STEP_OF = {
    QuestionKind.SINGLE: "one",
    QuestionKind.SCALE: "scale",
    QuestionKind.MULTI: "many",
    QuestionKind.TEXT: "text",
}

ANSWERING = register(Dialog("srva"))


@BUTTONS.on(Answer)
async def answer(update: Update, context: BotContext, press: Answer) -> Settled | None:
    await begin(update, context, press.survey_id)
    await ack(update)
    return None


async def begin(update: Update, context: BotContext, survey_id: int) -> None:
    """Open the questionnaire where the person stopped (the first question not answered)."""
    found = await service.questionnaire(context.session, context.actor, survey_id)
    t = context.t
    questions = [
        {
            "id": q.id,
            "kind": q.kind.value,
            "text": question_text(t, q),
            "options": option_labels(t, q),
            "required": q.required,
        }
        for q in found.questions
    ]
    index = found.next_index()
    data = {
        "survey": survey_id,
        "title": survey_title(t, found.survey),
        "anonymous": found.survey.anonymous,
        "qs": questions,
        "i": index,
        "shown": {
            str(q["id"]): _shown(t, q, found.answers[str(q["id"])]) for q in questions[:index]
        },
    }
    await ANSWERING.start(update, context, _step_at(data, index), data)


def _step_at(data: dict[str, Any], index: int) -> str:
    questions = data["qs"]
    if index >= len(questions):
        return "summary"
    question = questions[index]
    step = STEP_OF[QuestionKind(question["kind"])]
    return "text_opt" if step == "text" and not question["required"] else step


def _current(turn: Turn) -> dict[str, Any]:
    return turn.data["qs"][turn.data["i"]]


def _prompt(turn: Turn) -> str:
    t, data, question = turn.t, turn.data, _current(turn)
    lines = []
    if data["i"] == 0:
        lines.append(t.gettext("📝 <b>{title}</b>", title=data["title"]))
        if data["anonymous"]:
            lines.append(
                t.gettext("The survey is anonymous: your answers are kept without your name.")
            )
        lines.append(
            t.gettext("You can stop at any time: your answers are kept; continue from /survey.")
        )
        lines.append("")
    mark = "" if question["required"] else t.plain(" (optional)")
    lines.append(
        t.gettext(
            "Question {n} of {total}{mark}:", n=data["i"] + 1, total=len(data["qs"]), mark=mark
        )
    )
    lines.append(t.gettext("<b>{text}</b>", text=question["text"]))
    if question["kind"] == QuestionKind.TEXT:
        lines.append(t.gettext("Please answer in a message."))
    return "\n".join(lines)


def _options(turn: Turn) -> list[tuple[str, str]]:
    question = _current(turn)
    if question["kind"] == QuestionKind.SCALE:
        values = [(str(score), str(score)) for score in range(1, 6)]
    else:
        values = [(str(i), label[:60]) for i, label in enumerate(question["options"])]
    if not question["required"]:
        values.append((SKIP, turn.t.plain("Skip ⏭")))
    return values


def _shown(t: Any, question: dict[str, Any], value: Any) -> str:
    """An answer as the person reads it in the summary."""
    if value is None:
        return t.plain("— skipped")
    if question["kind"] in (QuestionKind.SINGLE, QuestionKind.MULTI):
        picks = value if isinstance(value, list) else [value]
        return ", ".join(question["options"][i] for i in picks)
    return str(value)


async def _record(turn: Turn) -> None:
    """Keep the answer just given (checked by the service) and ask the next question."""
    question, raw = _current(turn), turn.data.get("answer")
    if raw == SKIP or (isinstance(raw, list) and SKIP in raw):
        raw = None
    turn.drop("answer")
    try:
        found = await service.save_answer(
            turn.context.session,
            turn.context.actor,
            turn.data["survey"],
            question_id=question["id"],
            raw=raw,
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    except DomainError as error:
        await _stop(turn, error)
        return
    value = found.answers[str(question["id"])]
    index = turn.data["i"] + 1
    turn.put(
        i=index, shown={**turn.data["shown"], str(question["id"]): _shown(turn.t, question, value)}
    )
    await turn.goto(_step_at(turn.data, index))


async def _stop(turn: Turn, error: DomainError) -> None:
    """The survey can no longer be answered (closed, already answered): end the dialog."""
    await turn.finish()
    await turn.say(turn.t.error(error))


def _summary(turn: Turn) -> str:
    t, data = turn.t, turn.data
    lines = [t.gettext("<b>Please check your answers</b>"), ""]
    for n, question in enumerate(data["qs"], start=1):
        lines.append(t.gettext("{n}. {text}", n=n, text=question["text"]))
        lines.append(t.gettext("➡️ {answer}", answer=data["shown"].get(str(question["id"]), "")))
    lines += ["", t.gettext("Submit the answers?")]
    return "\n".join(lines)[:4000]


async def _submit(turn: Turn) -> None:
    try:
        await service.submit(turn.context.session, turn.context.actor, turn.data["survey"])
    except InvalidInput as error:
        await turn.refuse(error)
        return
    except DomainError as error:
        await _stop(turn, error)
        return
    await turn.finish()
    await turn.say(turn.t.gettext("✅ Thank you! Your answers are saved."))


async def _again(turn: Turn) -> None:
    await service.restart_answers(turn.context.session, turn.context.actor, turn.data["survey"])
    turn.put(i=0, shown={})
    await turn.goto(_step_at(turn.data, 0))


def _clean_text(text: str) -> str:
    return text.strip()


ANSWERING.choice_step("one", prompt=_prompt, options=_options, key="answer", then=_record)
ANSWERING.choice_step(
    "scale", prompt=_prompt, options=_options, key="answer", then=_record, width=5
)
ANSWERING.multi_choice_step(
    "many", prompt=_prompt, options=_options, key="answer", then=_record, width=1
)
ANSWERING.text_step("text", prompt=_prompt, key="answer", clean=_clean_text, then=_record)
ANSWERING.text_step(
    "text_opt",
    prompt=_prompt,
    key="answer",
    clean=_clean_text,
    then=_record,
    skip=N_("Skip ⏭"),
)
ANSWERING.confirm_step(
    "summary",
    prompt=_summary,
    yes=N_("✅ Submit"),
    on_yes=_submit,
    no=N_("✏️ Answer again"),
    on_no=_again,
)
