"""Meeting protocols: pre-filling from the meeting, parsing the secretary's answers,
drafts and the approved (final) PDF sent to the group and every member through the outbox.

Who is told what is recorded as notices (`protocol.published`, and `protocol.followup` from
the follow-up sweep); their words live in handlers/protocols/notices.py.

The chair and the secretary are always counted present at their own meeting; the others as
services.meetings.present_ids says (checked in, or «will attend», as the leader corrected).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from documents import (
    AgendaItem,
    AssociationInfo,
    Decision,
    Person,
    ProtocolData,
    Speech,
    Vote,
    build_protocol,
    build_protocol_extract,
)
from documents.data import association_kind
from models import Association, MemberRole, StoredFile, User
from models.meetings import Meeting, MeetingAgendaItem, MeetingStatus
from models.protocols import FollowUp, Protocol, ProtocolItem, ProtocolStatus
from services.access import Actor, require_association_role, role_holder
from services.clock import academic_year_start, now
from services.errors import DomainError, InvalidInput, NotFound
from services.formatting import initials_first, short_name
from services.locks import lock
from services.meetings import (
    MANAGERS,
    active_members,
    local_day,
    managed_associations,
    present_ids,
)
from services.notices import Notice, tell
from services.outbox import cancel_batch, store_file
from services.texts import N_

MAX_LINES = 20
MAX_TEXT = 1000
PLATFORMS = {
    "zoom.us": "Zoom",
    "telemost.yandex.ru": "Яндекс Телемост",
    "sferum.ru": "Сферум",
    "meet.google.com": "Google Meet",
    "teams.microsoft.com": "Microsoft Teams",
    "vk.com": "VK Звонки",
    "webinar.ru": "Webinar.ru",
    "mts-link.ru": "МТС Линк",
    "ktalk.ru": "Контур.Толк",
}


class BadSubstance(InvalidInput):
    message = N_("Please write what was heard in 3 to 1000 characters.")


class BadSpeech(InvalidInput):
    message = N_(
        "Line {line} is not «Name — note». Write one speech per line, the name, a dash and "
        "a short note, for example: <i>Petrova O. I. — shared her experience</i>."
    )


class BadDecisionText(InvalidInput):
    message = N_("Line {line}: the decision itself should be 3 to 1000 characters.")


class BadDecisionDate(InvalidInput):
    message = N_("Line {line}: the deadline is not a real date; write it as 20.12.2026.")


class BadDecisionPart(InvalidInput):
    message = N_(
        "Line {line}: «{part}» is not understood. After the decision, separated by "
        "semicolons, you may add «ответственный: …», «срок: 20.12.2026» and "
        "«за 12 против 0 воздержались 1»."
    )


class TooManyLines(InvalidInput):
    message = N_("Please send at most {limit} lines at once.")


class NoDecisions(InvalidInput):
    message = N_("Please write at least one decision.")


class NotHeldYet(DomainError):
    message = N_("This meeting has not taken place yet, so there is nothing to record.")


class ProtocolFinal(DomainError):
    message = N_("This protocol is already approved and cannot be changed.")


class NoSuchItem(DomainError):
    message = N_("There is no such agenda item in this protocol.")


class EmptyAgenda(DomainError):
    message = N_(
        "This protocol has no agenda items, so there is nothing to approve: a protocol "
        "records what was heard and decided on each item of the agenda."
    )


class NobodyPresent(DomainError):
    """Approving needs a confirmation: nobody but the chair and the secretary is present."""

    message = N_("Nobody but the chair and the secretary is marked present at this meeting.")


# parsing -------------------------------------------------------------------------------------
_DASH = re.compile(r"\s+[—–-]\s+|\s*[—–]\s*")
_KEY = re.compile(r"^(?P<key>[^\s:—-]+)\s*[:\-—]?\s*(?P<value>.+)$", re.S)
_RESPONSIBLE = ("ответственный", "ответственная", "ответственные", "отв", "отв.", "responsible")
_DEADLINE = ("срок", "до", "deadline", "due")
_VOTE = re.compile(
    r"(?<!\w)(?P<word>за|против|воздержал\w*|for|against|abstain\w*)\s*[:\-—]?\s*(?P<n>\d{1,4})",
    re.I,
)
_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?$")


def clean_substance(text: str) -> str:
    text = text.strip()
    if not 3 <= len(text) <= MAX_TEXT:
        raise BadSubstance()
    return text


def parse_speeches(text: str) -> list[dict[str, str]]:
    """«Name — note» per line (a dash of any kind, or a colon)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_LINES:
        raise TooManyLines(limit=MAX_LINES)
    if not lines:
        raise BadSpeech(line=1)
    speeches = []
    for number, line in enumerate(lines, 1):
        parts = _DASH.split(line, maxsplit=1)
        if len(parts) != 2 and ":" in line:
            parts = line.split(":", 1)
        who, note = (parts[0].strip(), parts[1].strip()) if len(parts) == 2 else ("", "")
        if not (2 <= len(who) <= 200) or not note or len(note) > MAX_TEXT:
            raise BadSpeech(line=number)
        speeches.append({"who": who, "note": note})
    return speeches


