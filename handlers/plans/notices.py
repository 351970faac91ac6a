"""How the notices of plans read (services/plans.py records them): to the person of a
route step, to the leaders after each decision, to the group, and about proposals."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from handlers.plans.buttons import Accept, AnswerProposal, Return
from handlers.plans.wording import when
from models.plans import RouteStep
from services.notices import Notice


@renders("plan.review")
def review(t: Translator, notice: Notice) -> Rendered:
    p = notice.params
    values = dict(
        name=p["name"], year=p["academic_year"], next=p["academic_year"] + 1, version=p["version"]
    )
    if p["step_kind"] is RouteStep.AGREEMENT:
        text = t.gettext(
            "📋 The work plan of «{name}» for {year}/{next} (version {version}) is sent to you "
            "for agreement.",
            **values,
        )
        yes = t.plain("✅ Agree")
    else:
        text = t.gettext(
            "📋 The work plan of «{name}» for {year}/{next} (version {version}) is sent to you "
            "for approval.",
            **values,
        )
        yes = t.plain("✅ Approve the plan")
    buttons = [
        [{"text": yes, "callback": Accept(p["plan_id"], p["step"]).data()}],
        [{"text": t.plain("↩️ Return"), "callback": Return(p["plan_id"], p["step"]).data()}],
    ]
    return Rendered(text, buttons)


@renders("plan.agreed")
def agreed(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "✅ The work plan of «{name}» is agreed ({person}) and goes on for approval.",
            **notice.params,
        )
    )


@renders("plan.approved")
def approved(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "🎉 The work plan of «{name}» is approved (version {version}, {person}). "
            "The PDF is in /plan.",
            **notice.params,
        )
    )


@renders("plan.returned")
def returned(t: Translator, notice: Notice) -> Rendered:
    return Rendered(
        t.gettext(
            "↩️ The work plan of «{name}» is returned for revision ({person}). Comment: {comment}",
            **notice.params,
        )
    )


@renders("plan.approved_post")
def approved_post(t: Translator, notice: Notice) -> Rendered:
    year = notice.params["academic_year"]
    return Rendered(
        t.gettext("📋 The work plan for {year}/{next} is approved.", year=year, next=year + 1)
    )


@renders("plan.proposal")
def proposal(t: Translator, notice: Notice) -> Rendered:
    p = notice.params
    text = t.gettext(
        "💡 {person} proposes a plan item: «{topic}». When: {when}.",
        person=p["person"],
        topic=p["topic"],
        when=when(t, *p["when"]),
    )
    buttons = [
        [
            {
                "text": t.plain("✅ Accept"),
                "callback": AnswerProposal(p["proposal_id"], True).data(),
            },
            {
                "text": t.plain("✖ Decline"),
                "callback": AnswerProposal(p["proposal_id"], False).data(),
            },
        ]
    ]
    return Rendered(text, buttons)


@renders("plan.proposal_accepted")
def proposal_accepted(t: Translator, notice: Notice) -> Rendered:
    return Rendered(t.gettext("✅ Your proposal «{topic}» is added to the plan.", **notice.params))


@renders("plan.proposal_declined")
def proposal_declined(t: Translator, notice: Notice) -> Rendered:
    return Rendered(t.gettext("Your proposal «{topic}» was declined.", **notice.params))
