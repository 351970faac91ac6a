"""The creation dialog's summary: everything answered, a button to change each answer, and
saving: create (a methodist), send the proposal (a teacher) or save the changes (editing)."""

from __future__ import annotations

from bot.callbacks import Callback, cb
from bot.dialogs import Dialog, Turn
from bot.i18n import zone_title
from bot.keyboards import columns, inline
from handlers.associations import editing
from handlers.associations.draft import correct, draft_of, organisation_of, period_of, period_text
from handlers.associations.links import join_link
from handlers.associations.texts import in_sentence
from models import AssociationKind, JoinPolicy, SubjectScope
from services import associations
from services.catalogs import subject_title
from services.errors import InvalidInput
from services.texts import N_

EDITABLE = {
    "name": N_("✏️ Title"),
    "topic": N_("✏️ Topic"),
    "organisation": N_("✏️ Organisation"),
    "goals": N_("✏️ Goals"),
    "period": N_("✏️ Period"),
    "cap": N_("✏️ Member limit"),
    "order": N_("✏️ Order"),
}
_SAVE_LABELS = {
    "create": N_("✅ Create"),
    "propose": N_("📨 Send the proposal"),
    "edit": N_("💾 Save changes"),
}


def summary_text(turn: Turn) -> str:
    t, d = turn.t, turn.data
    text = turn.context.render.render(
        "associations/summary.html",
        t,
        kind=t.plain(associations.KIND_TITLES[AssociationKind(d["kind"])]),
        title=d["name"],
        topic=d["topic"],
        organisation=organisation_of(d),
        scope=t.plain(associations.SCOPE_TITLES[SubjectScope(d["scope"])]),
        subjects=", ".join(t.plain(subject_title(s)) for s in d.get("subjects", [])),
        policy=in_sentence(t.plain(associations.POLICY_TITLES[JoinPolicy(d["policy"])])),
        cap=d.get("cap"),
        parent=d.get("parent_name"),
        order=d.get("order"),
        leader=d.get("leader_name"),
        period=period_text(t, *period_of(d)),
        goals=d.get("goals"),
        zone=zone_title(t, d["timezone"]) if d.get("mode") == "edit" else None,
    )
    return text.rstrip()


async def ask_summary(turn: Turn) -> None:
    t, mode = turn.t, turn.data.get("mode", "create")
    edits = [(t.plain(label), cb("asc", "edit", step)) for step, label in EDITABLE.items()]
    if mode == "edit":
        edits.append((t.plain("✏️ Time zone"), cb("asc", "edit", "timezone")))
    rows = [*columns(edits, 2), [(t.plain(_SAVE_LABELS[mode]), cb("asc", "save"))]]
    await turn.say(summary_text(turn), inline(rows))


async def on_summary(turn: Turn, data: Callback) -> None:
    step = data.arg(0)
    if data.action == "edit" and (step in EDITABLE or step == "timezone"):
        turn.drop("period_typing")
        turn.put(review=True)
        await turn.goto(step or "name")
    elif data.action != "save":
        await turn.repeat()
    elif turn.data.get("mode") == "edit":
        await editing.save_changes(turn)
    else:
        await _save_draft(turn)


async def _save_draft(turn: Turn) -> None:
    context = turn.context
    draft = draft_of(turn.data, context.settings.default_timezone)
    try:
        associations.check_draft(draft)  # e.g. the period ended while the dialog waited
    except InvalidInput as error:
        await correct(turn, error)
        return
    if turn.data.get("mode") == "create":
        association = await associations.create_association(
            context.session, actor=context.actor, draft=draft
        )
        text = turn.t.gettext(
            "✅ The association «{name}» is created. Join code: <code>{code}</code>\nLink: {link}",
            name=association.name,
            code=association.join_code,
            link=join_link(association, bot=context.bot),
        )
    else:
        association = await associations.propose_association(
            context.session, actor=context.actor, draft=draft
        )
        text = turn.t.gettext(
            "📨 Your proposal «{name}» is sent for approval. I will tell you the decision.",
            name=association.name,
        )
    await turn.finish()
    await turn.show(text)


def setup(dialog: Dialog) -> None:
    dialog.step("summary", ask=ask_summary, on_button=on_summary)
