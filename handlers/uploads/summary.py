"""The form's summary: the card as filled in, a button to change each answer, and Submit
(a new material) or Resubmit (a corrected one)."""

from __future__ import annotations

from bot.callbacks import Callback, cb
from bot.dialogs import Turn
from bot.i18n import Html
from bot.keyboards import columns, inline
from handlers.uploads.buttons import MyMaterials
from handlers.uploads.form import FORM, draft_of
from handlers.uploads.wording import draft_card, where
from services.errors import DomainError, InvalidInput
from services.resources import submission as service
from services.resources.drafts import NETWORK
from services.resources.views import place_name
from services.texts import N_

EDITABLE = {
    "files": N_("📎 Files and link"),
    "title": N_("✏️ Title"),
    "kind": N_("🗂 Type"),
    "subject": N_("📚 Subject"),
    "grades": N_("🎓 Grades"),
    "description": N_("📝 Description"),
    "tags": N_("🏷 Tags"),
    "target": N_("🏛 Where"),
}
# Refusals the author can mend from the summary (another place, a field); others end it.
_MENDABLE = (InvalidInput, service.NotAMemberThere, service.NetworkForMethodists)


async def summary_text(turn: Turn) -> Html:
    t, draft = turn.t, draft_of(turn)
    target = turn.data.get("target")
    place = None
    if target == NETWORK:
        place = where(t, None)
    elif target is not None:
        name = await place_name(turn.context.session, int(target))
        place = where(t, name) if name is not None else None
    if turn.data.get("material_id"):
        head = t.gettext("<b>Correct the material and resubmit it.</b>")
        if turn.data.get("comment"):
            head = t.gettext(
                "{head}\n✏️ The reviewer's comment: {comment}",
                head=head,
                comment=turn.data["comment"],
            )
    else:
        head = t.gettext("<b>Check the material before it goes to the reviewers.</b>")
    return t.gettext("{head}\n\n{card}", head=head, card=draft_card(t, draft, place))


async def ask_summary(turn: Turn) -> None:
    t = turn.t
    turn.drop("editing")
    edits = [(t.plain(label), cb(FORM.name, "edit", step)) for step, label in EDITABLE.items()]
    send = N_("📤 Resubmit") if turn.data.get("material_id") else N_("📤 Submit for review")
    rows = [
        *columns(edits, 2),
        [(t.plain(send), cb(FORM.name, "send"))],
        [(t.plain("✖ Cancel"), cb(FORM.name, "drop"))],
    ]
    await turn.say(await summary_text(turn), inline(rows))


async def on_summary(turn: Turn, data: Callback) -> None:
    step = data.arg(0)
    if data.action == "edit" and step in EDITABLE:
        turn.put(editing=True)
        await turn.goto(step)
    elif data.action == "send":
        await _submit(turn)
    elif data.action == "drop":
        await _drop(turn)
    else:
        await turn.repeat()


async def _submit(turn: Turn) -> None:
    context, t = turn.context, turn.t
    material_id = turn.data.get("material_id")
    limit = context.settings.max_upload_mb
    try:
        if material_id:
            view = await service.resubmit(
                context.session,
                context.actor,
                material_id=material_id,
                draft=draft_of(turn),
                limit_mb=limit,
            )
        else:
            view = await service.submit(
                context.session, context.actor, draft=draft_of(turn), limit_mb=limit
            )
    except _MENDABLE as error:
        await turn.refuse(error)
        return
    except DomainError as error:  # e.g. withdrawn meanwhile: nothing to resubmit
        await turn.finish()
        await turn.say(t.error(error))
        return
    await turn.finish()
    await turn.say(
        t.gettext(
            "📤 «{title}» is sent for review. I will tell you the reviewers' decision.",
            title=view.title,
        ),
        inline([[(t.plain("📂 My materials"), MyMaterials().data())]]),
    )


async def _drop(turn: Turn) -> None:
    await turn.finish()
    if turn.data.get("material_id"):
        text = turn.t.gettext(
            "The correction is not sent. The material still waits for it in /upload → "
            "«My materials»."
        )
    else:
        text = turn.t.gettext("The material is not sent. Nothing was saved.")
    await turn.say(text)


FORM.step("summary", ask=ask_summary, on_button=on_summary)
