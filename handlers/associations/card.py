"""An association's card: what it is, who leads it, how to join it, how to get into its
group; its managers' buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.callbacks import cb
from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, show
from handlers.associations.links import join_link
from handlers.associations.presses import (
    BUTTONS,
    Edit,
    EditRules,
    Invite,
    Join,
    Leave,
    OpenCard,
    OpenCatalogue,
    ShowRequests,
)
from handlers.associations.texts import in_sentence
from handlers.members import OpenRoster
from handlers.regulations.buttons import OpenRegulation, SendGuide
from models import MemberRole, MembershipStatus
from services import associations
from services.catalogs import subject_title
from services.formatting import format_date, format_datetime

Rows = list[list[tuple[str, str]]]


def card_text(context: BotContext, info: associations.Card) -> str:
    t = context.t
    a = info.association
    meeting = info.next_meeting
    return context.render.render(
        "associations/card.html",
        t,
        title=a.name,
        kind=t.plain(associations.KIND_TITLES[a.kind]),
        organisation=a.organisation,
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
        policy=in_sentence(t.plain(associations.POLICY_TITLES[a.join_policy])),
        parent=info.parent.name if info.parent else None,
        children=[c.name for c in info.children],
        order=a.order_ref,
        role=t.plain(associations.ROLE_TITLES[info.viewer_role]) if info.viewer_role else None,
        requested=info.viewer_status == MembershipStatus.REQUESTED,
        chat_link=info.chat_link,
        code=a.join_code if info.can_manage else None,
        link=join_link(a, bot=context.bot) if info.can_manage else None,
        has_chat=a.chat_id is not None,
        next_meeting=t.plain(
            "№ {number}, {when}: {topic}",
            number=meeting.number,
            when=format_datetime(meeting.starts_at, a.timezone, t.language),
            topic=meeting.topic,
        )
        if meeting
        else None,
    )


def _manager_rows(context: BotContext, association_id: int) -> Rows:
    t = context.t
    return [
        [
            (t.plain("👥 Members"), OpenRoster(association_id, 0).data()),
            (t.plain("📨 Requests"), ShowRequests(association_id).data()),
        ],
        [
            (t.plain("🔗 Invitation link"), Invite(association_id).data()),
            (t.plain("📜 Rules"), EditRules(association_id).data()),
        ],
        [(t.plain("📣 Announcement"), cb("an", "new", association_id))],
    ]


def card_keyboard(context: BotContext, info: associations.Card) -> InlineKeyboardMarkup:
    t = context.t
    a = info.association
    rows: Rows = []
    if info.viewer_status in (None, MembershipStatus.LEFT, MembershipStatus.DECLINED):
        rows.append([(t.plain("➕ Join"), Join(a.id).data())])
    if info.viewer_role is not None and info.viewer_role != MemberRole.LEADER:
        rows.append([(t.plain("🚪 Leave"), Leave(a.id).data())])
    rows.extend(
        [("↳ " + child.name[:55], OpenCard(child.id).data())] for child in info.children[:5]
    )
    if info.viewer_role is not None or info.can_manage:
        rows.append(
            [
                (t.plain("📜 Regulation"), OpenRegulation(a.id).data()),
                (t.plain("📘 Participant's guide"), SendGuide(a.id).data()),
            ]
        )
    if info.can_manage:
        rows.extend(_manager_rows(context, a.id))
    if info.can_edit:
        rows.append([(t.plain("✏️ Edit details"), Edit(a.id).data())])
    rows.append([(t.plain("⬅️ Catalogue"), OpenCatalogue().data())])
    return inline(rows)


@BUTTONS.on(OpenCard)
async def open_card(update: Update, context: BotContext, press: OpenCard) -> None:
    info = await associations.card(
        context.session, actor=context.actor, association_id=press.association_id
    )
    await ack(update)
    await show(update, context, card_text(context, info), card_keyboard(context, info))
