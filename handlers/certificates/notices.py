"""How the notices of certificates read (services/certificates records them): the PDF to
its holder, a request for the leader with its decision buttons, a decline, a revocation."""

from __future__ import annotations

from bot.i18n import Translator
from bot.notices import Rendered, renders
from handlers.certificates.buttons import Approve, Decline
from handlers.certificates.wording import certificate_line, standing_text
from models.certificates import CertificateKind
from services.certificates.common import CertificateView
from services.certificates.rules import Eligibility
from services.notices import Notice
from services.outbox import Buttons


@renders("certificates.issued")
def issued(t: Translator, notice: Notice) -> Rendered:
    view: CertificateView = notice.params["view"]
    if notice.params.get("occasion") == "corrected":
        return Rendered(
            t.gettext(
                "🎓 Your certificate № {number} with your name corrected by the leader.",
                number=view.number or "",
            )
        )
    if view.kind is CertificateKind.PUBLICATION:
        return Rendered(
            t.gettext(
                "🎓 Your certificate of publication № {number} for «{title}». Its code for "
                "checking: {code}.",
                number=view.number or "",
                title=view.material_title or "",
                code=view.code or "",
            )
        )
    return Rendered(
        t.gettext(
            "🎓 Your certificate № {number} of taking part in «{association}». Its code for "
            "checking: {code}.",
            number=view.number or "",
            association=view.association,
            code=view.code or "",
        )
    )


def request_message(t: Translator, view: CertificateView, standing: Eligibility | None) -> Rendered:
    """A request with the decision buttons (the notice, and the leader's list showing it)."""
    text = t.gettext(
        "🎓 {person} asks for a certificate of taking part in «{association}».",
        person=view.full_name,
        association=view.association,
    )
    if standing is not None:
        text = t.gettext("{head}\n{standing}", head=text, standing=standing_text(t, standing))
    buttons: Buttons = [
        [
            {"text": t.plain("✅ Approve"), "callback": Approve(view.certificate_id).data()},
            {"text": t.plain("✖ Decline"), "callback": Decline(view.certificate_id).data()},
        ]
    ]
    return Rendered(text, buttons)


@renders("certificates.requested")
def requested(t: Translator, notice: Notice) -> Rendered:
    return request_message(t, notice.params["view"], notice.params.get("standing"))


@renders("certificates.declined")
def declined(t: Translator, notice: Notice) -> Rendered:
    view: CertificateView = notice.params["view"]
    return Rendered(
        t.gettext(
            "Your request for a certificate of taking part in «{association}» is declined.\n"
            "Reason: {reason}",
            association=view.association,
            reason=view.reason or "",
        )
    )


@renders("certificates.revoked")
def revoked(t: Translator, notice: Notice) -> Rendered:
    view: CertificateView = notice.params["view"]
    return Rendered(
        t.gettext(
            "⛔ Your certificate is revoked by the leader: {certificate}\nReason: {reason}",
            certificate=certificate_line(t, view),
            reason=view.reason or "",
        )
    )
