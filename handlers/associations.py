"""Associations: creation and proposals, the catalogue and cards, joining, leaving,
the leader's management buttons, the waiting list and the rules."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import deeplinks
from bot.callbacks import Callback, cb, parse, pattern
from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.dialogs import Dialog, Turn, cleaned_answer
from bot.dialogs import register as register_dialog
from bot.i18n import Translator, person_translator, zone_title
from bot.keyboards import columns, inline
from bot.replies import ack, alert, reply, show
from handlers.common import extend_menu
from models import (
    Association,
    AssociationKind,
    JoinPolicy,
    MemberRole,
    SubjectScope,
    User,
)
from scheduler import jobs
from services import associations, memberships
from services import outbox as outbox_service
from services.catalogs import SUBJECTS, subject_title
from services.errors import DomainError, InvalidInput
from services.formatting import TIME_ZONES, academic_year_label, format_date, format_datetime
from services.texts import N_

COMMANDS = [
    CommandSpec("associations", N_("Catalogue of associations"), Audience.REGISTERED),
    CommandSpec("join", N_("Join an association by its code"), Audience.REGISTERED),
    CommandSpec("leave", N_("Leave an association"), Audience.REGISTERED),
    CommandSpec("propose", N_("Propose a new association"), Audience.REGISTERED),
    CommandSpec("new_association", N_("Create an association"), Audience.METHODIST),
]

log = logging.getLogger(__name__)

STALE = N_("This button is out of date. Please open /associations again.")
PER_PAGE = 5


# helpers --------------------------------------------------------------------------------------
def translator_for(context: BotContext, user: User) -> Translator:
    return person_translator(user, context.settings.default_language)


async def notify(
    context: BotContext,
    user: User,
    message: str,
    *,
    buttons: list[list[tuple[str, str]]] | None = None,
    dedupe_key: str | None = None,
    **params: object,
) -> None:
    """A message to someone other than the person acting: through the outbox, in their language."""
    if user.telegram_id is None:
        return
    t = translator_for(context, user)
    rows = [
        [{"text": t.plain(label), "callback": data} for label, data in row] for row in buttons or []
    ]
    await outbox_service.enqueue_text(
        context.session,
        user.telegram_id,
        t.gettext(message, **params),
        buttons=rows or None,
        dedupe_key=dedupe_key,
    )


def join_link(context: BotContext, association: Association, token: str | None = None) -> str:
    payload = f"join_{association.join_code}" + (f"-{token}" if token else "")
    return f"https://t.me/{context.bot.username}?start={payload}"


async def explain(update: Update, context: BotContext, error: DomainError) -> None:
    if update.callback_query is not None:
        await alert(update, context.t.plain(error.message, **error.params))
    else:
        await reply(update, context, context.t.error(error))


# catalogue ------------------------------------------------------------------------------------
async def catalogue_command(update: Update, context: BotContext) -> None:
    await show_catalogue(update, context, page=0, kind=None, subject=None)


async def show_catalogue(
    update: Update, context: BotContext, *, page: int, kind: str | None, subject: str | None
) -> None:
    t = context.t
    result = await associations.catalogue(
        context.session,
        kind=AssociationKind(kind) if kind else None,
        subject=subject,
        page=page,
        per_page=PER_PAGE,
    )
    lines = [t.gettext("<b>Associations</b>")]
    filters_text = []
    if kind:
        filters_text.append(t.plain(associations.KIND_SHORT[AssociationKind(kind)]))
    if subject:
        filters_text.append(t.plain(subject_title(subject)))
    if filters_text:
        lines.append(t.gettext("Filter: {filters}", filters=", ".join(filters_text)))
    if not result.items:
        lines.append(t.gettext("Nothing matches yet."))
    rows: list[list[tuple[str, str]]] = []
    for association, count in result.items:
        lines.append(
            "• "
            + t.gettext(
                "{name} ({kind}) — {members}",
                name=association.name,
                kind=t.plain(associations.KIND_SHORT[association.kind]),
                members=t.nplain("{n} member", "{n} members", count),
            )
        )
        rows.append([(association.name[:60], cb("as", "card", association.id))])
    k, s = kind or "_", subject or "_"
    pager = []
    if result.page > 0:
        pager.append((t.plain("⬅️"), cb("as", "ls", result.page - 1, k, s)))
    if result.pages > 1:
        lines.append(t.gettext("Page {page} of {pages}", page=result.page + 1, pages=result.pages))
    if result.page + 1 < result.pages:
        pager.append((t.plain("➡️"), cb("as", "ls", result.page + 1, k, s)))
    if pager:
        rows.append(pager)
    kinds = [
        (("✅ " if kind == value.value else "") + t.plain(title), cb("as", "ls", 0, value.value, s))
        for value, title in associations.KIND_SHORT.items()
    ]
    rows.extend(columns(kinds, 3))
    rows.append(
        [
            (t.plain("📚 Subject…"), cb("as", "subj", k)),
            (t.plain("✖ Reset filters"), cb("as", "ls", 0, "_", "_")),
        ]
    )
    await show(update, context, "\n".join(lines), inline(rows))


async def show_subject_filter(update: Update, context: BotContext, kind: str) -> None:
    t = context.t
    buttons = [(t.plain(title), cb("as", "ls", 0, kind, key)) for key, title in SUBJECTS.items()]
    await show(update, context, t.gettext("Choose a subject:"), inline(columns(buttons, 2)))


# card -----------------------------------------------------------------------------------------
def _card_text(context: BotContext, info: associations.Card) -> str:
    t = context.t
    a = info.association
    return context.render.render(
        "associations/card.html",
        t,
        title=a.name,
        kind=t.plain(associations.KIND_TITLES[a.kind]),
        topic=a.topic or "",
        leader=info.leader.full_name if info.leader else None,
        members=t.nplain("{n} member", "{n} members", info.members),
        cap=a.member_cap,
        scope=t.plain(associations.SCOPE_TITLES[a.subject_scope]),
        subjects=", ".join(t.plain(subject_title(s)) for s in a.subjects or []),
        period=t.plain(
            "{start} – {end}",
            start=format_date(a.period_start, t.language),
            end=format_date(a.period_end, t.language),
        ),
        policy=t.plain(associations.POLICY_TITLES[a.join_policy]),
        parent=info.parent.name if info.parent else None,
        children=[c.name for c in info.children],
        order=a.order_ref,
        role=t.plain(associations.ROLE_TITLES[info.viewer_role]) if info.viewer_role else None,
        requested=info.viewer_status is not None and info.viewer_status.value == "requested",
        code=a.join_code if info.can_manage else None,
        link=join_link(context, a) if info.can_manage else None,
        has_chat=a.chat_id is not None,
        next_meeting=t.plain(
            "№ {number}, {when}: {topic}",
            number=info.next_meeting.number,
            when=format_datetime(info.next_meeting.starts_at, a.timezone, t.language),
            topic=info.next_meeting.topic,
        )
        if info.next_meeting
        else None,
    )


def _card_keyboard(context: BotContext, info: associations.Card) -> InlineKeyboardMarkup:
    t = context.t
    a = info.association
    rows: list[list[tuple[str, str]]] = []
    if info.viewer_status is None or info.viewer_status.value in ("left", "declined"):
        rows.append([(t.plain("➕ Join"), cb("as", "join", a.id))])
    if info.viewer_role is not None and info.viewer_role != MemberRole.LEADER:
        rows.append([(t.plain("🚪 Leave"), cb("as", "leave", a.id))])
    for child in info.children[:5]:
        rows.append([("↳ " + child.name[:55], cb("as", "card", child.id))])
    if info.can_manage:
        rows.append(
            [
                (t.plain("👥 Members"), cb("mb", "ls", a.id, 0)),
                (t.plain("📨 Requests"), cb("as", "req", a.id)),
            ]
        )
        rows.append(
            [
                (t.plain("🔗 Invitation link"), cb("as", "inv", a.id)),
                (t.plain("📜 Rules"), cb("as", "rules", a.id)),
            ]
        )
        rows.append([(t.plain("📣 Announcement"), cb("an", "new", a.id))])
    if info.can_edit:
        rows.append([(t.plain("✏️ Edit details"), cb("as", "edit", a.id))])
    rows.append([(t.plain("⬅️ Catalogue"), cb("as", "ls", 0, "_", "_"))])
    return inline(rows)


async def show_card(update: Update, context: BotContext, association_id: int) -> None:
    info = await associations.card(
        context.session, actor=context.actor, association_id=association_id
    )
    await show(update, context, _card_text(context, info), _card_keyboard(context, info))


# joining --------------------------------------------------------------------------------------
async def join_command(update: Update, context: BotContext) -> None:
    if not context.args:
        await reply(
            update,
            context,
            context.t.gettext(
                "Send the association's code after the command, for example: "
                "<code>/join AB12CD</code>. The leader can tell you the code."
            ),
        )
        return
    code = context.args[0]
    user = context.user
    if (user is None or not user.is_registered) and deeplinks.clean(code):
        from handlers.registration import start_registration

        await start_registration(update, context, f"join_{code}")
        return
    await join_by_code(update, context, code, via="code")


async def join_deep_link(update: Update, context: BotContext, rest: str) -> None:
    code, _, token = rest.partition("-")
    await join_by_code(update, context, code, via="link", token=token or None)


async def join_by_code(
    update: Update, context: BotContext, code: str, *, via: str, token: str | None = None
) -> None:
    try:
        association = await associations.by_code(context.session, code)
        result = await memberships.join(
            context.session,
            actor=context.actor,
            association_id=association.id,
            via=via,
            token=token,
        )
    except DomainError as error:
        await explain(update, context, error)
        return
    await render_join(update, context, result)


async def render_join(update: Update, context: BotContext, result: memberships.JoinResult) -> None:
    t = context.t
    a = result.association
    outcome = result.outcome
    if outcome == memberships.Outcome.ALREADY_MEMBER:
        await reply(
            update, context, t.gettext("You are already a member of «{name}».", name=a.name)
        )
        return
    if outcome == memberships.Outcome.ALREADY_REQUESTED:
        await reply(
            update,
            context,
            t.gettext("Your request to join «{name}» is waiting for the leader.", name=a.name),
        )
        return
    if outcome == memberships.Outcome.FULL:
        await reply(
            update,
            context,
            t.gettext(
                "«{name}» is full: all {n} places are taken. You may join the waiting list: when a "
                "place frees up, I will offer it to you.",
                name=a.name,
                n=a.member_cap or 0,
            ),
            inline([[(t.plain("⏳ Join the waiting list"), cb("as", "wait", a.id))]]),
        )
        return
    if outcome == memberships.Outcome.WAITING:
        await reply(
            update,
            context,
            t.gettext("You are already on the waiting list of «{name}».", name=a.name),
        )
        return
    if outcome == memberships.Outcome.REQUESTED:
        for manager in result.managers:
            await notify(
                context,
                manager,
                N_("📨 {applicant} ({organisation}) asks to join «{name}»."),
                applicant=result.user.full_name or "",
                organisation=result.user.organisation or "",
                name=a.name,
                buttons=[
                    [
                        (N_("✅ Approve"), cb("mj", "ok", result.membership.id)),
                        (N_("✖ Decline"), cb("mj", "no", result.membership.id)),
                    ]
                ],
                dedupe_key=f"joinreq:{result.membership.id}:{manager.id}:{result.membership.requested_at.timestamp():.0f}",
            )
        await reply(
            update,
            context,
            t.gettext(
                "Your request to join «{name}» has been sent to the leader. I will tell you the "
                "answer.",
                name=a.name,
            ),
        )
        return
    await reply(update, context, await welcome_text(context, t, a))


async def welcome_text(context: BotContext, t: Translator, a: Association) -> str:
    text = t.gettext("🎉 Welcome to «{name}»!", name=a.name)
    link = await associations.chat_link(context.session, a.id)
    if link:
        text += "\n\n" + t.gettext(
            "The group chat: {link} — send a request to join, I will let you in.", link=link
        )
    if a.rules_text:
        text += "\n\n" + t.gettext("<b>Rules</b>\n{rules}", rules=a.rules_text)
    return text


async def decide_button(update: Update, context: BotContext) -> None:
    data = parse(update.callback_query.data if update.callback_query else None)
    try:
        membership_id = data.int_arg(0) if data else None
    except ValueError:
        membership_id = None
    if data is None or membership_id is None or data.action not in ("ok", "no"):
        await alert(update, context.t.plain(STALE))
        return
    try:
        decision = await memberships.decide_request(
            context.session,
            actor=context.actor,
            membership_id=membership_id,
            approve=data.action == "ok",
        )
    except DomainError as error:
        await explain(update, context, error)
        return
    t = context.t
    a = decision.association
    if decision.approved:
        applicant_t = translator_for(context, decision.applicant)
        await outbox_service.enqueue_text(
            context.session,
            decision.applicant.telegram_id or 0,
            applicant_t.gettext("✅ Your request to join «{name}» is approved.", name=a.name)
            + "\n\n"
            + await welcome_text(context, applicant_t, a),
        )
        verdict = t.gettext(
            "✅ {applicant} is now a member of «{name}».",
            applicant=decision.applicant.full_name or "",
            name=a.name,
        )
    else:
        await notify(
            context,
            decision.applicant,
            N_("Your request to join «{name}» was declined by the leader."),
            name=a.name,
        )
        verdict = t.gettext(
            "✖ The request of {applicant} is declined.",
            applicant=decision.applicant.full_name or "",
        )
    await ack(update)
    await show(update, context, verdict)


# waiting list ---------------------------------------------------------------------------------
def _offer_message(t: Translator, offer: memberships.Offer) -> outbox_service.Outgoing:
    expires = offer.entry.offer_expires_at
    assert expires is not None
    return outbox_service.Outgoing(
        chat_id=offer.user.telegram_id or 0,
        text=t.gettext(
            "A place is free in «{name}». It is kept for you until {until}: press the button "
            "to join.",
            name=offer.association.name,
            until=format_datetime(expires, offer.association.timezone, t.language),
        ),
        buttons=[
            [{"text": t.plain("✅ Take the place"), "callback": cb("wl", "take", offer.entry.id)}]
        ],
        dedupe_key=f"offer:{offer.entry.id}",
    )


async def offer_places(
    context: BotContext, offers: list[memberships.Offer], session: AsyncSession | None = None
) -> None:
    """Write each offer to its person (in the update's session unless another is given)."""
    messages = [_offer_message(translator_for(context, o.user), o) for o in offers]
    await outbox_service.enqueue(session or context.session, messages)


async def waiting_button(update: Update, context: BotContext) -> None:
    data = parse(update.callback_query.data if update.callback_query else None)
    try:
        entry_id = data.int_arg(0) if data else None
    except ValueError:
        entry_id = None
    if data is None or data.action != "take" or entry_id is None:
        await alert(update, context.t.plain(STALE))
        return
    try:
        result = await memberships.accept_offer(
            context.session, actor=context.actor, entry_id=entry_id
        )
    except DomainError as error:
        await explain(update, context, error)
        return
    await ack(update)
    await render_join(update, context, result)


async def expire_offers_sweep(context: BotContext) -> None:
    """Periodic: lapsed offers pass on to the next in line."""

    async def pass_on(session: AsyncSession) -> None:
        await offer_places(context, await memberships.expire_offers(session), session)

    await jobs.sweep_into_outbox(context, pass_on)


# leaving --------------------------------------------------------------------------------------
async def leave_command(update: Update, context: BotContext) -> None:
    user = context.user
    if user is None or not user.is_registered:
        await reply(update, context, context.t.gettext("Please register first: send /start."))
        return
    mine = await associations.mine(context.session, user.id)
    t = context.t
    if not mine:
        await reply(update, context, t.gettext("You are not a member of any association."))
        return
    rows = [[(a.name[:60], cb("as", "leave", a.id))] for a, _ in mine]
    await reply(update, context, t.gettext("Which association do you want to leave?"), inline(rows))


async def confirm_leave(update: Update, context: BotContext, association_id: int) -> None:
    t = context.t
    association = await associations.get(context.session, association_id)
    await show(
        update,
        context,
        t.gettext("Leave «{name}»? You can join again later.", name=association.name),
        inline(
            [
                [
                    (t.plain("🚪 Yes, leave"), cb("as", "bye", association_id)),
                    (t.plain("Stay"), cb("as", "card", association_id)),
                ]
            ]
        ),
    )


async def do_leave(update: Update, context: BotContext, association_id: int) -> None:
    departure = await memberships.leave(
        context.session, actor=context.actor, association_id=association_id
    )
    await remove_from_chat(context, departure.association, departure.user)
    await offer_places(context, departure.offers)
    await show(
        update,
        context,
        context.t.gettext("You have left «{name}».", name=departure.association.name),
    )


async def remove_from_chat(context: BotContext, association: Association, user: User) -> None:
    """Take a person out of the association's group (they may come back if re-admitted)."""
    from telegram.error import TelegramError

    if association.chat_id is None or user.telegram_id is None:
        return
    try:
        await context.bot.ban_chat_member(association.chat_id, user.telegram_id)
        await context.bot.unban_chat_member(
            association.chat_id, user.telegram_id, only_if_banned=True
        )
    except TelegramError as error:
        # The membership has ended all the same; the group's admins see who is still there.
        log.warning(
            "could not remove user %s from the group of association %s: %s",
            user.id,
            association.id,
            error,
        )


# management buttons ---------------------------------------------------------------------------
async def show_requests(update: Update, context: BotContext, association_id: int) -> None:
    t = context.t
    pending = await memberships.pending_requests(
        context.session, actor=context.actor, association_id=association_id
    )
    if not pending:
        text = t.gettext("No requests are waiting.")
    else:
        text = t.gettext("<b>Requests to join</b>")
    rows = []
    for entry in pending[:10]:
        text += "\n• " + t.gettext(
            "{name}, {organisation}",
            name=entry.user.full_name or "",
            organisation=entry.user.organisation or "",
        )
        rows.append(
            [
                ("✅ " + (entry.user.full_name or "")[:40], cb("mj", "ok", entry.membership.id)),
                (t.plain("✖ Decline"), cb("mj", "no", entry.membership.id)),
            ]
        )
    rows.append([(t.plain("⬅️ Back"), cb("as", "card", association_id))])
    await show(update, context, text, inline(rows))


async def issue_invitation(update: Update, context: BotContext, association_id: int) -> None:
    invitation = await memberships.create_invitation(
        context.session, actor=context.actor, association_id=association_id
    )
    association = await associations.get(context.session, association_id)
    await reply(
        update,
        context,
        context.t.gettext(
            "An invitation link to «{name}»: {link}\nWhoever opens it joins without approval "
            "(within the member limit).",
            name=association.name,
            link=join_link(context, association, invitation.token),
        ),
    )


async def route_button(
    update: Update,
    context: BotContext,
    route: Callable[[Update, BotContext, Callback], Awaitable[None]],
) -> None:
    """Parse a button, run its route, stop the spinner; forged or stale data gets an alert.

    A rule that says no (DomainError) goes to the global error handler, which rolls the
    update back and answers with the reason.
    """
    data = parse(update.callback_query.data if update.callback_query else None)
    if data is None:
        await alert(update, context.t.plain(STALE))
        return
    try:
        await route(update, context, data)
    except ValueError:
        await alert(update, context.t.plain(STALE))
        return
    await ack(update)


async def catalogue_button(update: Update, context: BotContext) -> None:
    await route_button(update, context, _route)


async def _route(update: Update, context: BotContext, data: Callback) -> None:
    action = data.action
    if action == "ls":
        kind, subject = data.arg(1, "_"), data.arg(2, "_")
        if kind != "_" and kind not in {k.value for k in AssociationKind}:
            raise ValueError(kind)
        if subject != "_" and subject not in SUBJECTS:
            raise ValueError(subject)
        await show_catalogue(
            update,
            context,
            page=data.int_arg(0),
            kind=None if kind == "_" else kind,
            subject=None if subject == "_" else subject,
        )
    elif action == "subj":
        await show_subject_filter(update, context, data.arg(0, "_") or "_")
    elif action == "card":
        await show_card(update, context, data.int_arg(0))
    elif action == "join":
        result = await memberships.join(
            context.session, actor=context.actor, association_id=data.int_arg(0), via="catalogue"
        )
        await render_join(update, context, result)
    elif action == "wait":
        association_id = data.int_arg(0)
        entry = await memberships.wait_for_place(
            context.session, actor=context.actor, association_id=association_id
        )
        position = await memberships.waiting_position(context.session, entry)
        # A place may have freed up since the "full" answer: offer it at once.
        await offer_places(
            context,
            await memberships.offer_free_places(
                context.session, await associations.get(context.session, association_id)
            ),
        )
        await show(
            update,
            context,
            context.t.gettext(
                "You are on the waiting list, number {position}. I will write when a place is "
                "free.",
                position=position,
            ),
        )
    elif action == "leave":
        await confirm_leave(update, context, data.int_arg(0))
    elif action == "bye":
        await do_leave(update, context, data.int_arg(0))
    elif action == "req":
        await show_requests(update, context, data.int_arg(0))
    elif action == "inv":
        await issue_invitation(update, context, data.int_arg(0))
    elif action == "rules":
        association_id = data.int_arg(0)
        await associations.require_leader(
            context.session, actor=context.actor, association_id=association_id
        )
        await RULES.start(update, context, "text", {"association_id": association_id})
    elif action == "edit":
        await start_editing(update, context, data.int_arg(0))
    else:
        raise ValueError(action)


# rules dialog ---------------------------------------------------------------------------------
RULES = register_dialog(Dialog("asr"))


async def ask_rules(turn: Turn) -> None:
    association = await associations.get(turn.context.session, turn.data["association_id"])
    current = association.rules_text
    text = turn.t.gettext("Send the rules newcomers will see (5 to 3000 characters).")
    if current:
        text += "\n\n" + turn.t.gettext("Now: {rules}", rules=current)
    await turn.say(text)


async def on_rules(turn: Turn, text: str) -> None:
    try:
        association = await associations.set_rules(
            turn.context.session,
            actor=turn.context.actor,
            association_id=turn.data["association_id"],
            text=text,
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await turn.finish()
    await turn.say(turn.t.gettext("The rules of «{name}» are saved.", name=association.name))


RULES.step("text", ask=ask_rules, on_text=on_rules)


# proposals ------------------------------------------------------------------------------------
async def proposal_button(update: Update, context: BotContext) -> None:
    data = parse(update.callback_query.data if update.callback_query else None)
    try:
        association_id = data.int_arg(0) if data else None
    except ValueError:
        association_id = None
    if data is None or association_id is None or data.action not in ("ok", "no"):
        await alert(update, context.t.plain(STALE))
        return
    try:
        decision = await associations.decide_proposal(
            context.session,
            actor=context.actor,
            association_id=association_id,
            approve=data.action == "ok",
        )
    except DomainError as error:
        await explain(update, context, error)
        return
    a = decision.association
    if decision.initiator is not None:
        if decision.approved:
            await notify(
                context,
                decision.initiator,
                N_(
                    "✅ Your proposal «{name}» is approved. You are its leader. The join code is "
                    "{code}; the link: {link}"
                ),
                name=a.name,
                code=a.join_code,
                link=join_link(context, a),
            )
        else:
            await notify(
                context,
                decision.initiator,
                N_("Your proposal «{name}» was not approved."),
                name=a.name,
            )
    await ack(update)
    await show(
        update,
        context,
        context.t.gettext("✅ «{name}» is approved.", name=a.name)
        if decision.approved
        else context.t.gettext("✖ «{name}» is rejected.", name=a.name),
    )


# creation and proposal dialog ------------------------------------------------------------------
CREATE = register_dialog(Dialog("asc"))


async def new_association(update: Update, context: BotContext) -> None:
    await associations.ensure_can_create(context.session, actor=context.actor)
    await CREATE.start(update, context, "kind", {"mode": "create"})


async def propose(update: Update, context: BotContext) -> None:
    user = context.user
    if user is None or not user.is_registered:
        await reply(update, context, context.t.gettext("Please register first: send /start."))
        return
    await CREATE.start(update, context, "kind", {"mode": "propose"})


async def start_editing(update: Update, context: BotContext, association_id: int) -> None:
    """The creation dialog's summary, filled from the association, saving changes to it."""
    await associations.require_editor(
        context.session, actor=context.actor, association_id=association_id
    )
    a = await associations.get(context.session, association_id)
    parent = await context.session.get(Association, a.parent_id) if a.parent_id else None
    leader = await associations.leader_of(context.session, a.id)
    data = {
        "mode": "edit",
        "review": True,
        "association_id": a.id,
        "kind": a.kind.value,
        "name": a.name,
        "topic": a.topic or "",
        "goals": a.goals,
        "period_start": a.period_start.isoformat(),
        "period_end": a.period_end.isoformat(),
        "scope": a.subject_scope.value,
        "subjects": list(a.subjects or []),
        "policy": a.join_policy.value,
        "cap": a.member_cap,
        "order": a.order_ref,
        "parent_name": parent.name if parent else None,
        "leader_name": leader.full_name if leader else None,
        "timezone": a.timezone,
    }
    await CREATE.start(update, context, "summary", data)


async def _next(turn: Turn, current: str) -> None:
    order = [
        "kind",
        "name",
        "topic",
        "goals",
        "period",
        "scope",
        "subjects",
        "policy",
        "cap",
        "parent",
        "order",
    ]
    if turn.data.get("mode") == "create":
        order.append("leader")
    if turn.data.get("review") or current == order[-1]:
        await turn.goto("summary")
        return
    await turn.goto(order[order.index(current) + 1])


async def ask_kind(turn: Turn) -> None:
    t = turn.t
    intro = (
        t.gettext("<b>A new association.</b> What kind is it?")
        if turn.data.get("mode") == "create"
        else t.gettext(
            "<b>Proposing an association.</b> It will be a draft until a methodist or approver "
            "approves it. What kind is it?"
        )
    )
    buttons = [
        (t.plain(title), cb("asc", "kind", k.value))
        for k, title in associations.KIND_TITLES.items()
    ]
    await turn.say(intro, inline(columns(buttons, 1)))


async def on_kind(turn: Turn, data: Callback) -> None:
    if data.action != "kind" or data.arg(0) not in {k.value for k in AssociationKind}:
        await turn.repeat()
        return
    kind = AssociationKind(data.arg(0) or "")
    turn.put(kind=kind.value)
    await turn.show(
        turn.t.gettext("Kind: <b>{kind}</b>", kind=turn.t.plain(associations.KIND_TITLES[kind]))
    )
    await _next(turn, "kind")


def _text_step(key: str, question: str, clean):  # type: ignore[no-untyped-def]
    async def ask(turn: Turn) -> None:
        await turn.say(turn.t.gettext(question))

    return ask, cleaned_answer(key, clean, partial(_next, current=key))


async def ask_goals(turn: Turn) -> None:
    t = turn.t
    await turn.say(
        t.gettext(
            "<b>Goals and objectives</b> of the association: what it works towards and what it "
            "will do (3 to 1000 characters). Or press «Skip»."
        ),
        inline([[(t.plain("Skip"), cb("asc", "goals", "skip"))]]),
    )


on_goals_text = cleaned_answer("goals", associations.clean_goals, partial(_next, current="goals"))


async def on_goals_skip(turn: Turn, data: Callback) -> None:
    if data.action != "goals" or data.arg(0) != "skip":
        await turn.repeat()
        return
    turn.put(goals=None)
    await turn.show(turn.t.gettext("Goals and objectives: <b>not given</b>"))
    await _next(turn, "goals")


def _period(data: dict) -> tuple[date, date]:
    """The chosen period, or the current academic year."""
    if data.get("period_start") and data.get("period_end"):
        return date.fromisoformat(data["period_start"]), date.fromisoformat(data["period_end"])
    return associations.default_period()


def _period_text(t: Translator, start: date, end: date) -> str:
    return t.plain(
        "{start} – {end}",
        start=format_date(start, t.language),
        end=format_date(end, t.language),
    )


def _year_button(t: Translator) -> tuple[str, str]:
    start, _ = associations.default_period()
    return (
        t.plain("{years} academic year", years=academic_year_label(start.year)),
        cb("asc", "per", "year"),
    )


async def ask_period(turn: Turn) -> None:
    t = turn.t
    if turn.data.get("period_typing"):
        await turn.say(
            t.gettext(
                "Send the start and the end of the period, for example: "
                "<code>01.09.2026 – 31.05.2027</code>. Or choose the current academic year."
            ),
            inline([[_year_button(t)]]),
        )
        return
    await turn.say(
        t.gettext("For what period is the association set up?"),
        inline([[_year_button(t)], [(t.plain("Another period…"), cb("asc", "per", "other"))]]),
    )


async def _keep_period(turn: Turn, start: date, end: date) -> None:
    turn.drop("period_typing")
    turn.put(period_start=start.isoformat(), period_end=end.isoformat())
    await _next(turn, "period")


async def on_period_button(turn: Turn, data: Callback) -> None:
    if data.action != "per" or data.arg(0) not in ("year", "other"):
        await turn.repeat()
        return
    if data.arg(0) == "other":
        turn.put(period_typing=True)
        await turn.repeat()
        return
    start, end = associations.default_period()
    await turn.show(
        turn.t.gettext("Period: <b>{period}</b>", period=_period_text(turn.t, start, end))
    )
    await _keep_period(turn, start, end)


async def on_period_text(turn: Turn, text: str) -> None:
    try:
        start, end = associations.check_period(
            AssociationKind(turn.data["kind"]), *associations.parse_period(text)
        )
    except InvalidInput as error:
        await turn.refuse(error)
        return
    await _keep_period(turn, start, end)


async def ask_scope(turn: Turn) -> None:
    t = turn.t
    buttons = [
        (t.plain(title), cb("asc", "scope", k.value))
        for k, title in associations.SCOPE_TITLES.items()
    ]
    await turn.say(t.gettext("Which subject scope?"), inline(columns(buttons, 1)))


async def on_scope(turn: Turn, data: Callback) -> None:
    if data.action != "scope" or data.arg(0) not in {k.value for k in SubjectScope}:
        await turn.repeat()
        return
    turn.put(scope=data.arg(0))
    await turn.show(
        turn.t.gettext(
            "Scope: <b>{scope}</b>",
            scope=turn.t.plain(associations.SCOPE_TITLES[SubjectScope(data.arg(0) or "")]),
        )
    )
    await _next(turn, "scope")


def _subjects_keyboard(turn: Turn) -> InlineKeyboardMarkup:
    t, chosen = turn.t, set(turn.data.get("subjects", []))
    buttons = [
        (("✅ " if key in chosen else "") + t.plain(title), cb("asc", "subj", key))
        for key, title in SUBJECTS.items()
    ]
    rows = columns(buttons, 2)
    rows.append([(t.plain("Done ➡️"), cb("asc", "subj", "done"))])
    return inline(rows)


async def ask_subjects(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext("Which subjects? Tap all that apply, then «Done»."), _subjects_keyboard(turn)
    )


async def on_subjects(turn: Turn, data: Callback) -> None:
    choice = data.arg(0)
    if data.action != "subj" or choice is None:
        await turn.repeat()
        return
    chosen = list(turn.data.get("subjects", []))
    if choice == "done":
        if not chosen:
            await turn.say("⚠️ " + turn.t.gettext("Please choose at least one subject."))
            await turn.repeat()
            return
        if turn.data.get("scope") == SubjectScope.MONO.value and len(chosen) > 1:
            await turn.say(
                "⚠️ "
                + turn.t.gettext(
                    "A mono-subject association has exactly one subject. Please leave one, or go "
                    "back with /cancel and choose another scope."
                )
            )
            await turn.repeat()
            return
        await turn.show(
            turn.t.gettext(
                "Subjects: <b>{subjects}</b>",
                subjects=", ".join(turn.t.plain(subject_title(s)) for s in chosen),
            )
        )
        await _next(turn, "subjects")
        return
    if choice not in SUBJECTS:
        await turn.repeat()
        return
    chosen.remove(choice) if choice in chosen else chosen.append(choice)
    turn.put(subjects=chosen)
    await turn.show(
        turn.t.gettext("Which subjects? Tap all that apply, then «Done»."), _subjects_keyboard(turn)
    )


async def ask_policy(turn: Turn) -> None:
    t = turn.t
    buttons = [
        (t.plain(title), cb("asc", "pol", k.value))
        for k, title in associations.POLICY_TITLES.items()
    ]
    await turn.say(t.gettext("How do people join?"), inline(columns(buttons, 1)))


async def on_policy(turn: Turn, data: Callback) -> None:
    if data.action != "pol" or data.arg(0) not in {k.value for k in JoinPolicy}:
        await turn.repeat()
        return
    policy = JoinPolicy(data.arg(0) or "")
    turn.put(policy=policy.value)
    await turn.show(
        turn.t.gettext(
            "Joining: <b>{policy}</b>", policy=turn.t.plain(associations.POLICY_TITLES[policy])
        )
    )
    await _next(turn, "policy")


async def ask_cap(turn: Turn) -> None:
    t = turn.t
    default = associations.default_cap(AssociationKind(turn.data["kind"]))
    rows = []
    if default:
        rows.append([(t.plain("Keep {n}", n=default), cb("asc", "cap", default))])
    rows.append([(t.plain("No limit"), cb("asc", "cap", 0))])
    await turn.say(
        t.gettext("The largest number of members? Send a number, or choose below."), inline(rows)
    )


on_cap_text = cleaned_answer("cap", associations.clean_cap, partial(_next, current="cap"))


async def on_cap_button(turn: Turn, data: Callback) -> None:
    try:
        value = data.int_arg(0)
    except ValueError:
        await turn.repeat()
        return
    if data.action != "cap" or value < 0 or value > associations.MAX_CAP:
        await turn.repeat()
        return
    turn.put(cap=value or None)
    await _next(turn, "cap")


async def ask_parent(turn: Turn) -> None:
    t = turn.t
    await turn.say(
        t.gettext(
            "Is it a child community inside another association? Send a part of the parent's "
            "name, or press «No parent»."
        ),
        inline([[(t.plain("No parent"), cb("asc", "parent", 0))]]),
    )


async def on_parent_text(turn: Turn, text: str) -> None:
    found = await associations.parents_matching(turn.context.session, text)
    if not found:
        await turn.say("⚠️ " + turn.t.gettext("No active association has such a name."))
        await turn.repeat()
        return
    rows = [[(a.name[:60], cb("asc", "parent", a.id))] for a in found]
    rows.append([(turn.t.plain("No parent"), cb("asc", "parent", 0))])
    await turn.say(turn.t.gettext("Choose the parent association:"), inline(rows))


async def on_parent_button(turn: Turn, data: Callback) -> None:
    try:
        value = data.int_arg(0)
    except ValueError:
        await turn.repeat()
        return
    if data.action != "parent":
        await turn.repeat()
        return
    if value:
        parent = await turn.context.session.get(Association, value)
        if parent is None:
            await turn.repeat()
            return
        turn.put(parent_id=value, parent_name=parent.name)
    else:
        turn.drop("parent_id", "parent_name")
    await _next(turn, "parent")


async def ask_order(turn: Turn) -> None:
    t = turn.t
    await turn.say(
        t.gettext(
            "The approving order, if there is one: its number and date, for example "
            "<i>15 from 01.09.2026</i>. Or press «Skip»."
        ),
        inline([[(t.plain("Skip"), cb("asc", "order", "skip"))]]),
    )


on_order_text = cleaned_answer("order", associations.clean_order, partial(_next, current="order"))


async def on_order_skip(turn: Turn, data: Callback) -> None:
    if data.action != "order":
        await turn.repeat()
        return
    turn.put(order=None)
    await _next(turn, "order")


async def ask_leader(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Who will lead it? Send a part of the teacher's surname (they must be registered)."
        )
    )


async def on_leader_text(turn: Turn, text: str) -> None:
    from services.users import search_users

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
    try:
        user_id = data.int_arg(0)
    except ValueError:
        await turn.repeat()
        return
    leader = await turn.context.session.get(User, user_id)
    if data.action != "lead" or leader is None or not leader.is_registered:
        await turn.repeat()
        return
    turn.put(leader_id=leader.id, leader_name=leader.full_name)
    await _next(turn, "leader")


def _draft(data: dict, timezone: str) -> associations.Draft:
    return associations.Draft(
        kind=AssociationKind(data["kind"]),
        name=data["name"],
        topic=data["topic"],
        subject_scope=SubjectScope(data["scope"]),
        subjects=list(data.get("subjects", [])),
        join_policy=JoinPolicy(data["policy"]),
        leader_user_id=data.get("leader_id"),
        member_cap=data.get("cap"),
        parent_id=data.get("parent_id"),
        order_ref=data.get("order"),
        period=_period(data),
        goals=data.get("goals"),
        timezone=timezone,
    )


async def ask_summary(turn: Turn) -> None:
    t, d = turn.t, turn.data
    kind = AssociationKind(d["kind"])
    start, end = _period(d)
    text = turn.context.render.render(
        "associations/summary.html",
        t,
        kind=t.plain(associations.KIND_TITLES[kind]),
        title=d["name"],
        topic=d["topic"],
        scope=t.plain(associations.SCOPE_TITLES[SubjectScope(d["scope"])]),
        subjects=", ".join(t.plain(subject_title(s)) for s in d.get("subjects", [])),
        policy=t.plain(associations.POLICY_TITLES[JoinPolicy(d["policy"])]),
        cap=d.get("cap"),
        parent=d.get("parent_name"),
        order=d.get("order"),
        leader=d.get("leader_name"),
        period=_period_text(t, start, end),
    )
    text = (
        text.rstrip()
        + "\n"
        + (
            t.gettext("🎯 Goals and objectives: {goals}", goals=d["goals"])
            if d.get("goals")
            else t.gettext("🎯 Goals and objectives: not given")
        )
    )
    edits = [
        (t.plain("✏️ Title"), cb("asc", "edit", "name")),
        (t.plain("✏️ Topic"), cb("asc", "edit", "topic")),
        (t.plain("✏️ Goals"), cb("asc", "edit", "goals")),
        (t.plain("✏️ Period"), cb("asc", "edit", "period")),
        (t.plain("✏️ Limit"), cb("asc", "edit", "cap")),
        (t.plain("✏️ Order"), cb("asc", "edit", "order")),
    ]
    if d.get("mode") == "edit":
        text += "\n" + t.gettext("🕰 Time zone: {zone}", zone=zone_title(t, d["timezone"]))
        edits.append((t.plain("✏️ Time zone"), cb("asc", "edit", "timezone")))
    label = _SAVE_LABELS[d.get("mode", "create")]
    rows = columns(edits, 2)
    rows.append([(t.plain(label), cb("asc", "save"))])
    await turn.say(text, inline(rows))


EDITABLE = ("name", "topic", "goals", "period", "cap", "order", "timezone")
_SAVE_LABELS = {
    "create": N_("✅ Create"),
    "propose": N_("📨 Send the proposal"),
    "edit": N_("💾 Save changes"),
}


async def on_summary(turn: Turn, data: Callback) -> None:
    if data.action == "edit" and data.arg(0) in EDITABLE:
        turn.drop("period_typing")
        turn.put(review=True)
        await turn.goto(data.arg(0) or "name")
        return
    if data.action != "save":
        await turn.repeat()
        return
    if turn.data.get("mode") == "edit":
        await _save_changes(turn)
        return
    context = turn.context
    draft = _draft(turn.data, context.settings.default_timezone)
    try:
        if turn.data.get("mode") == "create":
            association = await associations.create_association(
                context.session, actor=context.actor, draft=draft
            )
        else:
            association = await associations.propose_association(
                context.session, actor=context.actor, draft=draft
            )
    except associations.PeriodError as error:
        # e.g. the chosen period ended while the dialog waited: ask for it again
        await turn.say(turn.t.error(error))
        turn.drop("period_start", "period_end", "period_typing")
        turn.put(review=True)
        await turn.goto("period")
        return
    except associations.BadGoals as error:
        await turn.say(turn.t.error(error))
        turn.put(review=True)
        await turn.goto("goals")
        return
    if turn.data.get("mode") == "create":
        leader = await context.session.get(User, draft.leader_user_id)
        await turn.finish()
        await turn.show(
            turn.t.gettext(
                "✅ «{name}» is created. Join code: <code>{code}</code>\nLink: {link}",
                name=association.name,
                code=association.join_code,
                link=join_link(context, association),
            )
        )
        if leader is not None and leader.telegram_id != turn.state.user_id:
            await notify(
                context,
                leader,
                N_(
                    "You are appointed leader of «{name}». Join code: {code}; link to share: "
                    "{link}\nAdd me to the group chat and send /bind {code} there."
                ),
                name=association.name,
                code=association.join_code,
                link=join_link(context, association),
            )
        return
    await turn.finish()
    for approver in await associations.approvers(context.session):
        await notify(
            context,
            approver,
            N_("📨 {initiator} proposes a new association «{name}». Topic: {topic}"),
            initiator=context.user.full_name if context.user else "",
            name=association.name,
            topic=association.topic or "",
            buttons=[
                [
                    (N_("✅ Approve"), cb("ap", "ok", association.id)),
                    (N_("✖ Reject"), cb("ap", "no", association.id)),
                ]
            ],
            dedupe_key=f"proposal:{association.id}:{approver.id}",
        )
    await turn.show(
        turn.t.gettext(
            "📨 Your proposal «{name}» is sent for approval. I will tell you the decision.",
            name=association.name,
        )
    )


async def _save_changes(turn: Turn) -> None:
    context, d = turn.context, turn.data
    details = associations.Details(
        name=d["name"],
        topic=d["topic"],
        goals=d.get("goals"),
        period=_period(d),
        member_cap=d.get("cap"),
        order_ref=d.get("order"),
        timezone=d["timezone"],
    )
    try:
        changed = await associations.update_details(
            context.session,
            actor=context.actor,
            association_id=d["association_id"],
            details=details,
        )
    except InvalidInput as error:
        await turn.say(turn.t.error(error))
        step = _STEP_OF_ERROR.get(type(error))
        if step is None:
            await turn.repeat()
            return
        turn.drop("period_typing")
        await turn.goto(step)
        return
    association = await associations.get(context.session, d["association_id"])
    if "member_cap" in changed:
        await offer_places(
            context, await memberships.offer_free_places(context.session, association)
        )
    await turn.finish()
    text = (
        turn.t.gettext("💾 The changes to «{name}» are saved.", name=association.name)
        if changed
        else turn.t.gettext("Nothing has changed in «{name}».", name=association.name)
    )
    await turn.show(text)


_STEP_OF_ERROR: dict[type, str] = {
    associations.CapBelowMembers: "cap",
    associations.PeriodInPast: "period",
    associations.PeriodReversed: "period",
    associations.PeriodTooLong: "period",
    associations.PeriodTooLongForVpo: "period",
    associations.UnknownTimeZone: "timezone",
}


async def ask_timezone(turn: Turn) -> None:
    t = turn.t
    buttons = [
        (t.plain(title), cb("asc", "tz", index)) for index, title in enumerate(TIME_ZONES.values())
    ]
    await turn.say(
        t.gettext("In which time zone does the association work? Meeting times follow it."),
        inline(columns(buttons, 2)),
    )


async def on_timezone(turn: Turn, data: Callback) -> None:
    zones = list(TIME_ZONES)
    try:
        index = data.int_arg(0)
    except ValueError:
        index = -1
    if data.action != "tz" or not 0 <= index < len(zones):
        await turn.repeat()
        return
    turn.put(timezone=zones[index])
    await turn.goto("summary")


def _setup_creation() -> None:
    CREATE.step("kind", ask=ask_kind, on_button=on_kind)
    ask, on_text = _text_step(
        "name",
        N_("The association's name, for example: <i>VMO of mathematics teachers</i>."),
        associations.clean_name,
    )
    CREATE.step("name", ask=ask, on_text=on_text)
    ask, on_text = _text_step(
        "topic",
        N_("The methodological topic it works on."),
        associations.clean_topic,
    )
    CREATE.step("topic", ask=ask, on_text=on_text)
    CREATE.step("goals", ask=ask_goals, on_text=on_goals_text, on_button=on_goals_skip)
    CREATE.step("period", ask=ask_period, on_text=on_period_text, on_button=on_period_button)
    CREATE.step("scope", ask=ask_scope, on_button=on_scope)
    CREATE.step("subjects", ask=ask_subjects, on_button=on_subjects)
    CREATE.step("policy", ask=ask_policy, on_button=on_policy)
    CREATE.step("cap", ask=ask_cap, on_text=on_cap_text, on_button=on_cap_button)
    CREATE.step("parent", ask=ask_parent, on_text=on_parent_text, on_button=on_parent_button)
    CREATE.step("order", ask=ask_order, on_text=on_order_text, on_button=on_order_skip)
    CREATE.step("leader", ask=ask_leader, on_text=on_leader_text, on_button=on_leader_button)
    CREATE.step("timezone", ask=ask_timezone, on_button=on_timezone)
    CREATE.step("summary", ask=ask_summary, on_button=on_summary)


_setup_creation()


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("associations", catalogue_command, filters=private))
    app.add_handler(CommandHandler("join", join_command, filters=private))
    app.add_handler(CommandHandler("leave", leave_command, filters=private))
    app.add_handler(CallbackQueryHandler(catalogue_button, pattern=pattern("as")))
    app.add_handler(CallbackQueryHandler(decide_button, pattern=pattern("mj")))
    app.add_handler(CallbackQueryHandler(waiting_button, pattern=pattern("wl")))
    app.add_handler(CallbackQueryHandler(proposal_button, pattern=pattern("ap")))
    app.add_handler(CommandHandler("new_association", new_association, filters=private))
    app.add_handler(CommandHandler("propose", propose, filters=private))
    deeplinks.on_payload("join_", join_deep_link)
    _once()


_scheduled: list[bool] = []


def _menu_rows(context: BotContext) -> list[list[tuple[str, str]]]:
    return [[(context.t.plain("🏛 Associations"), cb("as", "ls", 0, "_", "_"))]]


def _once() -> None:
    """Process-wide hooks: registered once even when the application is built again."""
    if not _scheduled:
        _scheduled.append(True)
        jobs.add_sweep(expire_offers_sweep, every=timedelta(minutes=10), name="waiting-list-offers")
        extend_menu(_menu_rows)
