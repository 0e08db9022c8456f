"""What the app keeps only for a while, removed once a day by the print worker.

- A printed batch's PDF: after 30 days it is made again, byte for byte, from the batch's record
  when someone asks for it (print_jobs.batch_pdf), so the instance folder does not grow with
  every print.
- Failed logins: they only count inside the login limit's window.
- Review exports uploaded and never imported: their columns were never confirmed; after a
  week the owner uploads the file again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete

from ..extensions import db
from ..models import LoginFailure, ReviewImport, utcnow
from .database import write_transaction
from .print_jobs import PRINTS_FOLDER

KEEP_PRINTED_PDF = timedelta(days=30)
KEEP_UNFINISHED_FILE = timedelta(days=1)  # a .part file left by a worker killed while writing
KEEP_PENDING_UPLOAD = timedelta(days=7)


@dataclass(frozen=True)
class Removed:
    pdfs: int
    login_failures: int
    uploads: int


def clean_up(now: datetime | None = None) -> Removed:
    now = now or utcnow()
    pdfs = _remove_files_older_than(Path(current_app.instance_path) / PRINTS_FOLDER, now)
    with write_transaction():
        failures = db.session.execute(
            delete(LoginFailure).where(LoginFailure.created_at < now - current_app.config["LOGIN_FAILURE_WINDOW"])
        ).rowcount
        uploads = db.session.execute(
            delete(ReviewImport).where(ReviewImport.imported_at.is_(None), ReviewImport.created_at < now - KEEP_PENDING_UPLOAD)
        ).rowcount
    return Removed(pdfs, failures, uploads)


def _remove_files_older_than(folder: Path, now: datetime) -> int:
    removed = 0
    for pattern, keep in (("batch-*.pdf", KEEP_PRINTED_PDF), (".batch-*.part", KEEP_UNFINISHED_FILE)):
        cutoff = (now - keep).timestamp()
        for path in folder.glob(pattern):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # removed meanwhile, by another server's worker
                continue
    return removed
