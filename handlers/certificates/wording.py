"""Words shared by the screens and the notices of certificates."""

from __future__ import annotations

from bot.i18n import Html, Translator
from models.certificates import CertificateKind, CertificateStatus, CertificateTitle
from services.certificates.common import CertificateView
from services.certificates.rules import Eligibility, RulesView
from services.formatting import format_date

STATUS_MARKS = {
    CertificateStatus.REQUESTED: "⏳",
    CertificateStatus.ISSUED: "✅",
    CertificateStatus.DECLINED: "✖",
    CertificateStatus.REVOKED: "⛔",
}


def status_title(t: Translator, status: CertificateStatus) -> str:
    return {
        CertificateStatus.REQUESTED: t.plain("waits for the leader"),
        CertificateStatus.ISSUED: t.plain("issued"),
        CertificateStatus.DECLINED: t.plain("declined"),
        CertificateStatus.REVOKED: t.plain("revoked"),
    }[status]


def certificate_line(t: Translator, view: CertificateView) -> Html:
    """«№ ВМО-2026-0001, «ВМО учителей математики», 1 сентября 2025 г. – 31 мая 2026 г.»"""
    if view.kind is CertificateKind.PUBLICATION:
        what = t.gettext(
            "certificate of publication «{title}» ({association})",
            title=view.material_title or "",
            association=view.association,
        )
    else:
        what = t.gettext(
            "certificate of taking part in «{association}», {start} – {end}",
            association=view.association,
            start=format_date(view.period_start, t.language),
            end=format_date(view.period_end, t.language),
        )
    if view.number:
        return t.gettext("№ {number}, {what}", number=view.number, what=what)
    return what


def standing_text(t: Translator, standing: Eligibility) -> Html:
    """What the rules ask and what the member has: «attended 2 of 6 meetings, 50 % needed»."""
    lines = [
        t.ngettext(
            "{mark} attended {attended} of {n} meeting held, {percent} % needed",
            "{mark} attended {attended} of {n} meetings held, {percent} % needed",
            standing.held,
            mark="✅" if standing.attendance_ok else "❌",
            attended=standing.attended,
            percent=standing.percent_needed,
        )
    ]
    if standing.contributions_needed is not None:
        lines.append(
            t.ngettext(
                "{mark} {contributions} of {n} contribution needed",
                "{mark} {contributions} of {n} contributions needed",
                standing.contributions_needed,
                mark="✅" if standing.contributions_ok else "❌",
                contributions=standing.contributions,
            )
        )
    if standing.manual_only:
        lines.append(t.gettext("ℹ️ the leader approves every certificate"))
    return Html("\n".join(lines))


def rules_text(t: Translator, rules: RulesView) -> Html:
    lines = [
        t.gettext(
            "Attendance: at least {percent} % of the held meetings",
            percent=rules.min_attendance_percent,
        ),
        t.ngettext(
            "Contributions: at least {n} act of any form of activity",
            "Contributions: at least {n} acts of any form of activity",
            rules.min_contributions,
        )
        if rules.min_contributions
        else t.gettext("Contributions: no minimum"),
        t.gettext("Approval: by the leader for every certificate")
        if rules.manual_only
        else t.gettext("Approval: issued at once when the rules are met"),
        t.ngettext("Hours printed: {n}", "Hours printed: {n}", rules.hours)
        if rules.hours
        else t.gettext("Hours printed: none"),
        t.gettext("Title: certificate")
        if rules.title is CertificateTitle.CERTIFICATE
        else t.gettext("Title: document of participation"),
    ]
    return Html("\n".join(lines))
