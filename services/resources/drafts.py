"""A material as its author fills it in (the upload form): its fields, their rules, its files.

The form keeps a draft as plain JSON in its dialog state (`MaterialDraft.as_data`), so a
half-filled form survives a restart; every rule is checked again when it is submitted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from models.resources import FileKind, MaterialKind
from services.catalogs import SUBJECTS
from services.errors import InvalidInput
from services.link_buttons import is_web_link
from services.texts import N_, T_, LazyText

MAX_FILES = 10
MIN_TITLE, MAX_TITLE = 3, 200
MAX_DESCRIPTION = 2000
MIN_EXPERIENCE = 20  # a digital resource comes with the teacher's experience of using it
MAX_TAGS, MAX_TAG, MAX_TAGS_TEXT = 10, 40, 500
MAX_URL = 1000
MIN_SUBJECT, MAX_SUBJECT = 2, 100
LOWEST_GRADE, HIGHEST_GRADE = 1, 11
MEGABYTE = 1024 * 1024

# Kinds that are a link by nature: a page, a service; their files are optional.
LINK_KINDS = frozenset({MaterialKind.LINK, MaterialKind.TEACHER_PAGE, MaterialKind.DIGITAL})

KIND_TITLES: dict[MaterialKind, LazyText] = {
    MaterialKind.METHODOLOGICAL: T_("methodological material"),
    MaterialKind.DIDACTIC: T_("didactic material"),
    MaterialKind.LESSON_PLAN: T_("lesson plan"),
    MaterialKind.WORK_PROGRAMME: T_("work programme"),
    MaterialKind.NORMATIVE: T_("normative document"),
    MaterialKind.PROJECT: T_("project"),
    MaterialKind.PRESENTATION: T_("presentation"),
    MaterialKind.VIDEO: T_("video"),
    MaterialKind.LINK: T_("useful link"),
    MaterialKind.TEACHER_PAGE: T_("best teacher's page"),
    MaterialKind.GALLERY: T_("gallery work"),
    MaterialKind.ACHIEVEMENT: T_("achievement"),
    MaterialKind.DIGITAL: T_("digital educational resource"),
}

_GRADES = re.compile(
    r"^(?P<low>\d{1,2})(?:\s*(?:-|–|—|до)\s*(?P<high>\d{1,2}))?"
    r"(?:\s*(?:класс|класса|классы|классов|кл\.?|grades?|form))?$",
    re.IGNORECASE,
)
_TAG_SEPARATORS = re.compile(r"[,;\n]+")


class EmptyTitle(InvalidInput):
    message = N_("The material needs a title of {low} to {limit} characters.")


class DescriptionTooLong(InvalidInput):
    message = N_("The description can be at most {limit} characters long.")


class ExperienceMissing(InvalidInput):
    message = N_(
        "A digital resource is shared with your experience: describe in a few sentences how "
        "you use it in your lessons (at least {low} characters)."
    )


class BadGrades(InvalidInput):
    message = N_(
        "Write the grades as one number or a range from 1 to 11, for example <i>5</i> or "
        "<i>5–7</i>."
    )


class TooManyTags(InvalidInput):
    message = N_("At most {limit} tags, please.")


class TagTooLong(InvalidInput):
    message = N_("The tag «{tag}» is too long: at most {limit} characters.")


class BadSubject(InvalidInput):
    message = N_("Write the subject in {low} to {limit} characters.")


class NotALink(InvalidInput):
    message = N_(
        "«{text}» is not a link. Send a web address that starts with http:// or https://, "
        "for example https://resh.edu.ru, or send files."
    )


class FileTooBig(InvalidInput):
    message = N_(
        "The file is {size} MB, and the limit is {limit} MB. Send a smaller file or a link to it."
    )


class TooManyFiles(InvalidInput):
    message = N_("A material can have at most {limit} files.")


class SameFileTwice(InvalidInput):
    message = N_("This file is already added.")


class Unsupported(InvalidInput):
    message = N_("{what} cannot go into the bank. Send documents, photos or videos (or a link).")


class NothingAttached(InvalidInput):
    message = N_("Send at least one file or a link first.")


class LinkNeeded(InvalidInput):
    message = N_("A {kind} needs a link: add it under «Files and link».")


class Incomplete(InvalidInput):
    message = N_("The form is not complete yet: please choose {what}.")


@dataclass(frozen=True, slots=True)
class DraftFile:
    """A file the author sent, as Telegram knows it (nothing is downloaded)."""

    kind: FileKind
    telegram_file_id: str
    file_unique_id: str
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None

    def as_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "id": self.telegram_file_id,
            "uid": self.file_unique_id,
            "name": self.file_name,
            "mime": self.mime_type,
            "size": self.size,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> DraftFile:
        return cls(
            kind=FileKind(data["kind"]),
            telegram_file_id=data["id"],
            file_unique_id=data["uid"],
            file_name=data.get("name"),
            mime_type=data.get("mime"),
            size=data.get("size"),
        )


@dataclass(frozen=True, slots=True)
class MaterialDraft:
    """Everything the form asks. `network` means the whole network (no association)."""

    files: tuple[DraftFile, ...] = ()
    url: str | None = None
    title: str = ""
    kind: MaterialKind | None = None
    subject: str | None = None
    grades: tuple[int, int] | None = None
    description: str = ""
    tags: tuple[str, ...] = ()
    association_id: int | None = None
    network: bool = False

    @property
    def has_target(self) -> bool:
        return self.network or self.association_id is not None

    def as_data(self) -> dict[str, Any]:
        """The draft as the form's JSON (the dialog state)."""
        return {
            "files": [file.as_data() for file in self.files],
            "url": self.url,
            "title": self.title or None,
            "kind": self.kind.value if self.kind else None,
            "subject": self.subject,
            "grades": list(self.grades) if self.grades else None,
            "description": self.description or None,
            "tags": list(self.tags),
            "target": target_value(self),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> MaterialDraft:
        target = data.get("target")
        grades = data.get("grades")
        return cls(
            files=tuple(DraftFile.from_data(item) for item in data.get("files") or ()),
            url=data.get("url"),
            title=data.get("title") or "",
            kind=MaterialKind(data["kind"]) if data.get("kind") else None,
            subject=data.get("subject"),
            grades=(int(grades[0]), int(grades[1])) if grades else None,
            description=data.get("description") or "",
            tags=tuple(data.get("tags") or ()),
            association_id=int(target) if target not in (None, NETWORK) else None,
            network=target == NETWORK,
        )


NETWORK = "net"  # the form's value for «the whole network»


def target_value(draft: MaterialDraft) -> str | None:
    if draft.network:
        return NETWORK
    return str(draft.association_id) if draft.association_id is not None else None


# the fields, one rule each ---------------------------------------------------------------


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def clean_title(text: str) -> str:
    title = _squeeze(text)
    if not MIN_TITLE <= len(title) <= MAX_TITLE:
        raise EmptyTitle(low=MIN_TITLE, limit=MAX_TITLE)
    return title


def clean_description(text: str) -> str:
    description = text.strip()
    if len(description) > MAX_DESCRIPTION:
        raise DescriptionTooLong(limit=MAX_DESCRIPTION)
    return description


def clean_subject(text: str) -> str:
    """The teacher's own words for a subject outside the catalogue."""
    subject = _squeeze(text)
    if subject in SUBJECTS:  # a catalogue key, kept as it is
        return subject
    if not MIN_SUBJECT <= len(subject) <= MAX_SUBJECT:
        raise BadSubject(low=MIN_SUBJECT, limit=MAX_SUBJECT)
    return subject


def parse_grades(text: str) -> tuple[int, int]:
    """«5», «5-7», «5–7 класс», «7 до 9» → an inclusive range within 1–11."""
    match = _GRADES.match(_squeeze(text))
    if match is None:
        raise BadGrades()
    low = int(match["low"])
    high = int(match["high"]) if match["high"] else low
    if not LOWEST_GRADE <= low <= high <= HIGHEST_GRADE:
        raise BadGrades()
    return low, high


def parse_tags(text: str) -> tuple[str, ...]:
    """«Дроби, #ОГЭ; 5 класс» → ('дроби', 'огэ', '5 класс'): lower-case, no repeats."""
    tags: list[str] = []
    for raw in _TAG_SEPARATORS.split(text):
        tag = _squeeze(raw).lstrip("#").strip().lower()
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG:
            raise TagTooLong(tag=tag[:60], limit=MAX_TAG)
        tags.append(tag)
    if len(tags) > MAX_TAGS or len(", ".join(tags)) > MAX_TAGS_TEXT:
        raise TooManyTags(limit=MAX_TAGS)
    return tuple(tags)


def clean_url(text: str) -> str:
    """A web link (http or https, with a host), or NotALink."""
    url = text.strip()
    parts = urlsplit(url) if is_web_link(url) else None
    if parts is None or "." not in (parts.hostname or "") or len(url) > MAX_URL:
        raise NotALink(text=url[:80])
    return url


# files -----------------------------------------------------------------------------------


def with_file(
    files: Sequence[DraftFile], new: DraftFile, *, limit_mb: int
) -> tuple[DraftFile, ...]:
    """`files` with `new` added: within the size limit, at most MAX_FILES, no repeats."""
    if new.size is not None and new.size > limit_mb * MEGABYTE:
        raise FileTooBig(size=math.ceil(new.size / MEGABYTE), limit=limit_mb)
    if any(file.file_unique_id == new.file_unique_id for file in files):
        raise SameFileTwice()
    if len(files) >= MAX_FILES:
        raise TooManyFiles(limit=MAX_FILES)
    return (*files, new)


def unsupported(what: LazyText) -> Unsupported:
    """The refusal of content that is not a file of the bank (`what`: «A sticker»)."""
    return Unsupported(what=what)


# the whole draft -------------------------------------------------------------------------


def checked(draft: MaterialDraft, *, limit_mb: int) -> MaterialDraft:
    """The draft with every field cleaned again, ready to be saved; InvalidInput names the
    first thing that is missing or wrong."""
    if not draft.files and not draft.url:
        raise NothingAttached()
    files: tuple[DraftFile, ...] = ()
    for file in draft.files:
        files = with_file(files, file, limit_mb=limit_mb)
    if draft.kind is None:
        raise Incomplete(what=T_("the type of the material"))
    if not draft.has_target:
        raise Incomplete(what=T_("where to publish the material"))
    if draft.kind in LINK_KINDS and not draft.url:
        raise LinkNeeded(kind=KIND_TITLES[draft.kind])
    description = clean_description(draft.description)
    if draft.kind is MaterialKind.DIGITAL and len(description) < MIN_EXPERIENCE:
        raise ExperienceMissing(low=MIN_EXPERIENCE)
    if draft.grades is not None:
        parse_grades(f"{draft.grades[0]}-{draft.grades[1]}")
    return replace(
        draft,
        files=files,
        url=clean_url(draft.url) if draft.url else None,
        title=clean_title(draft.title),
        subject=clean_subject(draft.subject) if draft.subject else None,
        description=description,
        tags=parse_tags(", ".join(draft.tags)),
    )
