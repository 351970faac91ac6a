"""«✏️ Edit details» on the card: the creation dialog's summary, filled from the
association, saving the changes to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Turn
from bot.replies import ack
from handlers.associations.draft import CREATE, correct, details_of
from handlers.associations.presses import BUTTONS, Edit
from services import associations, memberships
from services.errors import InvalidInput

if TYPE_CHECKING:
    from models import Association


def _answers(association: Association, editing: associations.Editing) -> dict[str, object]:
    a = association
    return {
        "mode": "edit",
        "review": True,
        "association_id": a.id,
        "kind": a.kind.value,
        "name": a.name,
        "topic": a.topic or "",
        "organisation": a.organisation,
        "organisation_suggested": a.organisation,
        "goals": a.goals,
        "period_start": a.period_start.isoformat(),
        "period_end": a.period_end.isoformat(),
        "scope": a.subject_scope.value,
        "subjects": list(a.subjects or []),
        "policy": a.join_policy.value,
        "cap": a.member_cap,
        "order": a.order_ref,
        "parent_name": editing.parent.name if editing.parent else None,
        "leader_name": editing.leader.full_name if editing.leader else None,
        "timezone": a.timezone,
    }


@BUTTONS.on(Edit)
async def start_editing(update: Update, context: BotContext, press: Edit) -> None:
    editing = await associations.editing(
        context.session, actor=context.actor, association_id=press.association_id
    )
    await ack(update)
    await CREATE.start(update, context, "summary", _answers(editing.association, editing))


async def save_changes(turn: Turn) -> None:
    """Check first (nothing written), then save; a refusal asks the question to fix."""
    context, d = turn.context, turn.data
    details = details_of(d)
    try:
        await associations.details_check(
            context.session,
            actor=context.actor,
            association_id=d["association_id"],
            details=details,
        )
    except InvalidInput as error:
        await correct(turn, error)
        return
    changed = await memberships.save_details(
        context.session, actor=context.actor, association_id=d["association_id"], details=details
    )
    await turn.finish()
    name = d["name"]
    await turn.show(
        turn.t.gettext("💾 The changes to «{name}» are saved.", name=name)
        if changed
        else turn.t.gettext("Nothing has changed in «{name}».", name=name)
    )
