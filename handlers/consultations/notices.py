"""How the notices of /ask read (services/consultations.py records them)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from handlers.consultations.buttons import Answer, Close, FollowUp, OpenQuestion, Rate, Take
from handlers.consultations.wording import addressee, files_button, question_text, shorten
from models.consultations import FilePart
from services.notices import Notice
from services.outbox import Buttons


def _answer_buttons(t: Translator, p: dict, *, take: bool) -> Buttons:
    consultation_id = p["consultation_id"]
    row = [{"text": t.plain("✍️ Answer"), "callback": Answer(consultation_id).data()}]
    if take:
        row.insert(0, {"text": t.plain("✋ Take"), "callback": Take(consultation_id).data()})
    rows = [row]
    if p["files"]:
        rows.append([files_button(t, consultation_id, FilePart.QUESTION, p["files"])])
    return rows


@renders("consultation.new")
def new(t: Translator, notice: Notice) -> Rendered:
    p = dict(notice.params)
    return Rendered(question_text(t, p), _answer_buttons(t, p, take=True))


@renders("consultation.taken")
def taken(t: Translator, notice: Notice) -> Rendered:
    """The edit of a responder's copy once somebody else has taken the question."""
    p = notice.params
    return Rendered(
        t.gettext(
            "{question}\n\n✋ Taken in hand by {taker}.",
            question=question_text(t, p),
            taker=p["taker"],
        )
    )


@renders("consultation.taken_for_asker")
def taken_for_asker(t: Translator, notice: Notice) -> Rendered:
    p = notice.params
    return Rendered(
        t.gettext(
            "✋ Your question «{question}» is taken in hand by {taker}. The answer will come here.",
            question=shorten(p["question"]),
            taker=p["taker"],
        )
    )


@renders("consultation.for_mentor")
def for_mentor(t: Translator, notice: Notice) -> Rendered:
    p = dict(notice.params)
    head = t.gettext(
        "🤝 Your mentee {asker} asks a question («{association}»):",
        asker=p["asker"],
        association=p["association"],
    )
    return Rendered(
        t.gettext("{head}\n\n{question}", head=head, question=p["question"]),
        _answer_buttons(t, p, take=False),
    )


@renders("consultation.follow_up")
def follow_up(t: Translator, notice: Notice) -> Rendered:
    p = dict(notice.params)
    head = t.gettext("❓ {asker} asks a follow-up question to your answer:", asker=p["asker"])
    return Rendered(
        t.gettext("{head}\n\n{question}", head=head, question=p["question"]),
        _answer_buttons(t, p, take=False),
    )


@renders("consultation.answered")
def answered(t: Translator, notice: Notice) -> Rendered:
    p = notice.params
    consultation_id = p["consultation_id"]
    text = t.gettext(
        "💬 <b>The answer to your question</b> «{question}» ({expert}):\n\n{answer}\n\n"
        "How useful is the answer? Rate it from 1 to 5, ask a follow-up question or close it.",
        question=shorten(p["question"]),
        expert=p["expert"],
        answer=p["answer"],
    )
    stars = [
        {"text": f"{score} ⭐", "callback": Rate(consultation_id, score).data()}
        for score in range(1, 6)
    ]
    rows: list[list[dict[str, str]]] = [
        stars,
        [
            {
                "text": t.plain("❓ Follow-up question"),
                "callback": FollowUp(consultation_id).data(),
            },
            {"text": t.plain("✔️ Close"), "callback": Close(consultation_id).data()},
        ],
    ]
    if p["answer_files"]:
        rows.append([files_button(t, consultation_id, FilePart.ANSWER, p["answer_files"])])
    return Rendered(text, rows)


@renders("consultation.rated")
def rated(t: Translator, notice: Notice) -> Rendered:
    p = notice.params
    return Rendered(
        t.gettext(
            "⭐ Your answer to the question «{question}» is rated {score} of 5. Thank you!",
            question=shorten(p["question"]),
            score=p["score"],
        )
    )


@renders("consultation.reminder")
def reminder(t: Translator, notice: Notice) -> Rendered:
    p = dict(notice.params)
    text = t.ngettext(
        "⏰ The question «{question}» has been waiting for an answer for {n} hour.",
        "⏰ The question «{question}» has been waiting for an answer for {n} hours.",
        p["hours"],
        question=shorten(p["question"]),
    )
    return Rendered(text, _answer_buttons(t, p, take=False))


@renders("consultation.escalated")
def escalated(t: Translator, notice: Notice) -> Rendered:
    p = dict(notice.params)
    text = t.ngettext(
        "⚠️ The question «{question}» to {to} has not been answered for {n} hour. "
        "You can take it in hand or answer it yourself.",
        "⚠️ The question «{question}» to {to} has not been answered for {n} hours. "
        "You can take it in hand or answer it yourself.",
        p["hours"],
        question=shorten(p["question"]),
        to=addressee(t, p["association"]),
    )
    rows = [
        *_answer_buttons(t, p, take=True),
        [{"text": t.plain("🔎 Open"), "callback": OpenQuestion(p["consultation_id"]).data()}],
    ]
    return Rendered(text, rows)


@renders("consultation.mentor_for_mentee")
def mentor_for_mentee(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "🤝 Your mentor in «{association}» is {mentor}. Your questions there (/ask) go "
            "to your mentor first.",
            **notice.params,
        )
    )


@renders("consultation.mentor_for_mentor")
def mentor_for_mentor(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "🤝 You are now the mentor of {mentee}, a young specialist of «{association}». "
            "Their questions (/ask) will come to you first.",
            **notice.params,
        )
    )