def _parse_deadline(value: str, today: date) -> str:
    match = _DATE.match(value.strip())
    if not match:
        return value.strip()
    day, month, year = int(match[1]), int(match[2]), match[3]
    full = today.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
    try:
        found = date(full, month, day)
    except ValueError:
        raise InvalidInput() from None
    if year is None and found < today:
        found = date(full + 1, month, day)
    return found.isoformat()


def parse_decision(line: str, today: date, number: int = 1) -> dict[str, Any]:
    """«text; ответственный: …; срок: 20.12.2026; за 12 против 0 воздержались 1».

    Only the text is required; the other parts are optional and in any order, separated by
    semicolons. A missing «против» or «воздержались» counts as 0.
    """
    parts = [part.strip() for part in line.split(";")]
    text, responsible, deadline, votes = parts[0], "", "", None
    for part in parts[1:]:
        if not part:
            continue
        tally = {m["word"].lower()[:3]: int(m["n"]) for m in _VOTE.finditer(part)}
        if tally:
            votes = [
                tally.get("за", tally.get("for", 0)),
                tally.get("про", tally.get("aga", 0)),
                tally.get("воз", tally.get("abs", 0)),
            ]
            continue
        match = _KEY.match(part)
        key = match["key"].lower() if match else ""
        if match and key in _RESPONSIBLE:
            responsible = match["value"].strip()[:200]
        elif match and key in _DEADLINE:
            try:
                deadline = _parse_deadline(match["value"], today)
            except InvalidInput:
                raise BadDecisionDate(line=number) from None
        else:
            raise BadDecisionPart(line=number, part=part[:60])
    if not 3 <= len(text) <= MAX_TEXT:
        raise BadDecisionText(line=number)
    return {"text": text, "responsible": responsible, "deadline": deadline, "votes": votes}


