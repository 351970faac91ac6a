"""The creation dialog's questions that are not one plain shape: the period (a button for
the academic year, or two dates typed), the member limit (a number, or a button), the
parent and the leader (found by a part of the name, then chosen)."""

from __future__ import annotations

from datetime import date

from bot.callbacks import Callback, cb
from bot.dialogs import Dialog, Turn, cleaned_answer
from bot.i18n import Translator
from bot.keyboards import inline
from handlers.associations.draft import next_step
from models import AssociationKind
from services import associations
from services.errors import InvalidInput
from services.formatting import academic_year_label
from services.users import search_users


# the period -------------------------------------------------------------------------------------
def _year_button(t: Translator) -> tuple[str, str]:
    start, _ = associations.default_period()
    label = t.plain("{years} academic year", years=academic_year_label(start.year))
    return label, cb("asc", "per", "year")


async def ask_period(turn: Turn) -> None:
    t = turn.t
    if turn.data.get("period_typing"):
        text = t.gettext(
            "Send the start and the end of the period, for example: "
            "<code>01.09.2026 – 31.05.2027</code>. Or choose the current academic year."
        )
        await turn.say(text, inline([[_year_button(t)]]))
        return
    other = (t.plain("Another period…"), cb("asc", "per", "other"))
    await turn.say(
        t.gettext("For what period is the association set up?"),
        inline([[_year_button(t)], [other]]),
    )


async def _keep_period(turn: Turn, start: date, end: date) -> None:
    turn.drop("period_typing")
    turn.put(period_start=start.isoformat(), period_end=end.isoformat())
    await next_step("period")(turn)


async def on_period_button(turn: Turn, data: Callback) -> None:
    choice = data.arg(0)
    if data.action != "per" or choice not in ("year", "other"):
        await turn.repeat()
    elif choice == "other":
        turn.put(period_typing=True)
        await turn.repeat()
    else:
        await _keep_period(turn, *associations.default_period())


async def on_period_text(turn: Turn, text: str) -> None:
    try:
        start, end = associations.check_period(
            AssociationKind(turn.data["kind"]), *associations.parse_period(text)
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await _keep_period(turn, start, end)


# the member limit -------------------------------------------------------------------------------
async def ask_cap(turn: Turn) -> None:
    t = turn.t
    default = associations.default_cap(AssociationKind(turn.data["kind"]))
    rows = [[(t.plain("Keep {n}", n=default), cb("asc", "cap", default))]] if default else []
    rows.append([(t.plain("No limit"), cb("asc", "cap", 0))])
    await turn.say(t.gettext("The member limit: send a number, or choose below."), inline(rows))


on_cap_text = cleaned_answer("cap", associations.clean_cap, next_step("cap"))


async def on_cap_button(turn: Turn, data: Callback) -> None:
    raw = data.arg(0) or ""
    value = int(raw) if raw.isdigit() else -1
    if data.action != "cap" or not 0 <= value <= associations.MAX_CAP:
        await turn.repeat()
        return
    turn.put(cap=value or None)
    await next_step("cap")(turn)


# the parent -------------------------------------------------------------------------------------
def _standalone(t: Translator) -> list[tuple[str, str]]:
    return [(t.plain("Standalone"), cb("asc", "parent", 0))]


async def ask_parent(turn: Turn) -> None:
    t = turn.t
    await turn.say(
        t.gettext(
            "Is it a child community of another association? Send a part of the main "
            "association's name, or press «Standalone»."
        ),
        inline([_standalone(t)]),
    )


async def on_parent_text(turn: Turn, text: str) -> None:
    found = await associations.parents_matching(turn.context.session, text)
    if not found:
        await turn.say("⚠️ " + turn.t.gettext("No active association has such a name."))
        await turn.repeat()
        return
    rows = [[(a.name[:60], cb("asc", "parent", a.id))] for a in found]
    await turn.say(
        turn.t.gettext("Choose the main association:"), inline([*rows, _standalone(turn.t)])
    )


async def on_parent_button(turn: Turn, data: Callback) -> None:
    raw = data.arg(0) or ""
    if data.action != "parent" or not raw.isdigit():
        await turn.repeat()
        return
    if raw == "0":
        turn.drop("parent_id", "parent_name")
    else:
        parent = await associations.possible_parent(turn.context.session, int(raw))
        if parent is None:
            await turn.repeat()
            return
        suggested = parent.organisation or turn.data.get("organisation_suggested")
        turn.put(parent_id=parent.id, parent_name=parent.name, organisation_suggested=suggested)
    await next_step("parent")(turn)


# the leader -------------------------------------------------------------------------------------
async def ask_leader(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Who will lead it? Send a part of the teacher's surname (only registered teachers "
            "can be chosen)."
        )
    )


async def on_leader_text(turn: Turn, text: str) -> None:
    found = await search_users(turn.context.session, text, limit=8)
    if not found:
        await turn.say(
            "⚠️ "
            + turn.t.gettext(
                "No registered teacher matches this. They must register in the bot first."
            )
        )
        await turn.repeat()
        return
    rows = [
        [(f"{u.full_name} · {u.organisation or ''}"[:60], cb("asc", "lead", u.id))] for u in found
    ]
    await turn.say(turn.t.gettext("Choose the leader:"), inline(rows))


async def on_leader_button(turn: Turn, data: Callback) -> None:
    raw = data.arg(0) or ""
    leader = (
        await associations.possible_leader(turn.context.session, int(raw))
        if data.action == "lead" and raw.isdigit()
        else None
    )
    if leader is None:
        await turn.repeat()
        return
    turn.put(leader_id=leader.id, leader_name=leader.full_name)
    await next_step("leader")(turn)


def setup(dialog: Dialog) -> None:
    dialog.step("period", ask=ask_period, on_text=on_period_text, on_button=on_period_button)
    dialog.step("cap", ask=ask_cap, on_text=on_cap_text, on_button=on_cap_button)
    dialog.step("parent", ask=ask_parent, on_text=on_parent_text, on_button=on_parent_button)
    dialog.step("leader", ask=ask_leader, on_text=on_leader_text, on_button=on_leader_button)
