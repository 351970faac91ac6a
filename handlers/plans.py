"""/plan: the year work plan, its items, proposals, the approval route and progress.

Buttons: `plan:*` (screens), `planr:*` (the approvers' Agree/Approve/Return),
`planp:*` (accepting or declining a member's proposal); dialogs `plani` (a new item),
`plane` (edit or move an item), `plano` (a route step), `planx` (a return comment),
`planq` (a member's proposal).
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import Callback, cb, parse, pattern
from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.dialogs import Dialog, Turn, cleaned_answer
from bot.dialogs import register as register_dialog
from bot.i18n import Translator
from bot.keyboards import columns, inline
from bot.replies import ack, alert, choose_association, reply, show
from handlers.meetings import FORM_TITLES
from models import Association, User
from models.plans import PlanEntry, PlanItemStatus, PlanProposal, PlanStatus, RouteStep
from services import plans as service
from services.errors import DomainError, InvalidInput
from services.formatting import format_date, format_datetime, format_month, short_name
from services.outbox import Buttons
from services.texts import N_, T_

COMMANDS = [CommandSpec("plan", N_("The year work plan and its approval"), Audience.REGISTERED)]

STATUS_TITLES = {
    PlanStatus.DRAFT: T_("draft"),
    PlanStatus.SUBMITTED: T_("submitted for agreement"),
    PlanStatus.AGREED: T_("agreed, waiting for approval"),
    PlanStatus.APPROVED: T_("approved"),
    PlanStatus.RETURNED: T_("returned for revision"),
}
ITEM_MARKS = {
    PlanItemStatus.PLANNED: "▫️",
    PlanItemStatus.DONE: "✅",
    PlanItemStatus.MOVED: "↪️",
    PlanItemStatus.CANCELLED: "✖",
}
STEP_TITLES = {RouteStep.AGREEMENT: T_("Agreement"), RouteStep.APPROVAL: T_("Approval")}

ITEM = register_dialog(Dialog("plani"))
EDIT = register_dialog(Dialog("plane"))
ROUTE = register_dialog(Dialog("plano"))
RETURN = register_dialog(Dialog("planx"))
PROPOSE = register_dialog(Dialog("planq"))


def _when(t: Translator, item: PlanEntry | PlanProposal) -> str:
    if item.on_date is not None:
        return format_date(item.on_date, t.language)
    return format_month(item.year, item.month, t.language)


class Texts:
    """Messages to approvers, leaders, proposers and the group (each in their language)."""

    def __init__(self, default_language: str = "ru") -> None:
        self.default_language = default_language

    def _t(self, user: User | None = None) -> Translator:
        return Translator((user.language if user else None) or self.default_language)

    def review_request(self, view: service.PlanView, user: User, step: int) -> tuple[str, Buttons]:
        t = self._t(user)
        kind = RouteStep(view.plan.route[step]["step"])
        text = t.gettext(
            "📋 The work plan of «{name}» for {year}/{next} (version {version}) is sent to "
            "you for {step}.",
            name=view.association.name,
            year=view.plan.academic_year,
            next=view.plan.academic_year + 1,
            version=view.plan.version,
            step=t.plain(STEP_TITLES[kind]).lower(),
        )
        yes = t.plain("✅ Agree") if kind is RouteStep.AGREEMENT else t.plain("✅ Approve the plan")
        buttons = [
            [{"text": yes, "callback": cb("planr", "ok", view.plan.id, step)}],
            [{"text": t.plain("↩️ Return"), "callback": cb("planr", "ret", view.plan.id, step)}],
        ]
        return text, buttons

    def outcome(
        self, view: service.PlanView, user: User, decision: str, by: User, comment: str
    ) -> str:
        t = self._t(user)
        name = by.full_name or ""
        if decision == "agreed":
            return t.gettext(
                "✅ {person} agreed the plan of «{name}». It goes on for approval.",
                person=name,
                name=view.association.name,
            )
        if decision == "approved":
            return t.gettext(
                "🎉 {person} approved the plan of «{name}» (version {version}). "
                "The PDF is in /plan.",
                person=name,
                name=view.association.name,
                version=view.plan.version,
            )
        return t.gettext(
            "↩️ {person} returned the plan of «{name}» for revision: {comment}",
            person=name,
            name=view.association.name,
            comment=comment,
        )

    def approved_post(self, view: service.PlanView) -> str:
        t = self._t()
        return t.gettext(
            "📋 The work plan for {year}/{next} is approved.",
            year=view.plan.academic_year,
            next=view.plan.academic_year + 1,
        )

    def proposal(self, proposal: PlanProposal, by: User, user: User) -> tuple[str, Buttons]:
        t = self._t(user)
        text = t.gettext(
            "💡 {person} proposes a plan item: «{topic}» ({when}).",
            person=by.full_name or "",
            topic=proposal.topic,
            when=_when(t, proposal),
        )
        buttons = [
            [
                {"text": t.plain("✅ Accept"), "callback": cb("planp", "acc", proposal.id)},
                {"text": t.plain("✖ Decline"), "callback": cb("planp", "dec", proposal.id)},
            ]
        ]
        return text, buttons

    def proposal_outcome(self, proposal: PlanProposal, user: User) -> str:
        t = self._t(user)
        if proposal.status == "accepted":
            return t.gettext(
                "✅ Your proposal «{topic}» is added to the plan.", topic=proposal.topic
            )
        return t.gettext("Your proposal «{topic}» was declined.", topic=proposal.topic)


def texts_for(context: BotContext) -> Texts:
    return Texts(context.settings.default_language)


def _error(t: Translator, error: DomainError) -> str:
    return t.error(error)


def _arg(update: Update, index: int = 0) -> tuple[Callback, int] | None:
    data = parse(update.callback_query.data if update.callback_query else None)
    try:
        if data is None:
            raise ValueError
        return data, data.int_arg(index)
    except ValueError:
        return None


# /plan -----------------------------------------------------------------------------------
async def plan_command(update: Update, context: BotContext) -> None:
    found = await service.my_associations(context.session, context.actor)
    await choose_association(
        update,
        context,
        [association for association, _ in found],
        prefix="plan",
        nothing=context.t.gettext("You are not a member of any association yet."),
        open_one=lambda association: _show_plan(update, context, association.id),
    )


async def _show_plan(update: Update, context: BotContext, association_id: int) -> None:
    t, session = context.t, context.session
    await service.require_association_role(session, context.actor, association_id)
    manager = await service.can_manage(session, context.actor, association_id)
    plan = await service.current_plan(session, association_id)
    view = await service.view_of(session, plan)
    lines = [
        t.gettext(
            "<b>Work plan of {name}, {year}/{next}</b>",
            name=view.association.name,
            year=plan.academic_year,
            next=plan.academic_year + 1,
        ),
        t.gettext(
            "Version {version} · {status}",
            version=plan.version,
            status=t.plain(STATUS_TITLES[PlanStatus(plan.status)]),
        ),
    ]
    if plan.status is PlanStatus.RETURNED and plan.returned_comment:
        lines.append(t.gettext("Comment: {comment}", comment=plan.returned_comment))
    for index, item in enumerate(view.items, 1):
        lines.append(
            t.gettext(
                "{mark} {index}. {when} · {topic} ({form})",
                mark=ITEM_MARKS[PlanItemStatus(item.status)],
                index=index,
                when=_when(t, item),
                topic=item.topic,
                form=t.plain(FORM_TITLES.get(item.form, FORM_TITLES["other"])),
            )
        )
    if not view.items:
        lines.append(t.gettext("No items yet."))
    rows: list[list[tuple[str, str]]] = []
    if manager:
        rows += columns(
            [
                (f"{i}. {item.topic}"[:40], cb("plan", "item", item.id))
                for i, item in enumerate(view.items, 1)
            ],
            2,
        )
        if plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.APPROVED):
            rows.append([(t.plain("➕ Add an item"), cb("plan", "add", association_id))])
        if plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED):
            rows.append(
                [
                    (t.plain("🧭 Route"), cb("plan", "route", association_id)),
                    (t.plain("📤 Submit"), cb("plan", "check", plan.id)),
                ]
            )
    else:
        rows.append([(t.plain("💡 Propose an item"), cb("plan", "prop", association_id))])
    rows.append([(t.plain("📄 PDF"), cb("plan", "pdf", plan.id))])
    approved = await service.approved_plan(session, association_id)
    if approved is not None and approved.id != plan.id:
        rows.append(
            [
                (
                    t.plain("📄 Approved version {version}", version=approved.version),
                    cb("plan", "pdf", approved.id),
                )
            ]
        )
    await show(update, context, "\n".join(lines), inline(rows))


async def plan_button(update: Update, context: BotContext) -> None:
    t, session = context.t, context.session
    parsed = _arg(update)
    if parsed is None:
        await alert(update, t.plain("This button is out of date."))
        return
    data, number = parsed
    action = data.action
    if action == "assoc":
        if await session.get(Association, number) is None:
            await alert(update, t.plain("This button is out of date."))
            return
        await ack(update)
        await _show_plan(update, context, number)
    elif action == "add":
        await service.editable_plan(session, context.actor, number)
        await ack(update)
        await ITEM.start(update, context, "when", {"association_id": number, "people": []})
    elif action == "item":
        await _show_item(update, context, number)
    elif action in ("topic", "move"):
        item = await _managed_item(update, context, number)
        if item is None:
            return
        await ack(update)
        await EDIT.start(update, context, action, {"item_id": number})
    elif action == "del":
        plan = await service.delete_item(session, context.actor, item_id=number)
        await ack(update, t.plain("The item is deleted."))
        await _show_plan(update, context, plan.association_id)
    elif action == "prog":
        await _mark(update, context, number, data)
    elif action == "done":
        await _pick_meeting(update, context, number)
    elif action == "route":
        await _show_route(update, context, number)
    elif action in ("setag", "setap"):
        await service.require_association_role(session, context.actor, number, *service.MANAGERS)
        await ack(update)
        step = RouteStep.AGREEMENT if action == "setag" else RouteStep.APPROVAL
        await ROUTE.start(update, context, "search", {"association_id": number, "step": step})
    elif action == "noag":
        await service.remove_agreement(session, context.actor, association_id=number)
        await ack(update)
        await _show_route(update, context, number)
    elif action == "check":
        await _show_checks(update, context, number)
    elif action == "submit":
        plan = await service.submit(
            session, context.actor, plan_id=number, texts=texts_for(context)
        )
        await ack(update, t.plain("Submitted."))
        await _show_plan(update, context, plan.association_id)
    elif action == "pdf":
        await _send_pdf(update, context, number)
    elif action == "prop":
        await service.require_association_role(session, context.actor, number)
        await ack(update)
        await PROPOSE.start(update, context, "when", {"association_id": number})
    else:
        await alert(update, t.plain("This button is out of date."))


async def _managed_item(update: Update, context: BotContext, item_id: int) -> PlanEntry | None:
    item = await context.session.get(PlanEntry, item_id)
    if item is None:
        await alert(update, context.t.plain("This button is out of date."))
        return None
    plan = await service.get_plan(context.session, item.plan_id)
    await service.require_association_role(
        context.session, context.actor, plan.association_id, *service.MANAGERS
    )
    return item


async def _show_item(update: Update, context: BotContext, item_id: int) -> None:
    t = context.t
    item = await _managed_item(update, context, item_id)
    if item is None:
        return
    await ack(update)
    plan = await service.get_plan(context.session, item.plan_id)
    view = await service.view_of(context.session, plan)
    people = ", ".join(
        short_name(view.people[u].full_name or "")
        for u in item.responsible_user_ids
        if u in view.people
    )
    lines = [
        t.gettext("<b>{topic}</b>", topic=item.topic),
        t.gettext("When: {when}", when=_when(t, item)),
        t.gettext("Form: {form}", form=t.plain(FORM_TITLES.get(item.form, FORM_TITLES["other"]))),
        t.gettext("Responsible: {people}", people=people or "—"),
        t.gettext("Expected result: {result}", result=item.expected_result),
    ]
    rows = []
    if plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.APPROVED):
        rows.append(
            [
                (t.plain("✏️ Edit the topic"), cb("plan", "topic", item.id)),
                (t.plain("📅 Move"), cb("plan", "move", item.id)),
            ]
        )
        rows.append([(t.plain("🗑 Delete"), cb("plan", "del", item.id))])
    if plan.status is PlanStatus.APPROVED:
        rows.append(
            [
                (t.plain("✅ Done (meeting)"), cb("plan", "done", item.id)),
                (t.plain("↪️ Moved"), cb("plan", "prog", item.id, "m")),
                (t.plain("✖ Cancelled"), cb("plan", "prog", item.id, "c")),
            ]
        )
        if plan.status is PlanStatus.APPROVED:
            lines.append(
                t.gettext(
                    "Editing creates version {version} for approval.", version=plan.version + 1
                )
            )
    rows.append([(t.plain("⬅️ Back"), cb("plan", "assoc", plan.association_id))])
    await show(update, context, "\n".join(lines), inline(rows))


PROGRESS = {"m": PlanItemStatus.MOVED, "c": PlanItemStatus.CANCELLED, "d": PlanItemStatus.DONE}


async def _pick_meeting(update: Update, context: BotContext, item_id: int) -> None:
    t = context.t
    item = await _managed_item(update, context, item_id)
    if item is None:
        return
    plan = await service.get_plan(context.session, item.plan_id)
    association = await context.session.get_one(Association, plan.association_id)
    meetings = await service.held_meetings(context.session, plan.association_id)
    if not meetings:
        await alert(update, t.plain("No meetings of the association have been held yet."))
        return
    await ack(update)
    rows = [
        [
            (
                f"№ {m.number} · {format_datetime(m.starts_at, association.timezone, t.language)}"[
                    :60
                ],
                cb("plan", "prog", item.id, "d", m.id),
            )
        ]
        for m in meetings
    ]
    rows.append([(t.plain("⬅️ Back"), cb("plan", "item", item.id))])
    await show(update, context, t.gettext("Which meeting fulfilled this item?"), inline(rows))


async def _mark(update: Update, context: BotContext, item_id: int, data: Callback) -> None:
    t = context.t
    status = PROGRESS.get(data.arg(1) or "")
    meeting_id = None
    try:
        if status is None:
            raise ValueError
        if status is PlanItemStatus.DONE:
            meeting_id = data.int_arg(2)
    except ValueError:
        await alert(update, t.plain("This button is out of date."))
        return
    await service.mark_progress(
        context.session, context.actor, item_id=item_id, status=status, meeting_id=meeting_id
    )
    await ack(update, t.plain("Noted."))
    await _show_item(update, context, item_id)


async def _show_route(update: Update, context: BotContext, association_id: int) -> None:
    t = context.t
    await service.require_association_role(
        context.session, context.actor, association_id, *service.MANAGERS
    )
    await ack(update)
    route = await service.route_of(context.session, association_id)
    lines = [t.gettext("<b>Approval route</b>")]
    for row, person in route:
        lines.append(
            t.gettext(
                "{step}: {person}, {position}",
                step=t.plain(STEP_TITLES[RouteStep(row.step)]),
                person=person.full_name or "",
                position=row.position,
            )
        )
    if not route:
        lines.append(t.gettext("Not set yet."))
    rows = [
        [(t.plain("Set the agreeing person"), cb("plan", "setag", association_id))],
        [(t.plain("Set the approving person"), cb("plan", "setap", association_id))],
    ]
    if any(row.step == RouteStep.AGREEMENT for row, _ in route):
        rows.append([(t.plain("Remove the agreement step"), cb("plan", "noag", association_id))])
    rows.append([(t.plain("⬅️ Back"), cb("plan", "assoc", association_id))])
    await show(update, context, "\n".join(lines), inline(rows))


async def _show_checks(update: Update, context: BotContext, plan_id: int) -> None:
    t = context.t
    plan = await service.get_plan(context.session, plan_id)
    await service.require_association_role(
        context.session, context.actor, plan.association_id, *service.MANAGERS
    )
    await ack(update)
    view = await service.view_of(context.session, plan)
    warnings = service.check(view)
    lines = [t.gettext("<b>Before submitting</b>")]
    for warning in warnings:
        params = dict(warning.params)
        if "months" in params:
            params["months"] = ", ".join(t.plain(m) for m in params["months"])  # type: ignore[attr-defined]
        lines.append("⚠️ " + t.gettext(warning.message, **params))
    if not warnings:
        lines.append(t.gettext("✅ No remarks."))
    route = await service.route_of(context.session, plan.association_id)
    for row, person in route:
        lines.append(
            t.gettext(
                "{step}: {person}, {position}",
                step=t.plain(STEP_TITLES[RouteStep(row.step)]),
                person=person.full_name or "",
                position=row.position,
            )
        )
    label = t.plain("📤 Submit anyway") if warnings else t.plain("📤 Submit")
    rows = [
        [(label, cb("plan", "submit", plan.id))],
        [(t.plain("⬅️ Back"), cb("plan", "assoc", plan.association_id))],
    ]
    await show(update, context, "\n".join(lines), inline(rows))


async def _send_pdf(update: Update, context: BotContext, plan_id: int) -> None:
    plan = await service.get_plan(context.session, plan_id)
    await service.require_association_role(context.session, context.actor, plan.association_id)
    await ack(update)
    shown = plan
    view = await service.view_of(context.session, shown)
    content = await service.pdf_of(context.session, view)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        InputFile(BytesIO(content), filename=f"plan-{shown.academic_year}-v{shown.version}.pdf"),
        caption=context.t.gettext(
            "Work plan, version {version} · {status}",
            version=shown.version,
            status=context.t.plain(STATUS_TITLES[PlanStatus(shown.status)]),
        ),
    )


# approvers' buttons -------------------------------------------------------------------------
async def review_button(update: Update, context: BotContext) -> None:
    t = context.t
    parsed = _arg(update)
    try:
        if parsed is None or parsed[0].action not in ("ok", "ret"):
            raise ValueError
        data, plan_id = parsed
        step = data.int_arg(1)
    except ValueError:
        await alert(update, t.plain("This button is out of date."))
        return
    if data.action == "ok":
        plan = await service.decide(
            context.session,
            context.actor,
            plan_id=plan_id,
            step=step,
            accept=True,
            texts=texts_for(context),
        )
        await ack(update, t.plain("Thank you, your decision is recorded."))
        done = (
            t.gettext("✅ Approved. The leader is told.")
            if plan.status is PlanStatus.APPROVED
            else t.gettext("✅ Agreed. The plan goes on for approval.")
        )
        await reply(update, context, done)
        return
    await _check_step(context, plan_id, step)
    await ack(update)
    await RETURN.start(update, context, "comment", {"plan_id": plan_id, "step": step})


async def _check_step(context: BotContext, plan_id: int, step: int) -> None:
    user = await service.require_registered(context.session, context.actor)
    plan = await context.session.get(service.Plan, plan_id)
    if (
        plan is None
        or plan.current_step != step
        or plan.status not in (PlanStatus.SUBMITTED, PlanStatus.AGREED)
        or plan.route[step]["user_id"] != user.id
    ):
        raise service.NotYourStep()


async def ask_comment(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "What should be corrected? Your comment goes to the leader with the plan. "
            "/cancel keeps the plan with you."
        )
    )


async def on_comment(turn: Turn, text: str) -> None:
    try:
        await service.decide(
            turn.context.session,
            turn.context.actor,
            plan_id=turn.data["plan_id"],
            step=turn.data["step"],
            accept=False,
            comment=text,
            texts=texts_for(turn.context),
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    except DomainError as error:
        await turn.finish()
        await turn.say(turn.t.error(error))
        return
    await turn.finish()
    await turn.say(turn.t.gettext("↩️ The plan is returned to the leader with your comment."))


RETURN.step("comment", ask=ask_comment, on_text=on_comment)


# proposals ---------------------------------------------------------------------------------
async def proposal_button(update: Update, context: BotContext) -> None:
    t = context.t
    parsed = _arg(update)
    if parsed is None or parsed[0].action not in ("acc", "dec"):
        await alert(update, t.plain("This button is out of date."))
        return
    data, proposal_id = parsed
    proposal = await service.decide_proposal(
        context.session,
        context.actor,
        proposal_id=proposal_id,
        accept=data.action == "acc",
        texts=texts_for(context),
    )
    await ack(update)
    note = (
        t.gettext("✅ Added to the plan: «{topic}». The proposer is told.", topic=proposal.topic)
        if proposal.status == "accepted"
        else t.gettext("Declined: «{topic}». The proposer is told.", topic=proposal.topic)
    )
    await show(update, context, note)


# dialogs -----------------------------------------------------------------------------------
async def _academic_year(turn: Turn) -> int:
    association = await turn.context.session.get_one(Association, turn.data["association_id"])
    return service.current_academic_year(association)


async def ask_when(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "When? A month or a date, for example: <i>December</i>, <i>декабрь</i>, "
            "<i>12.2026</i> or <i>15.12.2026</i>. /cancel stops."
        )
    )


async def on_when(turn: Turn, text: str) -> None:
    try:
        year, month, on = service.parse_when(text, await _academic_year(turn))
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(year=year, month=month, on=on.isoformat() if on else None)
    await turn.goto("topic")


async def ask_topic(turn: Turn) -> None:
    await turn.say(turn.t.gettext("The topic of the item?"))


on_topic = cleaned_answer("topic", service.clean_text, "form")


async def ask_form(turn: Turn) -> None:
    t = turn.t
    buttons = [(t.plain(title), cb("plani", "form", key)) for key, title in FORM_TITLES.items()]
    await turn.say(t.gettext("Which form?"), inline(columns(buttons, 2)))


async def on_form(turn: Turn, data: Callback) -> None:
    if data.action != "form" or data.arg(0) not in FORM_TITLES:
        await turn.repeat()
        return
    turn.put(form=data.arg(0))
    await turn.show(
        turn.t.gettext("Form: {form}", form=turn.t.plain(FORM_TITLES[data.arg(0) or "other"]))
    )
    await turn.goto("people")


async def _people_keyboard(turn: Turn):  # type: ignore[no-untyped-def]
    t = turn.t
    members = await service.active_members(turn.context.session, turn.data["association_id"])
    chosen = set(turn.data.get("people", []))
    buttons = [
        (
            ("☑️ " if m.id in chosen else "▫️ ") + short_name(m.full_name or "?"),
            cb("plani", "p", m.id),
        )
        for m in members[:60]
    ]
    rows = columns(buttons, 2)
    rows.append([(t.plain("✅ Done"), cb("plani", "pdone"))])
    return inline(rows)


async def ask_people(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext("Who is responsible? Choose one or more members, then press Done."),
        await _people_keyboard(turn),
    )


async def on_people(turn: Turn, data: Callback) -> None:
    if data.action == "pdone":
        if not turn.data.get("people"):
            await turn.say(turn.t.gettext("Please choose at least one responsible member."))
            await turn.repeat()
            return
        await turn.goto("result")
        return
    try:
        user_id = data.int_arg(0)
    except ValueError:
        await turn.repeat()
        return
    members = {
        m.id
        for m in await service.active_members(turn.context.session, turn.data["association_id"])
    }
    if user_id not in members:
        await turn.repeat()
        return
    chosen = list(turn.data.get("people", []))
    chosen = [u for u in chosen if u != user_id] if user_id in chosen else [*chosen, user_id]
    turn.put(people=chosen)
    await turn.show(
        turn.t.gettext("Who is responsible? Choose one or more members, then press Done."),
        await _people_keyboard(turn),
    )


async def ask_result(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext("The expected result? For example: <i>methodological recommendations</i>.")
    )


async def on_result(turn: Turn, text: str) -> None:
    try:
        await service.add_item(
            turn.context.session,
            turn.context.actor,
            association_id=turn.data["association_id"],
            when=(
                turn.data["year"],
                turn.data["month"],
                date.fromisoformat(turn.data["on"]) if turn.data.get("on") else None,
            ),
            topic=turn.data["topic"],
            form=turn.data["form"],
            responsible=turn.data["people"],
            expected_result=text,
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await turn.finish()
    t = turn.t
    await turn.say(
        t.gettext("✅ The item is added."),
        inline(
            [
                [(t.plain("➕ Add another"), cb("plan", "add", turn.data["association_id"]))],
                [(t.plain("📋 The plan"), cb("plan", "assoc", turn.data["association_id"]))],
            ]
        ),
    )


ITEM.step("when", ask=ask_when, on_text=on_when)
ITEM.step("topic", ask=ask_topic, on_text=on_topic)
ITEM.step("form", ask=ask_form, on_button=on_form)
ITEM.step("people", ask=ask_people, on_button=on_people)
ITEM.step("result", ask=ask_result, on_text=on_result)


async def ask_edit_topic(turn: Turn) -> None:
    await turn.say(turn.t.gettext("The new topic of the item? /cancel keeps it."))


async def on_edit_topic(turn: Turn, text: str) -> None:
    await _edit(turn, text, topic=True)


async def ask_edit_when(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "The new month or date, for example <i>March</i> or <i>15.03.2027</i>? "
            "/cancel keeps it."
        )
    )


async def on_edit_when(turn: Turn, text: str) -> None:
    await _edit(turn, text, topic=False)


async def _edit(turn: Turn, text: str, *, topic: bool) -> None:
    session, actor = turn.context.session, turn.context.actor
    try:
        item = await session.get_one(PlanEntry, turn.data["item_id"])
        plan = await service.get_plan(session, item.plan_id)
        if topic:
            item = await service.edit_topic(session, actor, item_id=item.id, topic=text)
        else:
            association = await session.get_one(Association, plan.association_id)
            when = service.parse_when(text, service.current_academic_year(association))
            item = await service.move_item(session, actor, item_id=item.id, when=when)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await turn.finish()
    await turn.say(
        turn.t.gettext("✅ Saved."),
        inline([[(turn.t.plain("📋 The plan"), cb("plan", "assoc", plan.association_id))]]),
    )


EDIT.step("topic", ask=ask_edit_topic, on_text=on_edit_topic)
EDIT.step("move", ask=ask_edit_when, on_text=on_edit_when)


async def ask_search(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Send part of the name or the school of the person (registered users with the "
            "approver or methodist role)."
        )
    )


async def on_search(turn: Turn, text: str) -> None:
    t = turn.t
    try:
        found = await service.search_route_people(turn.context.session, text)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    if not found:
        await turn.say(t.gettext("Nobody with the approver or methodist role matches. Try again."))
        return
    rows = [
        [(f"{u.full_name or '?'} · {u.organisation or ''}"[:60], cb("plano", "pick", u.id))]
        for u in found
    ]
    await turn.say(t.gettext("Choose the person:"), inline(rows))


async def on_pick(turn: Turn, data: Callback) -> None:
    try:
        user_id = data.int_arg(0)
    except ValueError:
        await turn.repeat()
        return
    person = await turn.context.session.get(User, user_id)
    if person is None:
        await turn.repeat()
        return
    turn.put(user_id=user_id)
    await turn.show(turn.t.gettext("Chosen: {name}", name=person.full_name or ""))
    await turn.goto("position")


async def ask_position(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Their position as it is printed on the plan, for example: "
            "<i>Заместитель директора по УВР</i> or <i>Директор</i>."
        )
    )


async def on_position(turn: Turn, text: str) -> None:
    try:
        await service.set_route_step(
            turn.context.session,
            turn.context.actor,
            association_id=turn.data["association_id"],
            step=RouteStep(turn.data["step"]),
            user_id=turn.data["user_id"],
            position=text,
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await turn.finish()
    await turn.say(
        turn.t.gettext("✅ The route is saved."),
        inline([[(turn.t.plain("🧭 Route"), cb("plan", "route", turn.data["association_id"]))]]),
    )


ROUTE.step("search", ask=ask_search, on_text=on_search, on_button=on_pick)
ROUTE.step("position", ask=ask_position, on_text=on_position)


async def on_proposal_when(turn: Turn, text: str) -> None:
    await on_when(turn, text)


async def ask_proposal_topic(turn: Turn) -> None:
    await turn.say(turn.t.gettext("What do you propose? Write the topic."))


async def on_proposal_topic(turn: Turn, text: str) -> None:
    try:
        await service.propose(
            turn.context.session,
            turn.context.actor,
            association_id=turn.data["association_id"],
            when=(
                turn.data["year"],
                turn.data["month"],
                date.fromisoformat(turn.data["on"]) if turn.data.get("on") else None,
            ),
            topic=text,
            texts=texts_for(turn.context),
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await turn.finish()
    await turn.say(turn.t.gettext("💡 Thank you! The leader will consider your proposal."))


PROPOSE.step("when", ask=ask_when, on_text=on_proposal_when)
PROPOSE.step("topic", ask=ask_proposal_topic, on_text=on_proposal_topic)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("plan", plan_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(plan_button, pattern=pattern("plan")))
    app.add_handler(CallbackQueryHandler(review_button, pattern=pattern("planr")))
    app.add_handler(CallbackQueryHandler(proposal_button, pattern=pattern("planp")))


__all__ = ["Texts", "register"]
