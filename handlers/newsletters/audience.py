"""The newsletter's audience picker (methodists): filters that combine, each its own step."""

from __future__ import annotations

from typing import Any

from bot.callbacks import Callback, cb
from bot.dialogs import Turn
from bot.i18n import Translator
from bot.keyboards import columns, inline
from handlers.newsletters.dialog import DIALOG
from models import MemberRole, NetworkRole
from services import audience as audiences
from services import newsletters as service
from services.audience import Audience
from services.catalogs import SUBJECTS
from services.texts import N_, T_

ASSOCIATIONS_PER_PAGE = 10
ANY = "any"

ROLE_TITLES: dict[str, str] = {
    MemberRole.LEADER.value: T_("association leaders"),
    MemberRole.SECRETARY.value: T_("association secretaries"),
    MemberRole.ADMINISTRATOR.value: T_("association administrators"),
    MemberRole.EXPERT.value: T_("association experts"),
    MemberRole.MEMBER.value: T_("ordinary association members"),
    # Not the access errors' "network methodists"/"approvers": those are in the dative.
    NetworkRole.METHODIST.value: T_("methodists of the network"),
    NetworkRole.APPROVER.value: T_("plan approvers"),
    NetworkRole.EXPERT.value: T_("network experts"),
}


def describe(t: Translator, audience: Audience, names: dict[int, str]) -> str:
    """The filters in words (plain text: the message that shows it escapes it once)."""
    if audience.is_everyone:
        return t.plain("all registered teachers who receive newsletters")
    parts = []
    if audience.associations:
        chosen = ", ".join(f"«{names.get(a, a)}»" for a in audience.associations)
        parts.append(
            t.nplain(
                "the association {names}",
                "the associations {names}",
                len(audience.associations),
                names=chosen,
            )
        )
    if audience.role:
        parts.append(t.plain("role «{role}»", role=t.plain(ROLE_TITLES[audience.role])))
    if audience.subject:
        subject = t.plain(SUBJECTS.get(audience.subject, audience.subject))
        parts.append(t.plain("subject «{subject}»", subject=subject))
    if audience.organisation:
        parts.append(t.plain("organisation «{text}»", text=audience.organisation))
    if audience.municipality:
        parts.append(t.plain("municipality «{text}»", text=audience.municipality))
    return "; ".join(parts)


async def described(turn: Turn) -> str:
    """The dialog's audience in words."""
    audience = Audience.from_json(turn.data.get("aud"))
    names = await audiences.association_names(turn.context.session, audience.associations)
    return describe(turn.t, audience, names)


def _set_filter(turn: Turn, **values: Any) -> None:
    audience = dict(turn.data.get("aud") or {})
    for key, value in values.items():
        if value:
            audience[key] = value
        else:
            audience.pop(key, None)
    turn.put(aud=audience)


# the overview: what is chosen, how many it reaches, a button per filter ------------------
FILTER_STEPS = {"as": "assoc", "role": "role", "subj": "subject", "org": "org", "mun": "mun"}


async def ask_audience(turn: Turn) -> None:
    t = turn.t
    audience = Audience.from_json(turn.data.get("aud"))
    count = await service.preview_count(turn.context.session, turn.context.actor, audience)
    text = "\n".join(
        [
            t.gettext(
                "<b>Who receives the newsletter?</b> The conditions add up: it reaches those "
                "who meet every chosen condition."
            ),
            t.gettext("Recipients now — {audience}.", audience=await described(turn)),
            t.ngettext("That is {n} person.", "That is {n} people.", count),
        ]
    )
    buttons = [
        [(t.plain("🏛 Associations"), "as"), (t.plain("👤 Role"), "role")],
        [(t.plain("📚 Subject"), "subj"), (t.plain("🏫 Organisation"), "org")],
        [(t.plain("📍 Municipality"), "mun"), (t.plain("✖ Reset the filters"), "clear")],
        [(t.plain("👁 Preview"), "done")],
    ]
    keyboard = [[(label, cb("nl", "f", choice)) for label, choice in row] for row in buttons]
    await turn.show(text, inline(keyboard))


async def on_audience(turn: Turn, data: Callback) -> None:
    choice = data.arg(0)
    if data.action != "f":
        await turn.repeat()
    elif choice == "clear":
        turn.put(aud={})
        await turn.repeat()
    elif choice == "done":
        await turn.goto("preview")
    elif choice in FILTER_STEPS:
        await turn.goto(FILTER_STEPS[choice])
    else:
        await turn.repeat()


