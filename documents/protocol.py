"""«ПРОТОКОЛ № N заседания …» and «ВЫПИСКА ИЗ ПРОТОКОЛА № N»."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from documents.base import (
    build_pdf,
    esc,
    keep,
    name_markup,
    signature_line,
    signatures,
    styles,
)
from documents.data import AssociationInfo, Person
from documents.tables import numbered_table
from services.formatting import format_date, format_time
from services.names import clean_name, short_name

__all__ = [
    "AgendaItem",
    "Decision",
    "ProtocolData",
    "Speech",
    "Vote",
    "build_protocol",
    "build_protocol_extract",
]

DRAFT_LABEL = "ПРОЕКТ"
# Up to this many names are listed inline; more go to an appendix.
INLINE_NAMES_LIMIT = 15


@dataclass(frozen=True)
class Vote:
    """A vote tally: «за — 12, против — 0, воздержались — 1»."""

    in_favour: int
    against: int = 0
    abstained: int = 0


@dataclass(frozen=True)
class Decision:
    """One decision (ПОСТАНОВИЛИ). ``deadline`` is a date or free text («до 1 декабря»)."""

    text: str
    responsible: str = ""
    deadline: date | str | None = None
    vote: Vote | None = None


@dataclass(frozen=True)
class Speech:
    """Who spoke and the substance: «Смирнова Е. В.» — «о результатах диагностики»."""

    speaker: str
    note: str = ""


@dataclass(frozen=True)
class AgendaItem:
    """An agenda item with what was heard, said and decided."""

    title: str
    speakers: Sequence[str] = ()
    heard: Sequence[Speech] = ()
    spoke: Sequence[Speech] = ()
    decisions: Sequence[Decision] = ()


@dataclass(frozen=True)
class ProtocolData:
    """A meeting protocol. ``held_at`` is aware (UTC is fine); ``timezone`` is for display."""

    association: AssociationInfo
    number: int | str
    held_at: datetime
    chair: Person
    secretary: Person
    timezone: str = "Europe/Moscow"
    place: str = "онлайн"
    present: Sequence[Person] = field(default_factory=tuple)
    absent: Sequence[Person] = field(default_factory=tuple)
    agenda: Sequence[AgendaItem] = field(default_factory=tuple)
    topic: str = ""
    draft: bool = False


def _local_day(data: ProtocolData) -> date:
    from zoneinfo import ZoneInfo

    held = data.held_at
    if held.tzinfo is None:
        held = held.replace(tzinfo=ZoneInfo("UTC"))
    return held.astimezone(ZoneInfo(data.timezone)).date()


def _names(people: Sequence[Person]) -> str:
    """«Иванова А. П., Петров И. И.» as markup: a line breaks between names, never inside one."""
    return ", ".join(name_markup(short_name(p.full_name)) for p in people)


def _people_line(label: str, people: Sequence[Person], appendix: bool) -> str:
    text = f"<b>{label}:</b> {len(people)} чел."
    if len(people) <= INLINE_NAMES_LIMIT:
        return f"{text} ({_names(people)})"
    return f"{text} (список прилагается)" if appendix else text


def _vote_line(vote: Vote) -> str:
    return (
        f"Голосовали: за — {vote.in_favour}, против — {vote.against}, "
        f"воздержались — {vote.abstained}."
    )


def _sentence(text: str) -> str:
    """End with a full stop unless the text already ends with punctuation («г.», «И. И.»)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _labelled(label: str, value: str) -> str:
    """«Срок: до 1 декабря.», even when the value typed already starts with «Срок:»."""
    value = re.sub(rf"^\s*{label}\s*:\s*", "", value, flags=re.IGNORECASE)
    return f"{label}: {esc(_sentence(value))}"


def _deadline(value: date | str) -> str:
    return format_date(value) if isinstance(value, date) else str(value)


