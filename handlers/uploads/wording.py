"""How a material reads: its card (the form's summary, the reviewer's and the author's
screens, the notices), its type, its status."""

from __future__ import annotations

from babel.numbers import format_decimal

from bot.i18n import Html, Translator
from models.resources import FileKind, MaterialKind
from models.resources import MaterialStatus as Status
from services.catalogs import subject_title
from services.formatting import format_date
from services.resources.drafts import KIND_TITLES, MEGABYTE, DraftFile, MaterialDraft
from services.resources.views import MaterialView
from services.texts import T_, LazyText

# Short labels for the type buttons (the card uses KIND_TITLES).
KIND_BUTTONS: dict[MaterialKind, LazyText] = {
    MaterialKind.METHODOLOGICAL: T_("📘 Methodological"),
    MaterialKind.DIDACTIC: T_("🧩 Didactic"),
    MaterialKind.LESSON_PLAN: T_("📝 Lesson plan"),
    MaterialKind.WORK_PROGRAMME: T_("📚 Work programme"),
    MaterialKind.NORMATIVE: T_("⚖️ Normative document"),
    MaterialKind.PROJECT: T_("🛠 Project"),
    MaterialKind.PRESENTATION: T_("🖥 Presentation"),
    MaterialKind.VIDEO: T_("🎬 Video"),
    MaterialKind.LINK: T_("🔗 Useful link"),
    MaterialKind.TEACHER_PAGE: T_("🌟 Best teacher's page"),
    MaterialKind.GALLERY: T_("🖼 Gallery work"),
    MaterialKind.ACHIEVEMENT: T_("🏆 Achievement"),
    MaterialKind.DIGITAL: T_("💻 Digital resource (with experience)"),
}

STATUS_MARKS = {
    Status.PENDING: "⏳",
    Status.APPROVED: "✅",
    Status.NEEDS_REVISION: "✏️",
    Status.REJECTED: "❌",
    Status.WITHDRAWN: "↩️",
}

STATUS_TITLES: dict[Status, LazyText] = {
    Status.PENDING: T_("waiting for review"),
    Status.APPROVED: T_("approved, in the bank"),
    Status.NEEDS_REVISION: T_("needs revision"),
    Status.REJECTED: T_("not accepted"),
    Status.WITHDRAWN: T_("withdrawn"),
}

_UNNAMED: dict[FileKind, LazyText] = {
    FileKind.DOCUMENT: T_("document"),
    FileKind.PHOTO: T_("photo"),
    FileKind.VIDEO: T_("video"),
}


def kind_title(t: Translator, kind: MaterialKind) -> str:
    """«Методический материал»: the type as the first word of a line."""
    title = t.plain(KIND_TITLES[kind])
    return title[:1].upper() + title[1:]


def status_line(t: Translator, status: Status) -> Html:
    return t.gettext("{mark} {status}", mark=STATUS_MARKS[status], status=STATUS_TITLES[status])


def where(t: Translator, association: str | None) -> Html:
    if association is None:
        return t.gettext("🌐 The whole network")
    return t.gettext("🏛 «{name}»", name=association)


def grades_text(t: Translator, grades: tuple[int, int]) -> str:
    low, high = grades
    if low == high:
        return t.plain("grade {low}", low=low)
    return t.plain("grades {low}–{high}", low=low, high=high)


def file_size(t: Translator, size: int) -> str:
    if size < MEGABYTE:
        return t.plain("{n} KB", n=max(1, round(size / 1024)))
    return t.plain("{n} MB", n=format_decimal(round(size / MEGABYTE, 1), "0.0", locale=t.language))


def file_label(t: Translator, file: DraftFile) -> str:
    name = file.file_name or t.plain(_UNNAMED[file.kind])
    return f"{name} ({file_size(t, file.size)})" if file.size else name


def files_line(t: Translator, files: tuple[DraftFile, ...]) -> Html:
    return t.ngettext(
        "📎 {n} file: {names}",
        "📎 {n} files: {names}",
        len(files),
        names="; ".join(file_label(t, file) for file in files),
    )


def _details(t: Translator, draft: MaterialDraft) -> list[Html]:
    lines: list[Html] = []
    facets = [kind_title(t, draft.kind)] if draft.kind else []
    if draft.subject:
        facets.append(t.plain(subject_title(draft.subject)))
    if draft.grades:
        facets.append(grades_text(t, draft.grades))
    if facets:
        lines.append(t.gettext("🗂 {facets}", facets=" · ".join(facets)))
    if draft.description:
        lines.append(t.gettext("📝 {text}", text=draft.description))
    if draft.tags:
        lines.append(t.gettext("🏷 {tags}", tags=", ".join(draft.tags)))
    if draft.url:
        lines.append(t.gettext("🔗 {url}", url=draft.url))
    if draft.files:
        lines.append(files_line(t, draft.files))
    return lines


def draft_card(t: Translator, draft: MaterialDraft, place: Html | None) -> Html:
    """The form's summary: what is filled in so far."""
    lines = [t.gettext("📄 <b>{title}</b>", title=draft.title or "…"), *_details(t, draft)]
    if place is not None:
        lines.append(place)
    return Html("\n".join(lines))


def material_card(t: Translator, view: MaterialView, *, author: bool = True) -> Html:
    """A submitted material: its card, where it is, by whom and since when."""
    lines = [t.gettext("📄 <b>{title}</b>", title=view.title), *_details(t, view.draft)]
    lines.append(where(t, view.association))
    if author and view.author:
        lines.append(
            t.gettext(
                "👤 {author}, {day}",
                author=view.author,
                day=format_date(view.submitted_at, t.language),
            )
        )
    return Html("\n".join(lines))
