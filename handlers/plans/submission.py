"""Sending a plan along its route: the leader's checks first, then the submission."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import ack, show
from handlers.plans.buttons import BUTTONS, OpenChecks, OpenPlan, Submit
from handlers.plans.listing import show_plan
from handlers.plans.wording import first_step, route_lines
from models.plans import RouteStep
from services import plans as service


@BUTTONS.on(OpenChecks)
async def open_checks(update: Update, context: BotContext, press: OpenChecks) -> None:
    t = context.t
    checks = await service.checks_of(context.session, context.actor, press.plan_id)
    await ack(update)
    lines = [t.gettext("<b>Before submitting</b>")]
    lines += ["⚠️ " + _warning(t, warning) for warning in checks.warnings]
    if not checks.warnings:
        lines.append(t.gettext("✅ No remarks."))
    lines += route_lines(t, checks.route)
    if first_step(checks.route) is RouteStep.AGREEMENT:
        label = t.plain("📤 Send for agreement")
    else:
        label = t.plain("📤 Send for approval")
    if checks.warnings:
        label = t.plain("📤 Send anyway")
    rows = [
        [(label, Submit(checks.plan.id).data())],
        [(t.plain("⬅️ Back"), OpenPlan(checks.plan.association_id).data())],
    ]
    await show(update, context, "\n".join(lines), inline(rows))


def _warning(t: Translator, warning: service.Warning) -> str:
    params = dict(warning.params)
    if "months" in params:
        params["months"] = ", ".join(t.plain(m) for m in params["months"])  # type: ignore[attr-defined]
    return t.gettext(warning.message, **params)


@BUTTONS.on(Submit)
async def submit(update: Update, context: BotContext, press: Submit) -> None:
    t = context.t
    plan = await service.submit(context.session, context.actor, plan_id=press.plan_id)
    if service.waiting_step(plan) is RouteStep.AGREEMENT:
        await ack(update, t.plain("Sent for agreement."))
    else:
        await ack(update, t.plain("Sent for approval."))
    await show_plan(update, context, plan.association_id)