# associations: paged, searchable, toggled ------------------------------------------------
async def ask_assoc(turn: Turn) -> None:
    t = turn.t
    chosen = set((turn.data.get("aud") or {}).get("associations", []))
    found = await audiences.find_associations(
        turn.context.session, turn.data.get("assoc_query") or ""
    )
    pages = max(1, -(-len(found) // ASSOCIATIONS_PER_PAGE))
    page = min(max(turn.data.get("assoc_page", 0), 0), pages - 1)
    shown = found[page * ASSOCIATIONS_PER_PAGE : (page + 1) * ASSOCIATIONS_PER_PAGE]
    buttons = [
        (("✅ " if a_id in chosen else "") + name[:50], cb("nl", "as", a_id))
        for a_id, name in shown
    ]
    paging = [
        (label, cb("nl", "as", "page", target))
        for label, target in (("◀️", page - 1), ("▶️", page + 1))
        if 0 <= target < pages
    ]
    keyboard = [*columns(buttons, 1)]
    if paging:
        keyboard.append(paging)
    keyboard.append([(t.plain("Done ➡️"), cb("nl", "as", "done"))])
    lines = [
        t.gettext(
            "Tap associations to choose them; tap again to remove. "
            "To find one, send a part of its name."
        )
    ]
    if turn.data.get("assoc_query"):
        lines.append(
            t.gettext(
                "Found by «{query}»: {count}", query=turn.data["assoc_query"], count=len(found)
            )
        )
    if pages > 1:
        lines.append(t.gettext("Page {page} of {pages}", page=page + 1, pages=pages))
    lines.append(t.gettext("Chosen: {count}", count=len(chosen)))
    await turn.show("\n".join(lines), inline(keyboard))


async def on_assoc(turn: Turn, data: Callback) -> None:
    if data.arg(0) == "done":
        turn.drop("assoc_query", "assoc_page")
        await turn.goto("audience")
        return
    if data.arg(0) == "page":
        page = data.arg(1) or ""
        if page.isdigit():  # otherwise forged: the current page is shown again
            turn.put(assoc_page=int(page))
        await turn.repeat()
        return
    try:
        association_id = data.int_arg(0)
    except ValueError:
        await turn.repeat()
        return
    chosen = list((turn.data.get("aud") or {}).get("associations", []))
    if association_id in chosen:
        chosen.remove(association_id)
    elif await audiences.is_active_association(turn.context.session, association_id):
        chosen.append(association_id)
    _set_filter(turn, associations=chosen)
    await turn.repeat()


async def on_assoc_search(turn: Turn, text: str) -> None:
    query = " ".join(text.split())[:60]
    if len(query) < 2:
        turn.drop("assoc_query")
    else:
        turn.put(assoc_query=query)
    turn.put(assoc_page=0)
    await turn.repeat()


# role, subject, organisation, municipality: declarative steps -----------------------------
def _options(titles: dict[str, str], any_label: str):  # type: ignore[no-untyped-def]
    def options(turn: Turn) -> list[tuple[str, str]]:
        chosen = [(key, turn.t.plain(title)) for key, title in titles.items()]
        return [*chosen, (ANY, turn.t.plain(any_label))]

    return options


def _filter_from(key: str):  # type: ignore[no-untyped-def]
    """After a filter step: its answer (under `key`; «any» or skipped clears it) joins the
    audience, and the overview is shown again."""

    async def then(turn: Turn) -> None:
        value = turn.data.get(key)
        turn.drop(key)
        _set_filter(turn, **{key: None if value == ANY else value})
        await turn.goto("audience")

    return then


DIALOG.step("audience", ask=ask_audience, on_button=on_audience)
DIALOG.step("assoc", ask=ask_assoc, on_button=on_assoc, on_text=on_assoc_search)
DIALOG.choice_step(
    "role",
    prompt=N_("Choose the recipients' role:"),
    options=_options(ROLE_TITLES, N_("Any role")),
    key="role",
    then=_filter_from("role"),
    width=2,
)
DIALOG.choice_step(
    "subject",
    prompt=N_("Choose the subject:"),
    options=_options(SUBJECTS, N_("Any subject")),
    key="subject",
    then=_filter_from("subject"),
    width=2,
)
DIALOG.text_step(
    "org",
    prompt=N_("Send a part of the organisation's name (for example, <i>СОШ № 5</i>)."),
    key="organisation",
    clean=audiences.clean_filter_text,
    then=_filter_from("organisation"),
    skip=N_("Any organisation"),
)
DIALOG.text_step(
    "mun",
    prompt=N_("Send the municipality (for example, <i>г. Тверь</i>)."),
    key="municipality",
    clean=audiences.clean_filter_text,
    then=_filter_from("municipality"),
    skip=N_("Any municipality"),
)
