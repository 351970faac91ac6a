"""Certificates of participation and of publication (issue 13, «/certificate»).

One module per use case: `rules` (the leader's rules, who meets them: services/activity.py
counts), `requests` (a member asks; issued at once or decided by the leader), `issue`
(numbers, codes, PDFs through the outbox, the batch, revoking), `names` (the declined name
and the leader's correction), `registry` (the verification lookup, lists, PDF and CSV
export, erasing a person's); `common` holds what they share. Importing this package
registers the lookup of certificate codes with services/verification.py.
"""

from services.certificates import registry  # noqa: F401  (registers the @verifier lookup)
