"""A print job's state as its page shows it."""

from datetime import datetime, timedelta, timezone

from cta_kit.domain.print_jobs import job_state

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=timezone.utc)
STALE = timedelta(minutes=1)


def test_a_running_job_shows_how_far_it_has_gone():
    state = job_state("running", 250, 1000, NOW - timedelta(seconds=2), NOW, STALE)
    assert (state.state, state.percent, state.finished) == ("running", 25, False)


def test_a_running_job_silent_too_long_was_interrupted():
    state = job_state("running", 250, 1000, NOW - timedelta(minutes=2), NOW, STALE)
    assert (state.state, state.finished) == ("interrupted", True)


def test_a_queued_job_waits_however_long_it_takes():
    assert job_state("queued", 0, 10, NOW - timedelta(hours=1), NOW, STALE).state == "queued"


def test_a_done_job_is_full_and_progress_never_overflows():
    assert job_state("done", 10, 10, NOW, NOW, STALE).percent == 100
    assert job_state("running", 12, 10, NOW, NOW, STALE).done == 10
