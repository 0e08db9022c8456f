"""Prints run by the background worker: queued after the same checks as a direct print, followed
page by page, and finished with the PDF kept in the instance folder.

A job killed half way leaves no batch (the codes are committed in one transaction after the
render) or a complete one; the PDF is written only after that commit, under a temporary name
renamed into place, so a file that exists is whole.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from ..domain.i18n import N_, Message
from ..domain.print_jobs import DONE, FAILED, QUEUED, RUNNING, JobState, job_state
from ..extensions import db
from ..models import Campaign, PrintJob, User, utcnow
from ..tasks import task_queue
from . import printing
from .database import write_transaction
from .errors import NotFound, ServiceError
from .locations import location_for

PRINTS_FOLDER = "prints"
PROGRESS_INTERVAL = 1.0  # seconds between progress writes: often enough for a bar, cheap for the database
ACTIVE_JOBS_SHOWN = 5

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfDownload:
    filename: str
    path: Path | None = None  # the PDF kept when it was printed
    pdf: bytes | None = None  # or made again from the batch's records


def queue_print(order: printing.PrintOrder, user: User, location_id: int) -> PrintJob:
    """Check the order now, so that a refusal comes back on the form; then queue it."""
    printing.check_order(order, user, location_id)
    job = PrintJob(
        location_id=location_id,
        campaign_id=order.campaign_id,
        requested_by_id=user.id,
        layout=order.layout,
        card_count=order.count,
        link_mode=order.link_mode,
        status=QUEUED,
    )
    with write_transaction():
        db.session.add(job)
        db.session.flush()
        job_id = job.id  # read before the commit: reading it after would open a transaction the worker outruns
    task_queue().print_job(job_id)
    return job


def job_for(user: User, location_id: int, job_id: int) -> PrintJob:
    location = location_for(user, location_id)
    job = db.session.get(PrintJob, job_id)
    if job is None or job.location_id != location.id:
        raise NotFound()
    return job


def state_of(job: PrintJob) -> JobState:
    return job_state(
        job.status, job.cards_done, job.card_count, job.updated_at, utcnow(), current_app.config["PRINT_JOB_STALE_AFTER"]
    )


def errors_of(job: PrintJob) -> list[Message]:
    return [Message(item["text"], item.get("params", {})) for item in json.loads(job.error or "[]")]


def active_jobs_of(campaign: Campaign) -> list[PrintJob]:
    """The campaign's latest jobs not yet done, to find a print again after leaving its page."""
    jobs = db.session.scalars(
        select(PrintJob)
        .where(PrintJob.campaign_id == campaign.id, PrintJob.status.in_((QUEUED, RUNNING)))
        .order_by(PrintJob.id.desc())
        .limit(ACTIVE_JOBS_SHOWN)
    )
    return [job for job in jobs if not state_of(job).finished]


def job_pdf(user: User, location_id: int, job_id: int) -> PdfDownload:
    job = job_for(user, location_id, job_id)
    if job.status != DONE or job.batch_id is None:
        raise NotFound()
    return batch_pdf(job.batch_id, user, location_id)


def batch_pdf(batch_id: int, user: User, location_id: int) -> PdfDownload:
    """The PDF kept when the batch was printed; an older batch's is made again, byte for byte."""
    batch = printing.batch_for(batch_id, user, location_id)
    path = stored_pdf_path(batch.id)
    if path.is_file():
        return PdfDownload(printing.batch_filename(batch), path=path)
    printed = printing.reprint(batch.id, user, location_id)
    return PdfDownload(printed.filename, pdf=printed.pdf)


def stored_pdf_path(batch_id: int) -> Path:
    return Path(current_app.instance_path) / PRINTS_FOLDER / f"batch-{batch_id}.pdf"


def run_print_job(job_id: int) -> None:
    """The worker's side: print, keep the PDF, and say how it went on the job."""
    if not _take(job_id):
        return  # gone with its campaign, or taken already
    job = db.session.get(PrintJob, job_id)
    user = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
    order = printing.PrintOrder(job.campaign_id, job.card_count, job.layout, job.link_mode)
    location_id = job.location_id
    try:
        if user is None or not user.is_active or not user.is_owner:
            raise NotFound()
        printed = printing.print_cards(order, user, location_id, progress=ProgressReport(job_id))
    except ServiceError as error:
        db.session.rollback()
        _finish(job_id, FAILED, errors=list(error.errors.values()))
        return
    except NotFound:
        db.session.rollback()
        _finish(job_id, FAILED, errors=[Message(N_("This campaign can no longer be printed from your account."))])
        return
    except Exception:
        db.session.rollback()
        logger.exception("print job %s failed", job_id)
        _finish(job_id, FAILED, errors=[Message(N_("Printing failed unexpectedly. Try again; if it fails again, tell whoever runs this app."))])
        return
    _store_pdf(stored_pdf_path(printed.batch_id), printed.pdf)
    _finish(job_id, DONE, batch_id=printed.batch_id, cards_done=order.count)


class ProgressReport:
    """Writes how many cards are drawn, at most once a second, in its own short transaction
    (the print's own session is left alone)."""

    def __init__(self, job_id: int, interval: float = PROGRESS_INTERVAL):
        self.job_id = job_id
        self.interval = interval
        self.last = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < self.interval and done < total:
            return
        self.last = now
        with db.engine.begin() as connection:
            connection.execute(
                update(PrintJob).where(PrintJob.id == self.job_id).values(cards_done=done, updated_at=utcnow())
            )


def _take(job_id: int) -> bool:
    """Queued to running in one conditional update, so a job runs once."""
    with write_transaction():
        taken = db.session.execute(
            update(PrintJob)
            .where(PrintJob.id == job_id, PrintJob.status == QUEUED)
            .values(status=RUNNING, updated_at=utcnow())
        ).rowcount
    return taken == 1


def _finish(job_id: int, status: str, errors: list[Message] = (), **values) -> None:
    now = utcnow()
    error = json.dumps([{"text": m.text, "params": m.params} for m in errors], ensure_ascii=False, default=str) if errors else ""
    with write_transaction():
        db.session.execute(
            update(PrintJob)
            .where(PrintJob.id == job_id)
            .values(status=status, error=error, updated_at=now, finished_at=now, **values)
        )


def _store_pdf(path: Path, pdf: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    with open(partial, "wb") as handle:
        handle.write(pdf)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