def parse_decisions(text: str, today: date) -> list[dict[str, Any]]:
    """One decision per line; an error names the line that is wrong."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise NoDecisions()
    if len(lines) > MAX_LINES:
        raise TooManyLines(limit=MAX_LINES)
    return [parse_decision(line, today, number) for number, line in enumerate(lines, 1)]


# pre-filling ---------------------------------------------------------------------------------
def place_of(link: str) -> str:
    host = (urlsplit(link).hostname or "").lower().removeprefix("www.")
    for known, name in PLATFORMS.items():
        if host == known or host.endswith("." + known):
            return f"онлайн, {name}"
    return f"онлайн, {host}" if host else "онлайн"


@dataclass(frozen=True)
class Prefill:
    meeting: Meeting
    association: Association
    number: int
    place: str
    chair: User | None
    secretary: User | None
    present: list[User]
    absent: list[User]
    agenda: list[MeetingAgendaItem]


async def get_meeting(session: AsyncSession, meeting_id: int) -> Meeting:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    return meeting


async def protocol_of(session: AsyncSession, meeting_id: int) -> Protocol | None:
    return await session.scalar(select(Protocol).where(Protocol.meeting_id == meeting_id))


async def _next_number(session: AsyncSession, association_id: int, year: int) -> int:
    found = await session.scalar(
        select(func.max(Protocol.number)).where(
            Protocol.association_id == association_id, Protocol.academic_year == year
        )
    )
    return (found or 0) + 1


async def prefill(session: AsyncSession, actor: Actor, meeting_id: int) -> Prefill:
    """Everything the protocol starts with; checks the role and that the meeting was held."""
    meeting = await get_meeting(session, meeting_id)
    user = await require_association_role(session, actor, meeting.association_id, *MANAGERS)
    if meeting.status is MeetingStatus.CANCELLED or meeting.starts_at > now():
        raise NotHeldYet()
    existing = await protocol_of(session, meeting_id)
    if existing is not None and existing.status is ProtocolStatus.FINAL:
        raise ProtocolFinal()
    association = await session.get_one(Association, meeting.association_id)
    members = await active_members(session, meeting.association_id)
    agenda = await session.scalars(
        select(MeetingAgendaItem)
        .where(MeetingAgendaItem.meeting_id == meeting_id)
        .order_by(MeetingAgendaItem.position)
    )
    year = academic_year_start(local_day(meeting, association))
    number = (
        existing.number
        if existing is not None
        else await _next_number(session, association.id, year)
    )
    chair = await role_holder(session, association.id, MemberRole.LEADER)
    secretary = await role_holder(session, association.id, MemberRole.SECRETARY) or user
    present = await present_ids(session, meeting) | _officers(chair, secretary)
    return Prefill(
        meeting=meeting,
        association=association,
        number=number,
        place=place_of(meeting.link),
        chair=chair,
        secretary=secretary,
        present=[m for m in members if m.id in present],
        absent=[m for m in members if m.id not in present],
        agenda=list(agenda.all()),
    )


def _officers(*people: User | None) -> set[int]:
    """The chair and the secretary: present at their own meeting whatever the list says."""
    return {person.id for person in people if person is not None}


async def held_without_protocol(
    session: AsyncSession, association_id: int, *, limit: int = 10
) -> list[Meeting]:
    """Past meetings of the association whose protocol is not approved yet, latest first."""
    final = select(Protocol.meeting_id).where(Protocol.status == ProtocolStatus.FINAL)
    rows = await session.scalars(
        select(Meeting)
        .where(
            Meeting.association_id == association_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at <= now(),
            Meeting.id.not_in(final),
        )
        .order_by(Meeting.starts_at.desc())
        .limit(limit)
    )
    return list(rows.all())


@dataclass(frozen=True)
class ProtocolsScreen:
    association: Association
    protocols: list[tuple[Protocol, Meeting]]
    pending: list[Meeting]


async def protocols_screen(
    session: AsyncSession, actor: Actor, association_id: int
) -> ProtocolsScreen:
    """What /protocol shows a manager: this year's protocols and the meetings waiting."""
    await require_association_role(session, actor, association_id, *MANAGERS)
    association = await session.get(Association, association_id)
    if association is None:
        raise NotFound()
    rows = [
        (protocol, await get_meeting(session, protocol.meeting_id))
        for protocol in await year_protocols(session, association)
    ]
    return ProtocolsScreen(association, rows, await held_without_protocol(session, association_id))


async def parse_meeting_decisions(
    session: AsyncSession, meeting_id: int, text: str
) -> list[dict[str, Any]]:
    """`parse_decisions` with dates read relative to the meeting's day."""
    meeting = await get_meeting(session, meeting_id)
    association = await session.get_one(Association, meeting.association_id)
    return parse_decisions(text, local_day(meeting, association))


async def year_protocols(session: AsyncSession, association: Association) -> list[Protocol]:
    """The protocols of the association's current academic year, by number."""
    from zoneinfo import ZoneInfo

    year = academic_year_start(now().astimezone(ZoneInfo(association.timezone)).date())
    rows = await session.scalars(
        select(Protocol)
        .where(Protocol.association_id == association.id, Protocol.academic_year == year)
        .order_by(Protocol.number)
    )
    return list(rows.all())


