"""Words shared by the notices and the screens of /ask."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.i18n import Translator
from handlers.consultations.buttons import ShowFiles
from models.consultations import ConsultationStatus, FilePart

STATUS_TITLES = {
    ConsultationStatus.NEW: "🆕",
    ConsultationStatus.ASSIGNED: "✋",
    ConsultationStatus.ANSWERED: "💬",
    ConsultationStatus.CLOSED: "✔️",
}


def shorten(text: str, limit: int = 60) -> str:
    """The first words of a question, for a mention or a button."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def addressee(t: Translator, association: str | None) -> str:
    """To whom the question was asked: «ВМО …» or the network's methodists."""
    if association is None:
        return t.gettext("the network's methodists")
    return t.gettext("the association «{name}»", name=association)


def question_text(t: Translator, p: Mapping[str, Any]) -> str:
    """A question as a responder reads it: whose, to whom, the text and its files."""
    head = (
        t.gettext(
            "❓ <b>A follow-up question</b> to {to} from {asker}:",
            to=addressee(t, p["association"]),
            asker=p["asker"],
        )
        if p["follow_up"]
        else t.gettext(
            "❓ <b>A question</b> to {to} from {asker}:",
            to=addressee(t, p["association"]),
            asker=p["asker"],
        )
    )
    body = t.gettext("{head}\n\n{question}", head=head, question=p["question"])
    if p["files"]:
        files = t.ngettext("📎 {n} file attached.", "📎 {n} files attached.", p["files"])
        body = t.gettext("{body}\n\n{files}", body=body, files=files)
    return body


def files_button(t: Translator, consultation_id: int, part: FilePart, count: int) -> dict[str, str]:
    label = t.nplain("📎 {n} file", "📎 {n} files", count)
    return {"text": label, "callback": ShowFiles(consultation_id, part).data()}