def _header(data: ProtocolData, title: str) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = []
    if data.association.organisation:
        story += [Paragraph(esc(data.association.organisation), st.subtitle), Spacer(1, 10)]
    story += [
        Paragraph(esc(title), st.title),
        Paragraph(f"заседания {esc(data.association.genitive)}", st.subtitle),
        Spacer(1, 8),
    ]
    return story


def _meta(data: ProtocolData, *, appendix: bool) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [
        Paragraph(f"от {esc(format_date(_local_day(data)))}", st.body_left),
        Paragraph(f"Начало: {format_time(data.held_at, data.timezone)}", st.body_left),
        Paragraph(f"Место проведения: {esc(data.place)}", st.body_left),
    ]
    if data.topic:
        story.append(Paragraph(f"Тема заседания: {esc(data.topic)}", st.body_left))
    story += [
        Spacer(1, 6),
        _role_line("Председатель", data.chair),
        _role_line("Секретарь", data.secretary),
        Paragraph(_people_line("Присутствовали", data.present, appendix), st.body_left),
    ]
    if data.absent:  # «Отсутствовали: 0 чел.» is noise: the line is left out
        story.append(Paragraph(_people_line("Отсутствовали", data.absent, False), st.body_left))
    return story


def _role_line(role: str, person: Person) -> Paragraph:
    name = short_name(person.full_name)
    return Paragraph(f"<b>{role}:</b> {name_markup(name) if name else ''}", styles().body_left)


def _agenda(data: ProtocolData) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [Spacer(1, 6), Paragraph("ПОВЕСТКА ДНЯ:", st.heading)]
    if not data.agenda:
        story.append(Paragraph("Вопросы в повестку дня не внесены.", st.body_left))
    story += [_agenda_line(n, item) for n, item in enumerate(data.agenda, 1)]
    return story


def _agenda_line(n: int, item: AgendaItem) -> Paragraph:
    """«3. Об организации наставничества (Тихомирова Л. Б.)», left-aligned: no rivers."""
    text = f"{n}. {esc(item.title)}"
    if item.speakers:
        text += f" ({'; '.join(_speaker(s) for s in item.speakers)})"
    return Paragraph(text, styles().hanging)


def _speaker(text: str) -> str:
    """A speaker as given («Смирнова Е. В., учитель математики»): the name part unbroken."""
    name, comma, rest = text.partition(",")
    cleaned = clean_name(name)
    head = name_markup(cleaned) if cleaned else esc(name)
    return head + esc(comma + rest)


def _item(n: int, item: AgendaItem) -> list[Flowable]:
    """СЛУШАЛИ / ВЫСТУПИЛИ / ПОСТАНОВИЛИ of one item; each label stays with its first entry."""
    st = styles()
    heard = item.heard or [Speech(s) for s in item.speakers]
    story: list[Flowable] = [Spacer(1, 6), Paragraph(f"<b>{n}. СЛУШАЛИ:</b>", st.label)]
    story += [_speech(s) for s in heard] or [Paragraph(esc(item.title), st.body)]
    if item.spoke:
        story.append(Paragraph("<b>ВЫСТУПИЛИ:</b>", st.label))
        story += [_speech(s) for s in item.spoke]
    if item.decisions:
        # A KeepTogether cannot be kept with by keepWithNext, so the label joins the first.
        label = Paragraph("<b>ПОСТАНОВИЛИ:</b>", st.label)
        story.append(keep(label, *_decision(n, 1, item.decisions[0])))
        story += [keep(*_decision(n, k, d)) for k, d in enumerate(item.decisions[1:], 2)]
    return story


def _speech(speech: Speech) -> Paragraph:
    text = f"<b>{_speaker(speech.speaker)}</b>"
    if speech.note:
        text += f" — {esc(_sentence(speech.note))}"
    return Paragraph(text, styles().body)


