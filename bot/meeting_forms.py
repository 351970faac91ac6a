"""The forms a meeting can take (SPEC §3), shared by meetings and plans: key → title."""

from __future__ import annotations

from services.texts import T_

FORM_TITLES = {
    "webinar": T_("webinar"),
    "master_class": T_("virtual master class"),
    "exhibition": T_("virtual exhibition"),
    "online_consultation": T_("on-line consultation"),
    "forum": T_("forum"),
    "interactive_lecture": T_("interactive lecture"),
    "seminar": T_("virtual seminar"),
    "creative_workshop": T_("creative workshop"),
    "ring": T_("virtual ring"),
    "chat_consultation": T_("chat consultation"),
    "conference": T_("conference"),
    "pedagogical_council": T_("pedagogical council"),
    "other": T_("other form"),
}


def form_key(form: str | None) -> str:
    """A known form key ("other" for anything else)."""
    return form if form in FORM_TITLES else "other"