# saving ------------------------------------------------------------------------------------
async def save_draft(
    session: AsyncSession, actor: Actor, *, meeting_id: int, items: Sequence[dict[str, Any]]
) -> Protocol:
    """Create (or replace the contents of) the meeting's draft protocol."""
    meeting = await get_meeting(session, meeting_id)
    await lock(session, Association, meeting.association_id)  # the number: read, then taken
    info = await prefill(session, actor, meeting_id)
    user = await require_association_role(session, actor, info.association.id, *MANAGERS)
    if len(items) != len(info.agenda) or any(not item.get("decisions") for item in items):
        raise NoDecisions()
    protocol = await protocol_of(session, meeting_id)
    if protocol is None:
        protocol = Protocol(
            association_id=info.association.id,
            meeting_id=meeting_id,
            academic_year=academic_year_start(local_day(info.meeting, info.association)),
            number=info.number,
            place=info.place,
            created_by_user_id=user.id,
        )
        session.add(protocol)
    # A request to fill in the protocol that has not left yet is no longer needed.
    await cancel_batch(session, protocol_request_batch(meeting_id))
    protocol.chair_user_id = info.chair.id if info.chair else None
    protocol.secretary_user_id = info.secretary.id if info.secretary else None
    await session.flush()
    old = await session.scalars(select(ProtocolItem).where(ProtocolItem.protocol_id == protocol.id))
    for row in old.all():
        await session.delete(row)
    await session.flush()
    for position, (agenda, item) in enumerate(zip(info.agenda, items, strict=True), 1):
        session.add(
            ProtocolItem(
                protocol_id=protocol.id,
                position=position,
                title=agenda.title,
                speaker=item.get("speaker") or agenda.speaker or "",
                substance=item["substance"],
                spoke=list(item.get("spoke", [])),
                decisions=list(item["decisions"]),
            )
        )
    await session.flush()
    return protocol


def protocol_request_batch(meeting_id: int) -> str:
    """The outbox batch of the request to fill in a meeting's protocol."""
    return f"mtg-protreq-{meeting_id}"


async def get_protocol(session: AsyncSession, actor: Actor, protocol_id: int) -> Protocol:
    """The protocol, if the person is a member of its association (leaders for drafts)."""
    protocol = await session.get(Protocol, protocol_id)
    if protocol is None:
        raise NotFound()
    if protocol.status is ProtocolStatus.DRAFT:
        await require_association_role(session, actor, protocol.association_id, *MANAGERS)
    else:
        await require_association_role(session, actor, protocol.association_id, *list(MemberRole))
    return protocol


def _person(user: User | None) -> Person:
    if user is None:
        return Person("—")
    return Person(user.full_name or "—", user.position or "", user.organisation or "")


