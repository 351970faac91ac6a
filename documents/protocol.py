"""«ПРОТОКОЛ № N заседания …» and «ВЫПИСКА ИЗ ПРОТОКОЛА № N»."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from documents.base import (
    build_pdf,
    esc,
    keep,
    numbered_table,
    signature_line,
    styles,
)
from documents.data import AssociationInfo, Person
from services.formatting import format_date, format_time, short_name

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
    return ", ".join(short_name(p.full_name) for p in people)


def _people_line(label: str, people: Sequence[Person], appendix: bool) -> str:
    text = f"<b>{label}:</b> {len(people)} чел."
    if not people:
        return text
    if len(people) <= INLINE_NAMES_LIMIT:
        return f"{text} ({esc(_names(people))})"
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
    time = format_time(data.held_at, data.timezone)
    story: list[Flowable] = [
        Paragraph(f"от {esc(format_date(_local_day(data)))}, {time}", st.body_left),
        Paragraph(f"Место проведения: {esc(data.place)}", st.body_left),
    ]
    if data.topic:
        story.append(Paragraph(f"Тема заседания: {esc(data.topic)}", st.body_left))
    story += [
        Spacer(1, 6),
        Paragraph(f"<b>Председатель:</b> {esc(short_name(data.chair.full_name))}", st.body_left),
        Paragraph(f"<b>Секретарь:</b> {esc(short_name(data.secretary.full_name))}", st.body_left),
        Paragraph(_people_line("Присутствовали", data.present, appendix), st.body_left),
        Paragraph(_people_line("Отсутствовали", data.absent, appendix=False), st.body_left),
    ]
    return story


def _agenda(data: ProtocolData) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [Spacer(1, 6), Paragraph("ПОВЕСТКА ДНЯ:", st.heading)]
    for n, item in enumerate(data.agenda, 1):
        text = f"{n}. {esc(item.title)}"
        if item.speakers:
            text += f" ({esc('; '.join(item.speakers))})"
        story.append(Paragraph(text, st.body))
    return story


def _item(n: int, item: AgendaItem) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = []
    heard = item.heard or [Speech(s) for s in item.speakers]
    first: list[Flowable] = [Spacer(1, 6), Paragraph(f"<b>{n}. СЛУШАЛИ:</b>", st.body_left)]
    if heard:
        first.append(_speech(heard[0]))
    else:
        first.append(Paragraph(esc(item.title), st.body))
    story.append(keep(*first))
    story += [_speech(s) for s in heard[1:]]
    if item.spoke:
        story.append(keep(Paragraph("<b>ВЫСТУПИЛИ:</b>", st.body_left), _speech(item.spoke[0])))
        story += [_speech(s) for s in item.spoke[1:]]
    if item.decisions:
        first_decision = _decision(n, 1, item.decisions[0])
        story.append(keep(Paragraph("<b>ПОСТАНОВИЛИ:</b>", st.body_left), *first_decision))
        for k, decision in enumerate(item.decisions[1:], 2):
            story += _decision(n, k, decision)
    return story


def _speech(speech: Speech) -> Paragraph:
    text = f"<b>{esc(speech.speaker)}</b>"
    if speech.note:
        text += f" — {esc(_sentence(speech.note))}"
    return Paragraph(text, styles().body)


def _decision(n: int, k: int, decision: Decision) -> list[Flowable]:
    st = styles()
    lines = [f"{n}.{k}. {esc(_sentence(decision.text))}"]
    if decision.responsible:
        lines.append(f"Ответственный: {esc(_sentence(decision.responsible))}")
    if decision.deadline:
        lines.append(f"Срок: {esc(_sentence(_deadline(decision.deadline)))}")
    if decision.vote is not None:
        lines.append(esc(_vote_line(decision.vote)))
    return [Paragraph(lines[0], st.body)] + [Paragraph(line, st.detail) for line in lines[1:]]


def _signatures(data: ProtocolData) -> list[Flowable]:
    return [
        Spacer(1, 20),
        signature_line("Председатель", data.chair.full_name),
        Spacer(1, 12),
        signature_line("Секретарь", data.secretary.full_name),
    ]


def _appendix(data: ProtocolData) -> list[Flowable]:
    st = styles()
    rows = [[p.full_name, p.organisation, p.position] for p in data.present]
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
        numbered_table(("Фамилия, имя, отчество", "Организация", "Должность"), rows, (40, 45, 30)),
    ]


def protocol_flowables(data: ProtocolData) -> list[Flowable]:
    """The protocol's content, for embedding into a larger document."""
    appendix = len(data.present) > INLINE_NAMES_LIMIT
    story = _header(data, f"ПРОТОКОЛ № {data.number}")
    story += _meta(data, appendix=appendix)
    story += _agenda(data)
    for n, item in enumerate(data.agenda, 1):
        story += _item(n, item)
    # The signatures never stand alone on a page: they take the last lines with them.
    tail = [story.pop() for _ in range(min(2, len(story)))][::-1]
    story.append(keep(*tail, *_signatures(data)))
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
    story += [Spacer(1, 6), Paragraph("ПОВЕСТКА ДНЯ:", st.heading)]
    text = f"{item_number}. {esc(item.title)}"
    if item.speakers:
        text += f" ({esc('; '.join(item.speakers))})"
    story.append(Paragraph(text, st.body))
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
