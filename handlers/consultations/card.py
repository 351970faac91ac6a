"""A question's card: what its asker or a responder sees, with the buttons they may use."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.i18n import Html, Translator
from bot.keyboards import inline
from handlers.consultations.buttons import (
    Answer,
    Close,
    FollowUp,
    Home,
    Publish,
    Rate,
    ShowFiles,
    Take,
)
from handlers.consultations.wording import STATUS_TITLES, addressee
from models.consultations import ConsultationStatus, FilePart
from services.consultations import QuestionView
from services.formatting import format_date


def card_text(t: Translator, view: QuestionView) -> Html:
    c = view.consultation
    lines = [
        t.gettext(
            "{mark} <b>Question No. {id}</b> to {to}, {date}",
            mark=STATUS_TITLES[c.status],
            id=c.id,
            to=addressee(t, view.association_name),
            date=format_date(c.created_at, t.language),
        )
    ]
    if not view.is_asker:
        lines.append(t.gettext("Asked by: {name}", name=view.asker))
    lines.append(t.gettext("\n{question}", question=c.question))
    lines.append(_status(t, view))
    if c.answer is not None:
        lines.append(t.gettext("\n💬 <b>Answer</b>:\n{answer}", answer=c.answer))
    if c.rating is not None:
        lines.append(t.gettext("⭐ Rating: {score} of 5", score=c.rating))
    if c.in_faq:
        lines.append(t.gettext("📚 Published in the FAQ."))
    return Html("\n".join(lines))


def _status(t: Translator, view: QuestionView) -> Html:
    status = view.consultation.status
    if status is ConsultationStatus.NEW:
        return t.gettext("\nStatus: waiting for an expert.")
    if status is ConsultationStatus.ASSIGNED:
        return t.gettext("\nStatus: taken in hand by {name}.", name=view.assignee or "—")
    if status is ConsultationStatus.ANSWERED:
        return t.gettext("\nStatus: answered by {name}.", name=view.assignee or "—")
    return t.gettext("\nStatus: closed.")


def card_keyboard(t: Translator, view: QuestionView) -> InlineKeyboardMarkup:
    c, rows = view.consultation, []
    take = (t.plain("✋ Take"), Take(c.id).data())
    answer = (t.plain("✍️ Answer"), Answer(c.id).data())
    if view.may_answer and (c.status is ConsultationStatus.NEW or view.can_take_over):
        rows.append([take, answer])
    elif view.is_assignee and c.status is ConsultationStatus.ASSIGNED:
        rows.append([answer])
    if view.is_asker and c.status is ConsultationStatus.ANSWERED:
        rows.append([(f"{n} ⭐", Rate(c.id, n).data()) for n in range(1, 6)])
    if view.is_asker and c.status is not ConsultationStatus.CLOSED:
        rows.append([(t.plain("✔️ Close"), Close(c.id).data())])
    if view.is_asker and c.status in (ConsultationStatus.ANSWERED, ConsultationStatus.CLOSED):
        rows.append([(t.plain("❓ Follow-up question"), FollowUp(c.id).data())])
    for part, count in (
        (FilePart.QUESTION, view.question_files),
        (FilePart.ANSWER, view.answer_files),
    ):
        if count:
            label = (
                t.nplain("📎 {n} file of the question", "📎 {n} files of the question", count)
                if part is FilePart.QUESTION
                else t.nplain("📎 {n} file of the answer", "📎 {n} files of the answer", count)
            )
            rows.append([(label, ShowFiles(c.id, part).data())])
    if view.may_publish:
        rows.append([(t.plain("📚 Publish in the FAQ"), Publish(c.id).data())])
    rows.append([(t.plain("⬅️ Consultations"), Home().data())])
    return inline(rows)
