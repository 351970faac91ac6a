"""The approval route of an association's plan: who agrees it (optional) and who approves
it; dialog `plano` finds the person and asks for the position printed on the plan."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.keyboards import Button, inline
from bot.replies import ack, show
from handlers.plans.buttons import BUTTONS, OpenPlan, OpenRoute, RemoveAgreement, SetStep
from handlers.plans.wording import route_lines
from models.plans import RouteStep
from services import plans as service
from services.texts import N_

ROUTE = register_dialog(Dialog("plano"))


@BUTTONS.on(OpenRoute)
async def open_route(update: Update, context: BotContext, press: OpenRoute) -> None:
    await show_route(update, context, press.association_id)
    await ack(update)


async def show_route(update: Update, context: BotContext, association_id: int) -> None:
    t = context.t
    route = await service.managed_route(context.session, context.actor, association_id)
    lines = [t.gettext("<b>Approval route</b>"), *route_lines(t, route)]
    if not route:
        lines.append(t.gettext("Not set yet."))
    rows: list[list[Button]] = [
        [(t.plain("Who agrees"), SetStep(association_id, RouteStep.AGREEMENT).data())],
        [(t.plain("Who approves"), SetStep(association_id, RouteStep.APPROVAL).data())],
    ]
    if any(row.step == RouteStep.AGREEMENT for row, _ in route):
        rows.append(
            [(t.plain("Remove the agreement step"), RemoveAgreement(association_id).data())]
        )
    rows.append([(t.plain("⬅️ Back"), OpenPlan(association_id).data())])
    await show(update, context, "\n".join(lines), inline(rows))


@BUTTONS.on(RemoveAgreement)
async def remove_agreement(update: Update, context: BotContext, press: RemoveAgreement) -> None:
    await service.remove_agreement(
        context.session, context.actor, association_id=press.association_id
    )
    await show_route(update, context, press.association_id)
    await ack(update)


@BUTTONS.on(SetStep)
async def set_step(update: Update, context: BotContext, press: SetStep) -> None:
    await service.managed_route(context.session, context.actor, press.association_id)
    await ack(update)
    data = {"association_id": press.association_id, "step": str(press.step)}
    await ROUTE.start(update, context, "search", data)


async def _find(turn: Turn) -> None:
    found = await service.search_route_people(turn.context.session, turn.data["query"])
    if not found:
        await turn.say(
            turn.t.gettext(
                "Nobody among the approvers and network methodists matches. Send another part "
                "of the surname or of the organisation's name."
            )
        )
        return
    people = [[str(u.id), f"{u.full_name or '?'} · {u.organisation or ''}"[:60]] for u in found]
    turn.put(found=people)
    await turn.goto("pick")


def _found(turn: Turn) -> list[tuple[str, str]]:
    return [(value, label) for value, label in turn.data["found"]]


def _pick_prompt(turn: Turn) -> str:
    if RouteStep(turn.data["step"]) is RouteStep.AGREEMENT:
        return turn.t.gettext("Choose who agrees the plan:")
    return turn.t.gettext("Choose the approver:")


async def _save(turn: Turn) -> None:
    association_id = turn.data["association_id"]
    await service.set_route_step(
        turn.context.session,
        turn.context.actor,
        association_id=association_id,
        step=RouteStep(turn.data["step"]),
        user_id=int(turn.data["user_id"]),
        position=turn.data["position"],
    )
    await turn.finish()
    t = turn.t
    await turn.say(
        t.gettext("✅ The route is saved."),
        inline(
            [
                [(t.plain("🧭 Route"), OpenRoute(association_id).data())],
                [(t.plain("📋 The plan"), OpenPlan(association_id).data())],
            ]
        ),
    )


ROUTE.text_step(
    "search",
    prompt=N_(
        "Send part of the surname or of the organisation of the person. They are looked for "
        "among registered users with the role «approver» or «network methodist»."
    ),
    key="query",
    clean=service.clean_query,
    then=_find,
)
ROUTE.choice_step("pick", prompt=_pick_prompt, options=_found, key="user_id", then="position")
ROUTE.text_step(
    "position",
    prompt=N_(
        "Write their position as it is printed on the plan, for example: "
        "<i>Заместитель директора по УВР</i> or <i>Директор</i>."
    ),
    key="position",
    clean=service.clean_text,
    then=_save,
)
