"""How the associations' notices read: what the feature tells people on its own initiative
(join requests to the leaders, decisions to applicants, places offered from the queue,
removals, roles, proposals, appointments, the group's link)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from handlers.associations.links import bot_link, join_link
from handlers.associations.presses import (
    Approve,
    ApproveProposal,
    Decline,
    RejectProposal,
    TakePlace,
)
from handlers.associations.texts import group_invitation, welcome_text
from services.associations import ROLE_TITLES
from services.formatting import format_datetime
from services.notices import Notice
from services.texts import N_


def _buttons(t: Translator, *row: tuple[str, str]) -> list[list[dict[str, str]]]:
    return [[{"text": t.plain(label), "callback": data} for label, data in row]]


@renders("associations.join_request")
def join_request(t: Translator, notice: Notice) -> Rendered:
    association, applicant = notice.params["association"], notice.params["applicant"]
    membership_id = notice.params["membership_id"]
    return Rendered(
        t.gettext(
            "📨 {applicant} ({organisation}) asks to join «{name}».",
            applicant=applicant.full_name or "",
            organisation=applicant.organisation or "",
            name=association.name,
        ),
        _buttons(
            t,
            (N_("✅ Approve"), Approve(membership_id).data()),
            (N_("✖ Decline"), Decline(membership_id).data()),
        ),
    )


@renders("associations.request_approved")
def request_approved(t: Translator, notice: Notice) -> Rendered:
    association = notice.params["association"]
    return Rendered(
        t.gettext("✅ Your request to join «{name}» is approved.", name=association.name)
        + "\n\n"
        + welcome_text(t, association, notice.params.get("chat_link"))
    )


@renders("associations.request_declined")
def request_declined(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "Your request to join «{name}» was declined by the leader.",
            name=notice.params["association"].name,
        )
    )


@renders("associations.place_offered")
def place_offered(t: Translator, notice: Notice) -> Rendered:
    association = notice.params["association"]
    return Rendered(
        t.gettext(
            "A place is free in «{name}». It is kept for you until {until}: press the button "
            "to join.",
            name=association.name,
            until=format_datetime(notice.params["until"], association.timezone, t.language),
        ),
        _buttons(t, (N_("✅ Take the place"), TakePlace(notice.params["entry_id"]).data())),
    )


@renders("associations.removed")
def removed(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "You have been removed from «{name}». The leader's reason: {reason}",
            name=notice.params["association"].name,
            reason=notice.params["reason"],
        )
    )


@renders("associations.role_changed")
def role_changed(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "Your role in «{name}» is now: {role}.",
            name=notice.params["association"].name,
            role=t.plain(ROLE_TITLES[notice.params["role"]]),
        )
    )


@renders("associations.leadership")
def leadership(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext("You are now the leader of «{name}».", name=notice.params["association"].name)
    )


@renders("associations.leader_appointed")
def leader_appointed(t: Translator, notice: Notice) -> Rendered:
    association = notice.params["association"]
    return Rendered(
        t.gettext(
            "You are appointed leader of «{name}». Join code: {code}; link to share: "
            "{link}\nAdd me to the group chat and send /bind {code} there.",
            name=association.name,
            code=association.join_code,
            link=join_link(association),
        )
    )


@renders("associations.proposal")
def proposal(t: Translator, notice: Notice) -> Rendered:
    association, initiator = notice.params["association"], notice.params["initiator"]
    return Rendered(
        t.gettext(
            "📨 {initiator} proposes a new association «{name}». Topic: {topic}",
            initiator=initiator.full_name or "",
            name=association.name,
            topic=association.topic or "",
        ),
        _buttons(
            t,
            (N_("✅ Approve"), ApproveProposal(association.id).data()),
            (N_("✖ Reject"), RejectProposal(association.id).data()),
        ),
    )


@renders("associations.proposal_approved")
def proposal_approved(t: Translator, notice: Notice) -> Rendered:
    association = notice.params["association"]
    return Rendered(
        t.gettext(
            "✅ Your proposal «{name}» is approved. You are its leader. The join code is "
            "{code}; the link: {link}",
            name=association.name,
            code=association.join_code,
            link=join_link(association),
        )
    )


@renders("associations.proposal_rejected")
def proposal_rejected(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "Your proposal «{name}» was not approved.", name=notice.params["association"].name
        )
    )


@renders("associations.group_bound")
def group_bound(t: Translator, notice: Notice) -> Rendered:
    association = notice.params["association"]
    return Rendered(
        t.gettext("«{name}» now has a group chat.", name=association.name)
        + "\n"
        + group_invitation(t, notice.params["link"])
    )


@renders("associations.group_welcome")
def group_welcome(t: Translator, notice: Notice) -> Rendered:
    association = notice.params["association"]
    text = t.gettext("👋 Welcome, {name}!", name=notice.params["name"])
    if association.rules_text:
        text += "\n\n" + t.gettext("<b>Rules</b>\n{rules}", rules=association.rules_text)
    return Rendered(text, [[{"text": t.plain("🤖 Open the bot"), "url": bot_link()}]])


@renders("associations.group_declined")
def group_declined(t: Translator, notice: Notice) -> Rendered:
    association = notice.params["association"]
    link = join_link(association)
    if not notice.params["registered"]:
        return Rendered(
            t.gettext(
                "Hello! The group «{name}» is only for members of the association. Please "
                "register in the bot and join the association with this link: {link} — then ask "
                "to join the group again.",
                name=association.name,
                link=link,
            )
        )
    return Rendered(
        t.gettext(
            "Hello! The group «{name}» is only for members of the association, and you are not "
            "a member yet. Join with this link: {link} — then ask to join the group again.",
            name=association.name,
            link=link,
        )
    )
