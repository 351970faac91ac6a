"""«Инструкция участника …» — the participant's guide: friendlier than the regulation,
short numbered steps under plain headings (PT Sans), drawn from the association's settings
(``documents.guide_text``)."""

from __future__ import annotations

from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from documents.base import CREATOR, build_pdf, esc, keep, styles
from documents.fonts import SANS, SANS_BOLD
from documents.guide_text import GuideData, guide_sections
from documents.regulation_words import genitive_title

__all__ = ["EDITION", "GuideData", "build_guide"]

# Stored guides are reused while the settings they reflect stay the same (services/guide.py);
# raise this when the wording or layout changes, so every association's guide is rebuilt.
EDITION = 1

ACCENT = colors.Color(0.18, 0.33, 0.55)
STEP_INDENT = 7 * mm


@cache
def _styles() -> dict[str, ParagraphStyle]:
    st = styles()
    return {
        "title": ParagraphStyle(
            "guide_title", parent=st.title, fontName=SANS_BOLD, fontSize=18, leading=22
        ),
        "subtitle": ParagraphStyle(
            "guide_subtitle", parent=st.subtitle, fontName=SANS, fontSize=12, leading=15
        ),
        "intro": ParagraphStyle("guide_intro", parent=st.body_left, alignment=TA_CENTER),
        "heading": ParagraphStyle(
            "guide_heading",
            parent=st.heading,
            fontName=SANS_BOLD,
            fontSize=13,
            leading=16,
            textColor=ACCENT,
            spaceBefore=9,
            spaceAfter=3,
            keepWithNext=0,  # kept with its first step by `keep`
        ),
        "step": ParagraphStyle(
            "guide_step",
            parent=st.body_left,
            leftIndent=STEP_INDENT,
            firstLineIndent=0,
            bulletIndent=0,
            bulletFontName=SANS_BOLD,
            spaceAfter=3,
        ),
    }


def build_guide(data: GuideData) -> bytes:
    """The guide as an A4 PDF."""
    s = _styles()
    whose = genitive_title(data.name, data.kind)
    story: list[Flowable] = [
        Paragraph("Инструкция участника", s["title"]),
        Paragraph(esc(whose), s["subtitle"]),
    ]
    if data.organisation:
        story.append(Paragraph(esc(data.organisation), s["subtitle"]))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            esc(
                "Вся работа объединения идёт в Telegram: в групповом чате и в личном чате с "
                "ботом. Команды, которые начинаются с «/», отправляйте боту в личном чате."
            ),
            s["intro"],
        ),
        Spacer(1, 2 * mm),
    ]
    for number, (heading, steps) in enumerate(guide_sections(data), 1):
        lines = [
            Paragraph(esc(step), s["step"], bulletText=f"{index}.")
            for index, step in enumerate(steps, 1)
        ]
        story += [keep(Paragraph(esc(f"{number}. {heading}"), s["heading"]), *lines[:1])]
        story += lines[1:]
    return build_pdf(
        story,
        title=f"Инструкция участника {whose}",
        author=data.organisation or CREATOR,
    )
