"""The schedule: every periodic sweep, how often it runs, in one table.

A sweep is `run(session)`: it selects what is due from the database and records notices
or outbox rows (with dedupe keys, so running it twice sends nothing twice). The runner in
scheduler/jobs.py gives it a unit of work and runs it only in the process that holds the
sweeps' lease. A feature's sweeps live in `scheduler/<feature>.py` and call its services.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.inbox import prune
from scheduler import announcements, contests, events, meetings, newsletters, protocols, reminders
from scheduler.activity import refresh_activity_rollup
from scheduler.associations import pass_on_lapsed_offers
from scheduler.certificates import deliver_certificates
from scheduler.consultations import escalate_unanswered, remind_unanswered
from scheduler.correspondence import erase_old_messages
from scheduler.metrics import measure_outbox_backlog
from scheduler.polls import close_due_polls, remind_non_voters
from scheduler.report import send_annual_reports
from scheduler.resource_review import tell_review_digests
from scheduler.resources import weekly_materials_digest
from scheduler.surveys import invite_pages, offer_meeting_feedback, run_surveys
from scheduler.tasks import remind_about_tasks


@dataclass(frozen=True, slots=True)
class Sweep:
    """One periodic sweep: `run(session)` does the work inside the runner's unit of work."""

    name: str
    every: timedelta
    run: Callable[[AsyncSession], Awaitable[object]]
    first: float = 5.0  # seconds after start


SCHEDULE: tuple[Sweep, ...] = (
    Sweep(
        "newsletters",
        every=timedelta(seconds=2),
        run=newsletters.follow_newsletters,
        first=1.0,
    ),
    Sweep("prune-received-updates", every=timedelta(hours=6), run=prune, first=60.0),
    Sweep("meeting-reminders", every=timedelta(minutes=1), run=meetings.sweep_reminders),
    Sweep("meeting-after", every=timedelta(minutes=5), run=meetings.sweep_after_meetings),
    Sweep("meeting-norms", every=timedelta(hours=1), run=meetings.sweep_norms),
    Sweep(
        "meeting-cards",
        every=reminders.CARD_EDIT_INTERVAL,
        run=reminders.edit_dirty_cards,
        first=1.0,
    ),
    Sweep("protocol-followups", every=timedelta(minutes=30), run=protocols.sweep_followups),
    Sweep("waiting-list-offers", every=timedelta(minutes=10), run=pass_on_lapsed_offers),
    Sweep(
        "announcement-summaries", every=timedelta(seconds=30), run=announcements.delivery_summaries
    ),
    Sweep("event-digest", every=timedelta(hours=1), run=events.weekly_digest, first=30.0),
    Sweep("member-messages-erase", every=timedelta(hours=6), run=erase_old_messages, first=90.0),
    Sweep("task-reminders", every=timedelta(minutes=30), run=remind_about_tasks),
    Sweep("poll-reminders", every=timedelta(minutes=5), run=remind_non_voters),
    Sweep("poll-closing", every=timedelta(minutes=1), run=close_due_polls),
    Sweep("consultation-reminders", every=timedelta(minutes=15), run=remind_unanswered),
    Sweep("consultation-escalations", every=timedelta(minutes=15), run=escalate_unanswered),
    Sweep("surveys", every=timedelta(minutes=5), run=run_surveys),
    Sweep("survey-invitations", every=timedelta(seconds=2), run=invite_pages, first=2.0),
    Sweep("survey-meeting-feedback", every=timedelta(minutes=15), run=offer_meeting_feedback),
    Sweep("outbox-backlog", every=timedelta(seconds=15), run=measure_outbox_backlog),
    Sweep("material-review-digest", every=timedelta(minutes=15), run=tell_review_digests),
    Sweep("materials-digest", every=timedelta(hours=1), run=weekly_materials_digest, first=40.0),
    Sweep("annual-reports", every=timedelta(hours=1), run=send_annual_reports, first=120.0),
    Sweep("activity-rollup", every=timedelta(hours=1), run=refresh_activity_rollup, first=150.0),
    Sweep("certificate-delivery", every=timedelta(seconds=10), run=deliver_certificates),
    Sweep("contest-opening", every=timedelta(minutes=15), run=contests.open_submissions),
    Sweep("contest-closing", every=timedelta(minutes=15), run=contests.close_submissions),
    Sweep("contest-jury-reminders", every=timedelta(minutes=30), run=contests.remind_jurors),
    Sweep("contest-results-reminders", every=timedelta(hours=1), run=contests.remind_organisers),
)
