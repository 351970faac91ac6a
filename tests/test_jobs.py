"""The periodic sweeps: scheduled at start under stable names, each runs on a fresh bot."""

from __future__ import annotations

from scheduler import jobs
from tests.harness import BotHarness, make_settings


async def test_every_sweep_is_scheduled_once_and_runs(fake_api, database_url: str) -> None:  # type: ignore[no-untyped-def]
    harness = BotHarness(fake_api, make_settings(fake_api, database_url), sweeps=True)
    app = await harness.start()
    try:
        await harness.restart()  # a restart replaces the jobs rather than doubling them
        app = harness.app
        assert app is not None and app.job_queue is not None
        scheduled = [job.name for job in app.job_queue.jobs()]
        expected = {*jobs.feature_sweep_names(), "sweeps-lease", "recover-outbox"}
        assert "prune-received-updates" in expected
        assert {"meeting-reminders", "newsletters", "protocol-followups"} <= expected
        assert sorted(scheduled) == sorted(expected)
        for job in app.job_queue.jobs():
            # Called directly so that an exception fails the test instead of being logged.
            await job.callback(app.context_types.context.from_job(job, app))
    finally:
        await harness.stop()
