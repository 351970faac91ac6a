"""Contests and project festivals: announcing (`announcing`), the card people read
(`cards`), taking part and the audience
vote (`entries`), the jury (`judging`), the ranking and publishing (`results`), diplomas,
their verification and the results protocol (`diplomas`), the calendar's sweeps (`sweeps`).
What they share is in `common`.

Notices recorded here (worded in handlers/contests/notices.py): `contests.announced`,
`contests.opened`, `contests.vote_open` and `contests.results` to the association's group;
`contests.jury`, `contests.judging`, `contests.juror_reminder` to jurors;
`contests.results_due` to the organiser; `contests.placed` to every participant.
"""

from services.contests import (  # noqa: F401  (the diplomas' lookup registers itself)
    announcing,
    cards,
    common,
    diplomas,
    entries,
    judging,
    results,
    sweeps,
)
