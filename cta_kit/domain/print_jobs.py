"""What a print job's page shows: its state and how far it has gone (no database here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

QUEUED, RUNNING, DONE, FAILED, INTERRUPTED = "queued", "running", "done", "failed", "interrupted"
FINISHED = frozenset({DONE, FAILED, INTERRUPTED})


@dataclass(frozen=True)
class JobState:
    state: str  # queued, running, done, failed or interrupted
    done: int
    total: int

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int:
        return 100 if self.state == DONE else int(100 * self.done / self.total) if self.total else 0


def job_state(status: str, done: int, total: int, moved_at: datetime, now: datetime, stale_after: timedelta) -> JobState:
    """A running job reports progress every page; one silent for ``stale_after`` lost its worker
    (killed or restarted) and will not finish: its cards were not recorded, or all of them were."""
    state = status
    if status == RUNNING and now - moved_at > stale_after:
        state = INTERRUPTED
    return JobState(state, min(done, total), total)