def _decision(raw: dict[str, Any]) -> Decision:
    deadline: date | str | None = raw.get("deadline") or None
    if isinstance(deadline, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", deadline):
        deadline = date.fromisoformat(deadline)
    votes = raw.get("votes")
    return Decision(
        text=raw["text"],
        responsible=raw.get("responsible") or "",
        deadline=deadline,
        vote=Vote(*votes) if votes else None,
    )


async def document_data(session: AsyncSession, protocol: Protocol) -> ProtocolData:
    meeting = await get_meeting(session, protocol.meeting_id)
    association = await session.get_one(Association, protocol.association_id)
    members = await active_members(session, association.id)
    items = await session.scalars(
        select(ProtocolItem)
        .where(ProtocolItem.protocol_id == protocol.id)
        .order_by(ProtocolItem.position)
    )
    chair = await session.get(User, protocol.chair_user_id) if protocol.chair_user_id else None
    secretary = (
        await session.get(User, protocol.secretary_user_id) if protocol.secretary_user_id else None
    )
    agenda = [
        AgendaItem(
            title=item.title,
            speakers=(item.speaker,) if item.speaker else (),
            heard=(Speech(item.speaker or "—", item.substance),),
            spoke=tuple(Speech(s["who"], s["note"]) for s in item.spoke),
            decisions=tuple(_decision(d) for d in item.decisions),
        )
        for item in items.all()
    ]
    present = await present_ids(session, meeting) | _officers(chair, secretary)
    return ProtocolData(
        association=AssociationInfo(
            name=association.name,
            kind=association_kind(str(association.kind)).abbreviation,
            organisation=association.organisation or "",
        ),
        number=protocol.number,
        held_at=meeting.starts_at,
        chair=_person(chair),
        secretary=_person(secretary),
        timezone=association.timezone,
        place=protocol.place,
        present=[_person(m) for m in members if m.id in present],
        absent=[_person(m) for m in members if m.id not in present],
        agenda=agenda,
        topic=meeting.topic,
        draft=protocol.status is ProtocolStatus.DRAFT,
    )


@dataclass(frozen=True)
class Pdf:
    filename: str
    content: bytes


async def pdf_of(session: AsyncSession, actor: Actor, protocol_id: int) -> Pdf:
    """The approved PDF as stored, or a fresh draft (marked «ПРОЕКТ»)."""
    protocol = await get_protocol(session, actor, protocol_id)
    if protocol.file_id is not None:
        stored = await session.get_one(StoredFile, protocol.file_id)
        return Pdf(stored.filename, stored.content)
    data = await document_data(session, protocol)
    return Pdf(f"protocol-{protocol.number}-draft.pdf", build_protocol(data))


async def extract_of(session: AsyncSession, actor: Actor, protocol_id: int, item: int) -> Pdf:
    protocol = await get_protocol(session, actor, protocol_id)
    data = await document_data(session, protocol)
    if not 1 <= item <= len(data.agenda):
        raise NoSuchItem()
    content = build_protocol_extract(data, item, certified_on=now().date())
    return Pdf(f"protocol-{protocol.number}-extract-{item}.pdf", content)


async def extract_choice(
    session: AsyncSession, actor: Actor, protocol_id: int
) -> tuple[Protocol, list[str]]:
    """The protocol and its items' titles, to choose the item of an extract."""
    protocol = await get_protocol(session, actor, protocol_id)
    return protocol, await item_titles(session, protocol.id)


async def item_titles(session: AsyncSession, protocol_id: int) -> list[str]:
    rows = await session.scalars(
        select(ProtocolItem.title)
        .where(ProtocolItem.protocol_id == protocol_id)
        .order_by(ProtocolItem.position)
    )
    return list(rows.all())


async def finalise(
    session: AsyncSession, actor: Actor, *, protocol_id: int, confirmed: bool = False
) -> Protocol:
    """Approve: build and store the final PDF, post it to the group, send it to every member.

    An empty agenda is refused; with nobody present but the chair and the secretary the
    leader must confirm first (`NobodyPresent` until `confirmed`).
    """
    if await session.get(Protocol, protocol_id) is None:
        raise NotFound()
    protocol = await lock(session, Protocol, protocol_id)  # approved once
    await require_association_role(session, actor, protocol.association_id, *MANAGERS)
    if protocol.status is ProtocolStatus.FINAL:
        raise ProtocolFinal()
    data = await document_data(session, protocol)
    if not data.agenda:
        raise EmptyAgenda()
    if not confirmed and len(data.present) <= len(_officers_of(protocol)):
        raise NobodyPresent()
    protocol.status = ProtocolStatus.FINAL
    protocol.finalised_at = now()
    data = replace(data, draft=False)
    stored = await store_file(
        session,
        filename=f"protocol-{protocol.number}.pdf",
        mime_type="application/pdf",
        content=build_protocol(data),
    )
    protocol.file_id = stored.id
    meeting = await get_meeting(session, protocol.meeting_id)
    association = await session.get_one(Association, protocol.association_id)
    _tell_published(session, protocol, meeting, association, stored.id)
    tell(
        session,
        *(
            Notice(
                "protocol.published",
                {"protocol": protocol, "meeting": meeting},
                user=member,
                file_id=stored.id,
                dedupe_key=f"prot:{protocol.id}:m:{member.id}",
                batch=f"prot-{protocol.id}",
            )
            for member in await active_members(session, association.id)
        ),
    )
    meeting.status = MeetingStatus.PROTOCOL_APPROVED
    await _create_followups(session, protocol)
    await session.flush()
    return protocol


def _officers_of(protocol: Protocol) -> set[int]:
    return {i for i in (protocol.chair_user_id, protocol.secretary_user_id) if i is not None}


def _tell_published(
    session: AsyncSession,
    protocol: Protocol,
    meeting: Meeting,
    association: Association,
    file_id: int,
) -> None:
    if association.chat_id is None:
        return
    thread = association.forum_topics.get("meetings") if association.chat_is_forum else None
    tell(
        session,
        Notice(
            "protocol.published",
            {"protocol": protocol, "meeting": meeting},
            chat_id=association.chat_id,
            thread_id=thread,
            file_id=file_id,
            dedupe_key=f"prot:{protocol.id}:group",
            batch=f"prot-{protocol.id}",
        ),
    )


# follow-ups ------------------------------------------------------------------------------------
def _name_key(text: str) -> str:
    return re.sub(r"[^\w]", "", text.lower().replace("ё", "е"))


def _name_variants(full_name: str) -> set[str]:
    return {
        _name_key(full_name),
        _name_key(short_name(full_name)),
        _name_key(initials_first(full_name)),
    }


def match_responsible(responsible: str, members: Sequence[User]) -> list[User]:
    """Members named in a decision's «ответственный» (several separated by commas or «и»).

    A name matches a member's full name, «Фамилия И. О.» or «И. О. Фамилия»; a bare surname
    matches when exactly one member has it. Names that match nobody (or several) are left
    out: the person may not be registered, and a wrong reminder is worse than none.
    """
    found: dict[int, User] = {}
    for part in re.split(r",|;|\s+и\s+|\s+and\s+", responsible):
        key = _name_key(part)
        if len(key) < 2:
            continue
        exact = [m for m in members if key in _name_variants(m.full_name or "")]
        if not exact:
            exact = [m for m in members if _name_key((m.full_name or "").split(" ")[0]) == key]
        if len(exact) == 1:
            found[exact[0].id] = exact[0]
    return list(found.values())


async def _create_followups(session: AsyncSession, protocol: Protocol) -> int:
    members = await active_members(session, protocol.association_id)
    items = await session.scalars(
        select(ProtocolItem)
        .where(ProtocolItem.protocol_id == protocol.id)
        .order_by(ProtocolItem.position)
    )
    added = 0
    for item in items.all():
        for index, decision in enumerate(item.decisions, 1):
            deadline = decision.get("deadline") or ""
            responsible = decision.get("responsible") or ""
            if not responsible or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", deadline):
                continue
            for user in match_responsible(responsible, members):
                session.add(
                    FollowUp(
                        protocol_id=protocol.id,
                        association_id=protocol.association_id,
                        item_position=item.position,
                        decision_index=index,
                        user_id=user.id,
                        text=decision["text"],
                        deadline=date.fromisoformat(deadline),
                        reminders_done=[],
                    )
                )
                added += 1
    await session.flush()
    return added


async def followups_of(session: AsyncSession, protocol_id: int) -> list[FollowUp]:
    rows = await session.scalars(
        select(FollowUp).where(FollowUp.protocol_id == protocol_id).order_by(FollowUp.id)
    )
    return list(rows.all())


__all__ = [
    "EmptyAgenda",
    "NobodyPresent",
    "Prefill",
    "extract_of",
    "finalise",
    "followups_of",
    "held_without_protocol",
    "managed_associations",
    "match_responsible",
    "parse_decisions",
    "parse_speeches",
    "pdf_of",
    "prefill",
    "save_draft",
    "year_protocols",
]