def _decision(n: int, k: int, decision: Decision) -> list[Paragraph]:
    """«1.2. Провести…» and its Ответственный / Срок / Голосовали lines (kept on one page)."""
    st = styles()
    lines = [f"{n}.{k}. {esc(_sentence(decision.text))}"]
    if decision.responsible:
        lines.append(_labelled("Ответственный", decision.responsible))
    if decision.deadline:
        lines.append(_labelled("Срок", _deadline(decision.deadline)))
    if decision.vote is not None:
        lines.append(esc(_vote_line(decision.vote)))
    return [Paragraph(lines[0], st.body)] + [Paragraph(line, st.detail) for line in lines[1:]]


def _signatures(data: ProtocolData) -> list[Flowable]:
    signers = [("Председатель", data.chair.full_name), ("Секретарь", data.secretary.full_name)]
    return [Spacer(1, 20), signatures(signers)]


def _appendix(data: ProtocolData) -> list[Flowable]:
    st = styles()
    rows = [[clean_name(p.full_name), p.organisation, p.position] for p in data.present]
    signed = [Spacer(1, 12), signature_line("Секретарь", data.secretary.full_name)]
    return [
        PageBreak(),
        Paragraph(
            f"Приложение<br/>к протоколу № {esc(data.number)} от "
            f"{esc(format_date(_local_day(data)))}",
            st.body_right,
        ),
        Spacer(1, 10),
        Paragraph("Список присутствовавших", st.title),
        Spacer(1, 6),
        numbered_table(
            ("Фамилия, имя, отчество", "Организация", "Должность"),
            rows,
            (40, 45, 30),
            whole_word_columns=(0,),
            footer=signed,
        ),
    ]


def protocol_flowables(data: ProtocolData) -> list[Flowable]:
    """The protocol's content, for embedding into a larger document."""
    appendix = len(data.present) > INLINE_NAMES_LIMIT
    story = _header(data, f"ПРОТОКОЛ № {data.number}")
    story += _meta(data, appendix=appendix)
    story += _agenda(data)
    for n, item in enumerate(data.agenda, 1):
        story += _item(n, item)
    # The signatures never stand alone on a page: they take the last entry with them.
    story.append(keep(story.pop(), *_signatures(data)))
    if appendix:
        story += _appendix(data)
    return story


def _title(data: ProtocolData, what: str) -> str:
    return f"{what} № {data.number} заседания {data.association.genitive}"


def build_protocol(data: ProtocolData) -> bytes:
    """The meeting protocol as PDF bytes; > 15 present go to an attached list."""
    return build_pdf(
        protocol_flowables(data),
        title=_title(data, "Протокол"),
        author=data.secretary.full_name,
        watermark=DRAFT_LABEL if data.draft else None,
    )


def build_protocol_extract(
    data: ProtocolData, item_number: int, *, certified_on: date | None = None
) -> bytes:
    """«ВЫПИСКА ИЗ ПРОТОКОЛА № N» for agenda item ``item_number`` (1-based).

    Certified «Верно» by the secretary on ``certified_on`` (default: the meeting day).
    """
    if not 1 <= item_number <= len(data.agenda):
        raise ValueError(f"no agenda item {item_number} in protocol № {data.number}")
    st = styles()
    item = data.agenda[item_number - 1]
    story = _header(data, f"ВЫПИСКА ИЗ ПРОТОКОЛА № {data.number}")
    story += _meta(data, appendix=False)
    story += [Spacer(1, 6), Paragraph("ПОВЕСТКА ДНЯ:", st.heading), _agenda_line(item_number, item)]
    story += _item(item_number, item)
    when = certified_on or _local_day(data)
    story.append(
        keep(
            Spacer(1, 20),
            Paragraph("<b>Верно</b>", st.body_left),
            Spacer(1, 4),
            signature_line(data.secretary.position or "Секретарь", data.secretary.full_name),
            Spacer(1, 4),
            Paragraph(esc(format_date(when)), st.body_left),
        )
    )
    return build_pdf(
        story,
        title=_title(data, "Выписка из протокола"),
        author=data.secretary.full_name,
        watermark=DRAFT_LABEL if data.draft else None,
    )
