"""/members: the roster with paging and search, PDF and CSV export, roles, removal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler, filters

from bot.buttons import ButtonTable, Press
from bot.commands import Audience, CommandSpec
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.group_members import remove_from_group
from bot.i18n import Translator
from bot.keyboards import inline
from bot.replies import ack, alert, reply, show
from handlers.activity.buttons import OpenRanking
from handlers.correspondence import fellows_command, write_row
from models import MemberRole
from services import associations, memberships, ranking
from services.formatting import format_date_short
from services.texts import N_

COMMANDS = [CommandSpec("members", N_("Members of your association"), Audience.REGISTERED)]
PER_PAGE = 10
ROLE_BUTTONS = (
    MemberRole.SECRETARY,
    MemberRole.ADMINISTRATOR,
    MemberRole.EXPERT,
    MemberRole.MEMBER,
)
BUTTONS = ButtonTable("mb", stale=N_("This button is out of date. Please open /members again."))
Rows = list[list[tuple[str, str]]]


@dataclass(frozen=True)
class OpenRoster(Press, prefix="mb", action="ls"):
    association_id: int
    page: int = 0


@dataclass(frozen=True)
class OpenMember(Press, prefix="mb", action="who"):
    association_id: int
    user_id: int


@dataclass(frozen=True)
class ExportPdf(Press, prefix="mb", action="pdf"):
    association_id: int


@dataclass(frozen=True)
class ExportCsv(Press, prefix="mb", action="csv"):
    association_id: int


@dataclass(frozen=True)
class Search(Press, prefix="mb", action="find"):
    association_id: int


@dataclass(frozen=True)
class SetRole(Press, prefix="mb", action="role"):
    association_id: int
    user_id: int
    role: MemberRole


@dataclass(frozen=True)
class HandOver(Press, prefix="mb", action="lead"):
    association_id: int
    user_id: int


@dataclass(frozen=True)
class Remove(Press, prefix="mb", action="rm"):
    association_id: int
    user_id: int


def _slug(name: str) -> str:
    return re.sub(r"[^0-9A-Za-zА-Яа-яЁё]+", "_", name).strip("_")[:40] or "roster"


async def members_command(update: Update, context: BotContext) -> None:
    t = context.t
    managed = await associations.kept_rosters(context.session, actor=context.actor)
    if not managed:  # a plain member: fellow members to write to (handlers/correspondence)
        await fellows_command(update, context)
        return
    if len(managed) == 1:
        await show_roster(update, context, managed[0].id, 0)
        return
    rows = [[(a.name[:60], OpenRoster(a.id).data())] for a in managed]
    await reply(update, context, t.gettext("Which association?"), inline(rows))


def _roster_rows(
    t: Translator, association_id: int, page: int, pages: int, leads: bool = False
) -> Rows:
    pager = []
    if page > 0:
        pager.append((t.plain("⬅️"), OpenRoster(association_id, page - 1).data()))
    if page + 1 < pages:
        pager.append((t.plain("➡️"), OpenRoster(association_id, page + 1).data()))
    tools = [
        (t.plain("🔍 Search"), Search(association_id).data()),
        (t.plain("📄 PDF"), ExportPdf(association_id).data()),
        (t.plain("📊 CSV"), ExportCsv(association_id).data()),
    ]
    rows = [pager, tools] if pager else [tools]
    if leads:  # the ranking and nominations (handlers/activity)
        rows.append([(t.plain("📊 Activity"), OpenRanking(association_id).data())])
    return rows


async def show_roster(
    update: Update, context: BotContext, association_id: int, page: int, search: str | None = None
) -> None:
    t = context.t
    roster = await memberships.roster_of(
        context.session, actor=context.actor, association_id=association_id, search=search
    )
    entries = roster.entries
    pages = max(1, -(-len(entries) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    lines = [
        t.gettext("<b>Members of «{name}»</b>", name=roster.association.name),
        t.ngettext("{n} member", "{n} members", len(entries)),
    ]
    if search:
        lines.append(t.gettext("Search: {text}", text=search))
    if pages > 1:
        lines.append(t.gettext("Page {page} of {pages}", page=page + 1, pages=pages))
    rows: Rows = []
    chosen = entries[page * PER_PAGE : (page + 1) * PER_PAGE]
    for number, entry in enumerate(chosen, page * PER_PAGE + 1):
        name = entry.user.full_name or ""
        role = t.plain(associations.ROLE_TITLES[entry.membership.role])
        lines.append(t.gettext("{number}. {name} — {role}", number=number, name=name, role=role))
        rows.append([(f"{number}. {name}"[:60], OpenMember(association_id, entry.user.id).data())])
    leads = await ranking.leads(context.session, actor=context.actor, association_id=association_id)
    rows.extend(_roster_rows(t, association_id, page, pages, leads))
    await show(update, context, "\n".join(lines), inline(rows))


@BUTTONS.on(OpenRoster)
async def open_roster(update: Update, context: BotContext, press: OpenRoster) -> None:
    await ack(update)
    await show_roster(update, context, press.association_id, press.page)


def _member_rows(t: Translator, association_id: int, user_id: int, current: MemberRole) -> Rows:
    def role_button(role: MemberRole) -> tuple[str, str]:
        mark = "✅ " if current == role else ""
        label = mark + t.plain(associations.ROLE_TITLES[role])
        return label, SetRole(association_id, user_id, role).data()

    return [
        [role_button(role) for role in ROLE_BUTTONS[:2]],
        [role_button(role) for role in ROLE_BUTTONS[2:]],
        [(t.plain("👑 Hand over the leadership"), HandOver(association_id, user_id).data())],
        [(t.plain("✖ Remove from the association"), Remove(association_id, user_id).data())],
    ]


async def show_member(
    update: Update, context: BotContext, association_id: int, user_id: int
) -> None:
    t = context.t
    entry = await memberships.roster_entry(
        context.session, actor=context.actor, association_id=association_id, user_id=user_id
    )
    if entry is None:
        await alert(update, t.plain("This person is no longer a member."))
        return
    user, membership = entry.user, entry.membership
    text = t.gettext(
        "<b>{name}</b>\n{organisation}\nRole: {role}\nJoined: {joined}",
        name=user.full_name or "",
        organisation=user.organisation or "",
        role=t.plain(associations.ROLE_TITLES[membership.role]),
        joined=format_date_short(membership.joined_at) if membership.joined_at else "—",
    )
    rows: Rows = []
    if membership.role != MemberRole.LEADER:
        rows = _member_rows(t, association_id, user_id, membership.role)
        rows.append(write_row(t, association_id, user_id))
    rows.append([(t.plain("⬅️ Back"), OpenRoster(association_id).data())])
    await ack(update)
    await show(update, context, text, inline(rows))


@BUTTONS.on(OpenMember)
async def open_member(update: Update, context: BotContext, press: OpenMember) -> None:
    await show_member(update, context, press.association_id, press.user_id)


async def _send_export(update: Update, context: BotContext, association_id: int, kind: str) -> None:
    export = await memberships.roster_export(
        context.session,
        actor=context.actor,
        association_id=association_id,
        kind=kind,
        ru=Translator("ru").plain,
    )
    chat = update.effective_chat
    assert chat is not None
    name = export.association.name
    await ack(update)
    await context.bot.send_document(
        chat.id,
        InputFile(BytesIO(export.content), filename=f"kartoteka_{_slug(name)}.{kind}"),
        caption=context.t.gettext(
            "The card file of «{name}»: {members}",
            name=name,
            members=context.t.nplain("{n} member", "{n} members", export.members),
        ),
    )


@BUTTONS.on(ExportPdf)
async def export_pdf(update: Update, context: BotContext, press: ExportPdf) -> None:
    await _send_export(update, context, press.association_id, "pdf")


@BUTTONS.on(ExportCsv)
async def export_csv(update: Update, context: BotContext, press: ExportCsv) -> None:
    await _send_export(update, context, press.association_id, "csv")


@BUTTONS.on(SetRole)
async def set_role(update: Update, context: BotContext, press: SetRole) -> None:
    await memberships.set_role(
        context.session,
        actor=context.actor,
        association_id=press.association_id,
        user_id=press.user_id,
        role=press.role,
    )
    await show_member(update, context, press.association_id, press.user_id)


@BUTTONS.on(HandOver)
async def hand_over(update: Update, context: BotContext, press: HandOver) -> None:
    association, user = await memberships.hand_over(
        context.session,
        actor=context.actor,
        association_id=press.association_id,
        user_id=press.user_id,
    )
    await ack(update)
    await show(
        update,
        context,
        context.t.gettext(
            "{person} is now the leader of «{name}».",
            person=user.full_name or "",
            name=association.name,
        ),
    )


# search dialog ---------------------------------------------------------------------------------
SEARCH = register_dialog(Dialog("mbs"))


@BUTTONS.on(Search)
async def search(update: Update, context: BotContext, press: Search) -> None:
    await memberships.roster_of(
        context.session, actor=context.actor, association_id=press.association_id
    )
    await ack(update)
    await SEARCH.start(update, context, "text", {"association_id": press.association_id})


async def _show_found(turn: Turn) -> None:
    await turn.finish()
    data = turn.data
    await show_roster(turn.update, turn.context, data["association_id"], 0, search=data["text"])


SEARCH.text_step(
    "text",
    prompt=N_("Send a part of the name or organisation to look for."),
    key="text",
    clean=str.strip,
    then=_show_found,
)


# removal dialog ---------------------------------------------------------------------------------
REMOVE = register_dialog(Dialog("mbr"))


@BUTTONS.on(Remove)
async def remove(update: Update, context: BotContext, press: Remove) -> None:
    await associations.led_association(
        context.session, actor=context.actor, association_id=press.association_id
    )
    await ack(update)
    data = {"association_id": press.association_id, "user_id": press.user_id}
    await REMOVE.start(update, context, "reason", data)


async def _remove(turn: Turn) -> None:
    context = turn.context
    departure = await memberships.remove_member(
        context.session,
        actor=context.actor,
        association_id=turn.data["association_id"],
        user_id=turn.data["user_id"],
        reason=turn.data["reason"],
    )
    await turn.finish()
    association, user = departure.association, departure.user
    await remove_from_group(context.bot, association.chat_id, user.telegram_id)
    await turn.say(
        turn.t.gettext(
            "{person} is removed from «{name}» and told the reason.",
            person=user.full_name or "",
            name=association.name,
        )
    )


REMOVE.text_step(
    "reason",
    prompt=N_("Why is this member removed? The reason will be sent to them. /cancel keeps them."),
    key="reason",
    clean=memberships.clean_reason,
    then=_remove,
)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("members", members_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(BUTTONS.handler())
